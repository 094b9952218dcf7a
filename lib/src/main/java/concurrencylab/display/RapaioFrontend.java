package concurrencylab.display;

import java.lang.reflect.Method;

/**
 * The rapaio kernel: {@code Global.display(Object)} renders images itself, and
 * {@code Global.display(String mime, Object)} takes the MIME type first.
 */
final class RapaioFrontend implements Frontend {

    static final String GLOBAL = "org.rapaio.jupyter.kernel.global.Global";

    private final Method displayObject;
    private final Method displayAs;

    private RapaioFrontend(Method displayObject, Method displayAs) {
        this.displayObject = displayObject;
        this.displayAs = displayAs;
    }

    /** The rapaio front end if its {@code Global} class is visible with both methods, else null. */
    static Frontend lookUp(String globalClassName) {
        Class<?> global = KernelCalls.find(globalClassName);
        if (global == null) {
            return null;
        }
        Method displayObject = KernelCalls.method(global, "display", Object.class);
        Method displayAs = KernelCalls.method(global, "display", String.class, Object.class);
        return displayObject == null || displayAs == null ? null : new RapaioFrontend(displayObject, displayAs);
    }

    @Override
    public String name() {
        return "rapaio";
    }

    @Override
    public boolean inNotebook() {
        return true;
    }

    @Override
    public void show(Shown item) {
        // The id that display(...) returns is dropped on purpose: a cell must not print it.
        switch (item) {
            case Shown.Image image -> KernelCalls.callStatic(displayObject, image.image());
            case Shown.Markup markup -> KernelCalls.callStatic(displayAs, "text/html", markup.html());
            case Shown.Text text -> System.out.println(text.text());
        }
    }
}
