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
    private final Method updateObject;
    private final Method updateAs;

    private RapaioFrontend(Method displayObject, Method displayAs, Method updateObject, Method updateAs) {
        this.displayObject = displayObject;
        this.displayAs = displayAs;
        this.updateObject = updateObject;
        this.updateAs = updateAs;
    }

    /** The rapaio front end if its {@code Global} class is visible with both methods, else null. */
    static Frontend lookUp(String globalClassName) {
        Class<?> global = KernelCalls.find(globalClassName);
        if (global == null) {
            return null;
        }
        Method displayObject = KernelCalls.method(global, "display", Object.class);
        Method displayAs = KernelCalls.method(global, "display", String.class, Object.class);
        Method updateObject = KernelCalls.method(global, "updateDisplay", String.class, Object.class);
        Method updateAs = KernelCalls.method(global, "updateDisplay", String.class, String.class, Object.class);
        if (displayObject == null || displayAs == null || updateObject == null || updateAs == null) {
            return null;
        }
        return new RapaioFrontend(displayObject, displayAs, updateObject, updateAs);
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

    @Override
    public String showUpdatable(Shown item) {
        Object id = switch (item) {
            case Shown.Image image -> KernelCalls.callStatic(displayObject, image.image());
            case Shown.Markup markup -> KernelCalls.callStatic(displayAs, "text/html", markup.html());
            case Shown.Text text -> KernelCalls.callStatic(displayAs, "text/plain", text.text());
        };
        return String.valueOf(id);
    }

    @Override
    public void update(String id, Shown item) {
        switch (item) {
            case Shown.Image image -> KernelCalls.callStatic(updateObject, id, image.image());
            case Shown.Markup markup -> KernelCalls.callStatic(updateAs, id, "text/html", markup.html());
            case Shown.Text text -> KernelCalls.callStatic(updateAs, id, "text/plain", text.text());
        }
    }
}
