package concurrencylab.runners;

/**
 * What a runner gives a task while it runs: the worker's number, a checkpoint to call between
 * chunks of computation, and a way to wait (sleep, read, ...) that lets other workers run.
 */
public interface WorkerContext {

    /** The worker's number, from 1. */
    int worker();

    /**
     * Reports progress and gives the runner a chance to act: stop the task if the run was
     * interrupted (by throwing {@link java.util.concurrent.CancellationException}), or, under the
     * simulated GIL, let another thread run. Call it at least every few milliseconds of work.
     *
     * @param done units of work finished so far
     */
    void checkpoint(long done);

    /**
     * Runs a blocking action (a sleep, a read): under the simulated GIL the lock is released
     * around it, as CPython does around I/O, so that other workers compute meanwhile.
     */
    void blocking(Runnable action);
}
