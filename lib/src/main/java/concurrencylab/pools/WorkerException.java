package concurrencylab.pools;

/**
 * An exception thrown in a worker JVM, as the caller sees it: the original's type name, message
 * and stack, rebuilt from text (the object itself never crosses between JVMs). It prints as the
 * original would, e.g. {@code java.lang.ArithmeticException: / by zero} followed by the
 * worker's frames.
 */
public final class WorkerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    WorkerException(String type, String message, StackTraceElement[] stack, WorkerException cause) {
        super(message, cause, false, true);
        this.type = type;
        setStackTrace(stack);
    }

    /** The class name of the exception the worker threw, e.g. {@code java.lang.ArithmeticException}. */
    public String type() {
        return type;
    }

    @Override
    public String toString() {
        return getMessage() == null ? type : type + ": " + getMessage();
    }
}
