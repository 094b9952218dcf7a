package concurrencylab.runners;

/**
 * Receives a run's progress while it runs: about ten times a second on a thread of its own,
 * and once more when the run ends. It must return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param done units finished by each worker, in worker order (a fresh array each call)
     * @param total units each worker has to do
     * @param finished true on the last call, after every worker has ended
     */
    void update(long[] done, long total, boolean finished);
}
