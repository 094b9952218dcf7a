package concurrencylab.deadlock;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} with a name, whose waits can always be ended from outside: the lab's
 * lock for deadlock demos and checks.
 *
 * <p>Contract: it locks and unlocks as a non-fair {@code ReentrantLock} does, with these
 * differences, which exist so that a demo or a check can free every thread it parked:
 * <ul>
 * <li>{@link #lock()} waits interruptibly: a thread interrupted while it waits (or that calls
 *     it already interrupted) gets a {@link CancellationException} instead of the lock, and keeps
 *     its interrupt status. A plain {@code ReentrantLock.lock()} would go on waiting.</li>
 * <li>{@link #tryLock()} throws {@code CancellationException} in an interrupted thread instead
 *     of trying, so that a loop of {@code tryLock()} calls stops when asked.</li>
 * <li>With a {@link Handshake}, taking a first lock may hold the thread a while (see there), and
 *     once the handshake is cancelled every acquiring method throws {@code CancellationException}.</li>
 * </ul>
 * {@code lockInterruptibly()} and {@code tryLock(time, unit)} throw {@code InterruptedException}
 * as usual. {@link #unlock()} is never refused to the owner. Memory effects are those of
 * {@code ReentrantLock}. The lock also remembers which thread it is held by ({@link #owner()}) and
 * how often each thread failed to get it with {@code tryLock} ({@link #failedTries(Thread)}), so
 * that a check can say who held what.
 *
 * <p>What it does not do: it cannot free a thread blocked in {@code synchronized}; nothing can.
 *
 * <pre>{@code
 * LabLock alex = new LabLock("Alex's lock");
 * Thread t = Thread.ofPlatform().start(alex::lock);   // parks while we hold it
 * t.interrupt();                                        // t gets a CancellationException and ends
 * }</pre>
 */
public class LabLock extends ReentrantLock {

    private volatile String name;
    private final Handshake handshake;
    private final Map<Thread, Integer> failedTries = new ConcurrentHashMap<>();
    private final Map<Thread, String> trying = new ConcurrentHashMap<>();

    /**
     * A lock named {@code name} ("Alex's lock"), with no handshake.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public LabLock(String name) {
        this(name, null);
    }

    /**
     * A lock named {@code name} whose first acquisitions follow {@code handshake} (null: none).
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public LabLock(String name, Handshake handshake) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a LabLock needs a name, to say who holds it");
        }
        this.name = name;
        this.handshake = handshake;
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /** Renames the lock: for a check that names its locks only once it has chosen them. */
    void rename(String newName) {
        this.name = Objects.requireNonNull(newName, "newName");
    }

    /** The handshake this lock follows, if any. */
    public Optional<Handshake> handshake() {
        return Optional.ofNullable(handshake);
    }

    /** The thread that holds this lock now, if any (a snapshot: it may change at once). */
    public Optional<Thread> owner() {
        return Optional.ofNullable(getOwner());
    }

    /** How many times {@code thread} called {@code tryLock} on this lock and did not get it. */
    public int failedTries(Thread thread) {
        return failedTries.getOrDefault(thread, 0);
    }

    /** The acquiring method {@code thread} is inside now ("lock()", "tryLock(time, unit)", ...), if any. */
    public Optional<String> tryingIn(Thread thread) {
        return Optional.ofNullable(trying.get(thread));
    }

    /**
     * Takes the lock, waiting for it interruptibly.
     *
     * @throws CancellationException if the thread is interrupted before or while it waits (its
     *     interrupt status is kept), or the handshake was cancelled
     */
    @Override
    public void lock() {
        refuseIfStopped("lock()");
        Thread me = Thread.currentThread();
        if (!super.tryLock()) {
            enter(me, "lock()");
            try {
                super.lockInterruptibly();
            } catch (InterruptedException e) {
                me.interrupt();
                throw new CancellationException(me.getName() + " was interrupted while it waited in lock() for " + name);
            } finally {
                leave(me);
            }
        }
        afterAcquire(me);
    }

    /**
     * Takes the lock unless the thread is interrupted, as {@code ReentrantLock} does.
     *
     * @throws InterruptedException if the thread is interrupted before or while it waits
     * @throws CancellationException if the handshake was cancelled
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        refuseIfCancelled("lockInterruptibly()");
        Thread me = Thread.currentThread();
        if (Thread.interrupted()) {
            throw new InterruptedException(me.getName() + " called lockInterruptibly() on " + name + " after it was interrupted");
        }
        if (!super.tryLock()) {
            enter(me, "lockInterruptibly()");
            try {
                super.lockInterruptibly();
            } finally {
                leave(me);
            }
        }
        afterAcquire(me);
    }

    /**
     * Takes the lock if it is free now, as {@code ReentrantLock} does.
     *
     * @throws CancellationException if the thread is interrupted (instead of trying), or the handshake was cancelled
     */
    @Override
    public boolean tryLock() {
        refuseIfStopped("tryLock()");
        Thread me = Thread.currentThread();
        if (!super.tryLock()) {
            failedTries.merge(me, 1, Integer::sum);
            if (handshake != null) {
                handshake.failed(me);
            }
            return false;
        }
        afterAcquire(me);
        return true;
    }

    /**
     * Takes the lock if it becomes free within the time given, as {@code ReentrantLock} does.
     *
     * @throws InterruptedException if the thread is interrupted before or while it waits
     * @throws CancellationException if the handshake was cancelled
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        refuseIfCancelled("tryLock(time, unit)");
        Thread me = Thread.currentThread();
        if (Thread.interrupted()) {
            throw new InterruptedException(me.getName() + " called tryLock(time, unit) on " + name + " after it was interrupted");
        }
        boolean got = super.tryLock();
        if (!got) {
            enter(me, "tryLock(time, unit)");
            try {
                got = super.tryLock(time, unit);
            } finally {
                leave(me);
            }
        }
        if (!got) {
            failedTries.merge(me, 1, Integer::sum);
            if (handshake != null) {
                handshake.failed(me);
            }
            return false;
        }
        afterAcquire(me);
        return true;
    }

    /**
     * Releases the lock, as {@code ReentrantLock} does; never refused to the owner, cancelled or not.
     *
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    @Override
    public void unlock() {
        super.unlock();
        if (handshake != null && getHoldCount() == 0) {
            handshake.released(Thread.currentThread());
        }
    }

    private void enter(Thread me, String method) {
        trying.put(me, method);
        if (handshake != null) {
            handshake.waiting(me, true);
        }
    }

    private void leave(Thread me) {
        trying.remove(me);
        if (handshake != null) {
            handshake.waiting(me, false);
        }
    }

    private void afterAcquire(Thread me) {
        if (handshake != null && handshake.cancelled()) {
            // got it as the run was being stopped: give it back, so that nothing goes on after a stop
            super.unlock();
            throw new CancellationException(me.getName() + " got " + name + " after the run was stopped, and gave it back");
        }
        if (handshake != null && getHoldCount() == 1) {
            handshake.acquired(me);
        }
    }

    private void refuseIfStopped(String method) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(Thread.currentThread().getName() + " called " + method + " on " + name
                    + " after it was interrupted");
        }
        refuseIfCancelled(method);
    }

    private void refuseIfCancelled(String method) {
        if (handshake != null && handshake.cancelled()) {
            throw new CancellationException(Thread.currentThread().getName() + " called " + method + " on " + name
                    + " after the run was stopped");
        }
    }

    @Override
    public String toString() {
        Thread owner = getOwner();
        return "LabLock[" + name + (owner == null ? ", free]" : ", held by " + owner.getName() + "]");
    }
}
