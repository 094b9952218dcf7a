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
import java.util.UUID;
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
