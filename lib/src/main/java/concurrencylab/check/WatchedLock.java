package concurrencylab.check;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} that also counts the calls to {@link #unlock()} made by a thread that
 * did not hold it, so that a check can see such a call even when the answer caught the
 * {@link IllegalMonitorStateException} it throws.
 *
 * <p>Contract: it locks, unlocks and waits exactly as a {@code ReentrantLock} does (a stranger's
 * unlock still throws); the count is the only addition. Memory effects are those of
 * {@code ReentrantLock}.
 *
 * <pre>{@code
 * WatchedLock lock = new WatchedLock();
 * try { lock.unlock(); } catch (IllegalMonitorStateException e) { }   // swallowed ...
 * lock.strangerUnlocks();                                              // ... but counted: 1
 * }</pre>
 */
public final class WatchedLock extends ReentrantLock {

    private final AtomicInteger strangerUnlocks = new AtomicInteger();

    /** A non-fair lock, as {@code new ReentrantLock()}. */
    public WatchedLock() {
    }

    /**
     * Releases the lock as {@link ReentrantLock#unlock()} does, after counting the call if this
     * thread does not hold the lock.
     *
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    @Override
    public void unlock() {
        if (!isHeldByCurrentThread()) {
            strangerUnlocks.incrementAndGet();
        }
        super.unlock();
    }

    /** How many times a thread that did not hold this lock called {@link #unlock()}. */
    public int strangerUnlocks() {
        return strangerUnlocks.get();
    }

    @Override
    public String toString() {
        return super.toString() + " (" + strangerUnlocks.get() + " unlocks by a thread that did not hold it)";
    }
}
