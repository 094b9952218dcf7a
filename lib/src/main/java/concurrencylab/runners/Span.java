package concurrencylab.runners;

/**
 * When one worker ran, in milliseconds since its run started (one clock for all workers, child
 * JVMs included: the wall clock, read with microsecond resolution).
 *
 * @param worker the worker's number, from 1
 * @param startMillis when it began its task
 * @param endMillis when it finished
 */
public record Span(int worker, double startMillis, double endMillis) {

    /** How long the worker's task took. */
    public double millis() {
        return endMillis - startMillis;
    }
}
