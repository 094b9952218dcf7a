package concurrencylab.pools;

/**
 * One task of a pool call: a chunk of consecutive inputs that one worker ran in one go (with a
 * chunksize of 1, a single input), and when, in milliseconds since the call began (one wall
 * clock for every JVM on the machine).
 *
 * @param task the task's number in its call, from 1
 * @param firstInput the position of its first input, from 0
 * @param inputs how many inputs it held
 * @param worker the worker that ran it, from 1
 * @param startMillis when the worker began it
 * @param endMillis when the worker finished it (for a lost attempt, when the pool learnt its worker was gone)
 * @param outcome how this attempt ended: ran, lost with its worker, or ran again on another worker
 */
public record TaskSpan(int task, long firstInput, int inputs, int worker, double startMillis, double endMillis,
                       Outcome outcome) {

    /** How one attempt at a task ended. Only a cluster pool loses and re-runs tasks. */
    public enum Outcome {
        /** Ran on the worker it was handed to. */
        RAN,
        /** Its worker left (a cluster member killed, say) before it returned a result. */
        LOST,
        /** Ran again, on another worker, after its first worker was lost. */
        RERUN
    }

    /** An attempt that ran where it was sent. */
    public TaskSpan(int task, long firstInput, int inputs, int worker, double startMillis, double endMillis) {
        this(task, firstInput, inputs, worker, startMillis, endMillis, Outcome.RAN);
    }

    /** How long the worker spent on it. */
    public double millis() {
        return endMillis - startMillis;
    }
}
