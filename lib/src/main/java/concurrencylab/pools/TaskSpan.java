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
 * @param endMillis when the worker finished it
 */
public record TaskSpan(int task, long firstInput, int inputs, int worker, double startMillis, double endMillis) {

    /** How long the worker spent on it. */
    public double millis() {
        return endMillis - startMillis;
    }
}
