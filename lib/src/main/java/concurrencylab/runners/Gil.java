package concurrencylab.runners;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** Who held the lock when: {worker, from, to} in System.nanoTime(), the first MAX_SLICES only. */
    private final List<long[]> slices = new ArrayList<>();
    private long heldSince;

    /** Slices kept for the timeline; a long run keeps its first ones only. */
    static final int MAX_SLICES = 5_000;

    Gil(Duration switchInterval) {
        this.intervalNanos = switchInterval.toNanos();
    }

    /** Waits for the lock, asking the holder to let go after every interval spent waiting. */
    void acquire() throws InterruptedException {
        while (!lock.tryLock(intervalNanos, TimeUnit.NANOSECONDS)) {
            dropRequested = true;
        }
        dropRequested = false;
        heldSince = System.nanoTime();
    }

    /** Lets go of the lock, remembering that {@code worker} held it since it got it. */
    void release(int worker) {
        long now = System.nanoTime();
        synchronized (slices) {
            if (slices.size() < MAX_SLICES) {
                slices.add(new long[] {worker, heldSince, now});
            }
        }
        lock.unlock();
    }

    /** Called by the holder between chunks of work: gives the lock away if someone asked. */
    void checkpoint(int worker) throws InterruptedException {
        if (dropRequested) {
            switches.incrementAndGet();
            release(worker);
            acquire();
        }
    }

    /** The stretches each worker held the lock, as spans in milliseconds since {@code t0}. */
    List<Span> slices(long t0) {
        synchronized (slices) {
            return slices.stream().map(s -> new Span((int) s[0], (s[1] - t0) / 1e6, (s[2] - t0) / 1e6)).toList();
        }
    }

    /** How many times a holder gave the lock away on request. */
    long switches() {
        return switches.get();
    }
}
