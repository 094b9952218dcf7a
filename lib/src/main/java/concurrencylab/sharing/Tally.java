package concurrencylab.sharing;

import java.util.function.LongSupplier;

/**
 * A running total that many threads add to: the shape of the lesson's exercise, run by
 * {@link Race}.
 *
 * <p>Contract: {@link #add} adds what {@code amount} returns, calling it exactly once; an
 * implementation that is safe for several threads loses no amount, whatever the threads do
 * at the same time. {@link #total()} is read after every adding thread has ended (so it needs
 * no happens-before edge of its own beyond the threads' join).
 *
 * <pre>{@code
 * class Exact implements Tally {
 *     private long total;
 *     public synchronized void add(LongSupplier amount) { total += amount.getAsLong(); }
 *     public synchronized long total() { return total; }
 * }
 * }</pre>
 */
public interface Tally {

    /** Adds {@code amount.getAsLong()} to the total; calls it once. */
    void add(LongSupplier amount);

    /** The total so far. */
    long total();
}
