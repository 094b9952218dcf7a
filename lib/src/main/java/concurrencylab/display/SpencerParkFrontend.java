package concurrencylab.display;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * IJava and its maintained fork JJava, which share SpencerPark's base kernel: the running
 * kernel has {@code display(DisplayData)}, and a {@code DisplayData} is a MIME bundle filled
 * with {@code putData(mime, value)}.
 *
 * <p>We build the bundle ourselves rather than going through the kernel's renderer, so that
 * every output carries exactly the MIME types we chose (PNG as base64, HTML as markup) plus
 * a text/plain stand-in for front ends that show only text.
 */
final class SpencerParkFrontend implements Frontend {

    static final String IJAVA_KERNEL = "io.github.spencerpark.ijava.IJava";
    static final String JJAVA_KERNEL = "org.dflib.jjava.JJava";

    private final String name;
    private final Object kernel;
    private final Method display;
    private final Constructor<?> newBundle;
    private final Method putData;

    private SpencerParkFrontend(String name, Object kernel, Method display, Constructor<?> newBundle, Method putData) {
        this.name = name;
        this.kernel = kernel;
        this.display = display;
        this.newBundle = newBundle;
        this.putData = putData;
    }

    /**
     * The front end of the kernel whose entry class is given, if that class is visible, a kernel
     * instance is running, and it has {@code display(DisplayData)}; else null.
     */
    static Frontend lookUp(String name, String kernelClassName) {
        Class<?> kernelClass = KernelCalls.find(kernelClassName);
        if (kernelClass == null) {
            return null;
        }
        Method instance = KernelCalls.method(kernelClass, "getKernelInstance");
        Object kernel = instance == null ? null : KernelCalls.callStatic(instance);
        if (kernel == null) {
            return null;
        }
        Method display = Arrays.stream(kernel.getClass().getMethods())
                .filter(m -> m.getName().equals("display") && m.getParameterCount() == 1
                        && m.getParameterTypes()[0].getSimpleName().equals("DisplayData"))
                .findFirst().orElse(null);
        if (display == null) {
            return null;
        }
        Class<?> bundle = display.getParameterTypes()[0];
        try {
            return new SpencerParkFrontend(name, kernel, display, bundle.getConstructor(),
                    bundle.getMethod("putData", String.class, Object.class));
        } catch (NoSuchMethodException e) {
            return null;
        }
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
            case Shown.Image image -> send("image/png", png(image.image()), image.summary());
            case Shown.Markup markup -> send("text/html", markup.html(), markup.summary());
            case Shown.Text text -> System.out.println(text.text());
        }
    }

    private void send(String mime, String payload, String summary) {
        try {
            Object bundle = newBundle.newInstance();
            putData.invoke(bundle, "text/plain", summary);
            putData.invoke(bundle, mime, payload);
            display.invoke(kernel, bundle);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + " could not display the output: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + "'s display API is not what the lab expects: " + e, e);
        }
    }

    static String png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
