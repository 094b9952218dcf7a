package concurrencylab.display;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * IJava and its maintained successor JJava, which share SpencerPark's base kernel design: the
 * running kernel has {@code display(DisplayData)} and {@code getIO().display.updateDisplay(id,
 * DisplayData)}, and a {@code DisplayData} is a MIME bundle filled with {@code putData(mime,
 * value)}. Only the way to the running kernel differs:
 *
 * <table class="striped">
 * <caption>Where each release keeps its running kernel</caption>
 * <thead><tr><th>kernel</th><th>static method</th></tr></thead>
 * <tbody>
 * <tr><td>IJava 1.x</td><td>{@code io.github.spencerpark.ijava.IJava.getKernelInstance()}</td></tr>
 * <tr><td>JJava 1.0-a6 and later</td><td>{@code org.dflib.jjava.jupyter.kernel.BaseKernel.notebookKernel()}
 *     (what {@code JavaNotebookStatics.kernel()} returns)</td></tr>
 * <tr><td>JJava up to 1.0-a5</td><td>{@code org.dflib.jjava.JJava.getKernelInstance()}</td></tr>
 * </tbody>
 * </table>
 *
 * <p>We build the bundle ourselves rather than going through the kernel's renderer, so that
 * every output carries exactly the MIME types we chose (PNG as base64, HTML as markup) plus
 * a text/plain stand-in for front ends that show only text.
 */
final class SpencerParkFrontend implements Frontend {

    /** A static method that returns the running kernel, and the kernel's name for people. */
    record Entry(String name, String className, String method) {
        @Override
        public String toString() {
            return className + "." + method + "()";
        }
    }

    static final Entry IJAVA = new Entry("IJava", "io.github.spencerpark.ijava.IJava", "getKernelInstance");
    static final Entry JJAVA = new Entry("JJava", "org.dflib.jjava.jupyter.kernel.BaseKernel", "notebookKernel");
    static final Entry JJAVA_BEFORE_A6 = new Entry("JJava", "org.dflib.jjava.JJava", "getKernelInstance");

    private final String name;
    private final Object kernel;
    private final Method display;
    private final Constructor<?> newBundle;
    private final Method putData;
    private final Method setDisplayId;
    private final Method getIO;

    private SpencerParkFrontend(String name, Object kernel, Method display, Constructor<?> newBundle, Method putData,
                                Method setDisplayId, Method getIO) {
        this.name = name;
        this.kernel = kernel;
        this.display = display;
        this.newBundle = newBundle;
        this.putData = putData;
        this.setDisplayId = setDisplayId;
        this.getIO = getIO;
    }

    /**
     * The front end reached through this entry, if its class is visible, a kernel is running (the
     * method returns it rather than null or throwing), and the kernel has
     * {@code display(DisplayData)}; else null.
     */
    static Frontend lookUp(Entry entry) {
        Class<?> kernelClass = KernelCalls.find(entry.className());
        if (kernelClass == null) {
            return null;
        }
        Method instance = KernelCalls.method(kernelClass, entry.method());
        if (instance == null || !Modifier.isStatic(instance.getModifiers())) {
            return null;
        }
        Object kernel;
        try {
            kernel = KernelCalls.callStatic(instance);
        } catch (RuntimeException e) {
            return null; // JJava's notebookKernel() throws when no kernel runs
        }
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
            return new SpencerParkFrontend(entry.name(), kernel, display, bundle.getConstructor(),
                    bundle.getMethod("putData", String.class, Object.class),
                    bundle.getMethod("setDisplayId", String.class),
                    kernel.getClass().getMethod("getIO"));
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

    @Override
    public String showUpdatable(Shown item) {
        String id = UUID.randomUUID().toString();
        try {
            display.invoke(kernel, bundle(item, id));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + " could not display the output: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + "'s display API is not what the lab expects: " + e, e);
        }
        return id;
    }

    /** The base kernel updates through {@code getIO().display.updateDisplay(id, bundle)}. */
    @Override
    public void update(String id, Shown item) {
        try {
            Object io = getIO.invoke(kernel);
            Object stream = io.getClass().getField("display").get(io);
            Object bundle = bundle(item, id);
            stream.getClass().getMethod("updateDisplay", String.class, bundle.getClass()).invoke(stream, id, bundle);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + " could not update the output: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + "'s display API is not what the lab expects: " + e, e);
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

    private Object bundle(Shown item, String id) throws ReflectiveOperationException {
        Object bundle = newBundle.newInstance();
        putData.invoke(bundle, "text/plain", item.summary());
        switch (item) {
            case Shown.Image image -> putData.invoke(bundle, "image/png", png(image.image()));
            case Shown.Markup markup -> putData.invoke(bundle, "text/html", markup.html());
            case Shown.Text text -> { }
        }
        setDisplayId.invoke(bundle, id);
        return bundle;
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
