package concurrencylab.display;

import java.lang.reflect.Method;

/**
 * IJava and its maintained fork JJava: both expose {@code Display.display(Object, String...)}
 * with the MIME types after the object, and render a BufferedImage as image/png.
 */
final class SpencerParkFrontend implements Frontend {

    static final String IJAVA_DISPLAY = "io.github.spencerpark.ijava.runtime.Display";
    static final String IJAVA_KERNEL = "io.github.spencerpark.ijava.IJava";
    static final String JJAVA_DISPLAY = "org.dflib.jjava.runtime.Display";
    static final String JJAVA_KERNEL = "org.dflib.jjava.JJava";

    private final String name;
    private final Method display;

    private SpencerParkFrontend(String name, Method display) {
        this.name = name;
        this.display = display;
    }

    /**
     * The front end of the kernel whose classes are given, if they are visible and a kernel
     * instance is running; else null.
     */
    static Frontend lookUp(String name, String displayClassName, String kernelClassName) {
        Class<?> displayClass = KernelCalls.find(displayClassName);
        Class<?> kernelClass = KernelCalls.find(kernelClassName);
        if (displayClass == null || kernelClass == null) {
            return null;
        }
        Method instance = KernelCalls.method(kernelClass, "getKernelInstance");
        if (instance == null || KernelCalls.callStatic(instance) == null) {
            return null;
        }
        Method display = KernelCalls.method(displayClass, "display", Object.class, String[].class);
        return display == null ? null : new SpencerParkFrontend(name, display);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean inNotebook() {
        return true;
    }

    @Override
    public void show(Shown item) {
        switch (item) {
            case Shown.Image image -> KernelCalls.callStatic(display, image.image(), new String[] {"image/png"});
            case Shown.Markup markup -> KernelCalls.callStatic(display, markup.html(), new String[] {"text/html"});
            case Shown.Text text -> System.out.println(text.text());
        }
    }
}
