package concurrencylab.chart;

/**
 * One bar of a timeline: a row (a worker), a stretch of time on it, and the series that
 * colours it (the same worker, or the task it ran).
 *
 * @param row the row, from 1 (drawn from the top)
 * @param startMillis where the bar begins
 * @param endMillis where it ends, not before it begins
 * @param series the legend entry, e.g. "worker 1" or "task 5"
 */
public record Bar(int row, double startMillis, double endMillis, String series) {

    /** Rejects a bar that ends before it begins or a row below 1. */
    public Bar {
        if (row < 1) {
            throw new IllegalArgumentException("row must be at least 1 (got " + row + ")");
        }
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("a bar cannot end (" + endMillis + ") before it starts (" + startMillis + ")");
        }
    }
}
