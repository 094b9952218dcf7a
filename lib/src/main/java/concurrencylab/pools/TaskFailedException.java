package concurrencylab.pools;

/**
 * A pool's function threw for one input. The message names the input, its position and the
 * worker; the cause is what the function threw: the exception itself in a thread pool, a
 * {@link WorkerException} with the worker's type, message and stack in a process pool. The pool
 * stays usable.
 */
public final class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long inputIndex;
    private final int worker;

    TaskFailedException(long inputIndex, Object input, int worker, String poolKind, Throwable cause) {
        super("the function failed on input " + inputIndex + " (" + describe(input) + ") in worker " + worker
                + (switch (poolKind) {
                    case "processes" -> " (a JVM)";
                    case "cluster" -> " (a cluster member)";
                    default -> " (a thread)";
                }) + ": " + cause, cause);
        this.inputIndex = inputIndex;
        this.worker = worker;
    }

    /** The same failure again, thrown from the caller's thread (with its stack). */
    TaskFailedException(TaskFailedException original) {
        super(original.getMessage(), original.getCause());
        this.inputIndex = original.inputIndex;
        this.worker = original.worker;
    }

    /** The position of the failed input, from 0. */
    public long inputIndex() {
        return inputIndex;
    }

    /** The worker that ran it, from 1. */
    public int worker() {
        return worker;
    }

    /** The class name of what the function threw. */
    public String type() {
        return getCause() instanceof WorkerException remote ? remote.type() : getCause().getClass().getName();
    }

    static String describe(Object input) {
        String text = String.valueOf(input);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
