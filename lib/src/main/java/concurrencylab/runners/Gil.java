package concurrencylab.runners;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A simulated global interpreter lock, after CPython's: a thread must hold it to compute. A
 * thread that has waited for a whole switch interval asks the holder to let go; the holder
 * notices at its next checkpoint, releases the lock and queues for it again behind the others
 * (the lock is fair). Around blocking calls the holder releases it, so waiting overlaps.
 */
final class Gil {

    private final ReentrantLock lock = new ReentrantLock(true);
    private final long intervalNanos;
    private volatile boolean dropRequested;
    private final AtomicLong switches = new AtomicLong();

    Gil(Duration switchInterval) {
        this.intervalNanos = switchInterval.toNanos();
    }

    /** Waits for the lock, asking the holder to let go after every interval spent waiting. */
    void acquire() throws InterruptedException {
        while (!lock.tryLock(intervalNanos, TimeUnit.NANOSECONDS)) {
            dropRequested = true;
        }
        dropRequested = false;
    }

    void release() {
        lock.unlock();
    }

    /** Called by the holder between chunks of work: gives the lock away if someone asked. */
    void checkpoint() throws InterruptedException {
        if (dropRequested) {
            switches.incrementAndGet();
            release();
            acquire();
        }
    }

    /** How many times a holder gave the lock away on request. */
    long switches() {
        return switches.get();
    }
}
