package concurrencylab.display.fake;

/** Stands in for IJava's kernel class: {@code getKernelInstance()} is null until a test sets it. */
public final class FakeIJavaKernel {
    public static Object instance;

    public static Object getKernelInstance() {
        return instance;
    }
}
