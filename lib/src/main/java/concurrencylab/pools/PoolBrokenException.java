package concurrencylab.pools;

/**
 * A pool can no longer work: one of its worker JVMs died (killed, crashed, out of memory) or a
 * call outlived its timeout. The message names the worker and the inputs it was running. The
 * call that was waiting fails with this, every other worker is stopped, and any later use of the
 * pool throws it again: make a new pool.
 */
public final class PoolBrokenException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int worker;

    PoolBrokenException(int worker, String message) {
        super(message);
        this.worker = worker;
    }

    /** The worker whose failure broke the pool, from 1; 0 when none did (a timeout). */
    public int worker() {
        return worker;
    }
}
