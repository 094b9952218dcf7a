package concurrencylab.workloads;

/**
 * Called by a workload between chunks of its work, at least every few milliseconds: the place
 * where a runner publishes progress, notices an interrupt, or (for the simulated GIL) lets
 * another thread run.
 *
 * <p>An implementation may throw {@link java.util.concurrent.CancellationException} to stop the
 * workload; it must be cheap, since it runs hundreds of times a second.
 */
@FunctionalInterface
public interface Checkpoint {

    /** Does nothing but notice an interrupt: see {@link #interruptible()}. */
    Checkpoint INTERRUPTIBLE = done -> stopIfInterrupted();

    /**
     * Reports progress.
     *
     * @param done units of work finished so far (for {@link Workloads#count}, increments)
     */
    void reached(long done);

    /** The checkpoint that only stops the work when its thread is interrupted. */
    static Checkpoint interruptible() {
        return INTERRUPTIBLE;
    }

    /**
     * Throws {@link java.util.concurrent.CancellationException} if the current thread has been
     * interrupted, leaving its interrupt flag set so that callers further up see it too.
     */
    static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException(
                    Thread.currentThread().getName() + " was interrupted, so it stopped its work");
        }
    }
}
