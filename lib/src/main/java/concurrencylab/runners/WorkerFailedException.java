package concurrencylab.runners;

/**
 * A worker of a run failed: its task threw, or its child JVM crashed or exited with a non-zero
 * status. The other workers were stopped before this was thrown. The message names the worker;
 * for a child JVM it gives the exit status and its last lines on standard error.
 */
public class WorkerFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int worker;

    /** A failure of the given worker (numbered from 1). */
    public WorkerFailedException(int worker, String message, Throwable cause) {
        super(message, cause);
        this.worker = worker;
    }

    /** The worker that failed, numbered from 1. */
    public int worker() {
        return worker;
    }
}
