package concurrencylab.deadlock;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A schedule shared by a group of {@link LabLock}s: a thread that has just taken its first lock
 * of the group holds it, without going on, until every party holds a lock of the group or waits
 * for one, or until a bound passes. Two transfers that take their two locks in opposite order
 * then deadlock every time, on one CPU as on many, while transfers that take them in one order,
 * or back off with {@code tryLock}, still complete.
 *
 * <p>Contract: {@link #once} holds each thread only at the first lock it ever takes of the group
 * (the schedule that makes the classic deadlock certain); {@link #inStep} holds it every time it
 * goes from holding no lock of the group to holding one (threads that keep retrying in step: the
 * schedule of a livelock); in step, a thread whose {@code tryLock} fails is also held until every
 * other thread that holds a lock of the group has failed one too, so that none lets go before the
 * others have tried. A party that has ended counts as arrived. A hold never lasts longer than the bound, and ends at once when the
 * holding thread is interrupted (its interrupt status is kept) or the handshake is
 * {@link #cancel() cancelled}. After {@code cancel()}, every lock of the group refuses to be
 * taken ({@link java.util.concurrent.CancellationException}), so that a thread that swallowed its
 * interrupt still stops at its next lock. Releasing is never refused.
 *
 * <p>What it does not do: it does not see {@code synchronized} blocks (a monitor has no hook), so
 * it shapes only the schedule of threads that use the group's {@code LabLock}s.
 *
 * <pre>{@code
 * Handshake handshake = Handshake.once(2, Duration.ofSeconds(1));
 * LabLock alex = new LabLock("Alex's lock", handshake), sam = new LabLock("Sam's lock", handshake);
 * // alex then sam on one thread, sam then alex on another: a deadlock, every time
 * }</pre>
 */
public final class Handshake {

    /** The longest hold a handshake accepts: a minute. */
    public static final Duration MAX_BOUND = Duration.ofMinutes(1);

    private final int parties;
    private final long boundNanos;
    private final boolean everyRound;
    private final Map<Thread, Integer> holding = new HashMap<>();
    private final Set<Thread> waiting = new HashSet<>();
    private final Set<Thread> heldOnce = new HashSet<>();
    private final Set<Thread> seen = new HashSet<>();
    private final Set<Thread> failed = new HashSet<>();
    private int holds;
    private int boundReached;
    private volatile boolean cancelled;

    private Handshake(int parties, Duration bound, boolean everyRound) {
        if (parties < 1 || parties > 1_000) {
            throw new IllegalArgumentException("a handshake needs between 1 and 1,000 parties (got " + parties + ")");
        }
        Objects.requireNonNull(bound, "bound");
        if (bound.isNegative() || bound.compareTo(MAX_BOUND) > 0) {
            throw new IllegalArgumentException("a handshake's bound must be between 0 and a minute (got " + bound + ")");
        }
        this.parties = parties;
        this.boundNanos = bound.toNanos();
        this.everyRound = everyRound;
    }

    /**
     * Holds each of {@code parties} threads at the first lock it takes of the group, until every
     * party holds one or waits for one, or {@code bound} has passed.
     *
     * @throws IllegalArgumentException if parties is not between 1 and 1,000, or the bound not between 0 and a minute
     */
    public static Handshake once(int parties, Duration bound) {
        return new Handshake(parties, bound, false);
    }

    /**
     * As {@link #once}, but every time a thread goes from holding no lock of the group to holding
     * one: the threads are kept in step, round after round.
     *
     * @throws IllegalArgumentException as {@link #once}
     */
    public static Handshake inStep(int parties, Duration bound) {
        return new Handshake(parties, bound, true);
    }

    /** Ends every hold now, and makes every lock of the group refuse to be taken from now on. */
    public void cancel() {
        cancelled = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /** True once {@link #cancel()} has been called. */
    public boolean cancelled() {
        return cancelled;
    }

    /** How many times a thread was held (whether or not the others came). */
    public synchronized int holds() {
        return holds;
    }

    /** How many holds ended because the bound passed before every party held or waited for a lock. */
    public synchronized int boundReached() {
        return boundReached;
    }

    synchronized void waiting(Thread t, boolean now) {
        seen.add(t);
        if (now) {
            waiting.add(t);
        } else {
            waiting.remove(t);
        }
        notifyAll();
    }

    /** Called by a lock of the group once {@code t} has taken it (its hold count went from 0 to 1). */
    synchronized void acquired(Thread t) {
        seen.add(t);
        int before = holding.getOrDefault(t, 0);
        holding.put(t, before + 1);
        notifyAll();
        if (before > 0 || cancelled || !(everyRound || heldOnce.add(t))) {
            return;
        }
        holds++;
        long deadline = System.nanoTime() + boundNanos;
        try {
            while (!everyoneArrived() && !cancelled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    boundReached++;
                    return;
                }
                wait(Math.max(1, left / 1_000_000), 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called by a lock of the group when {@code t}'s {@code tryLock} has failed. In step, the thread
     * is held until every other thread that holds a lock of the group has failed too (or the bound
     * passes), so that none of them lets go before the others have tried: polite threads in step.
     */
    synchronized void failed(Thread t) {
        if (!everyRound || cancelled) {
            return;
        }
        failed.add(t);
        notifyAll();
        long deadline = System.nanoTime() + boundNanos;
        try {
            while (!cancelled && !allHoldersFailed()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    boundReached++;
                    return;
                }
                wait(Math.max(1, left / 1_000_000), 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean allHoldersFailed() {
        for (Thread t : holding.keySet()) {
            if (t.isAlive() && !failed.contains(t)) {
                return false;
            }
        }
        return true;
    }

    /** Called by a lock of the group once {@code t} has released it completely. */
    synchronized void released(Thread t) {
        int before = holding.getOrDefault(t, 0);
        if (before <= 1) {
            holding.remove(t);
            failed.remove(t);
        } else {
            holding.put(t, before - 1);
        }
        notifyAll();
    }

    /** Every party holds a lock of the group, waits for one, or has ended (a party that ended will never come). */
    private boolean everyoneArrived() {
        Set<Thread> present = new HashSet<>(holding.keySet());
        present.addAll(waiting);
        for (Thread t : seen) {
            if (!t.isAlive()) {
                present.add(t);
            }
        }
        return present.size() >= parties;
    }

    @Override
    public synchronized String toString() {
        return String.format("Handshake[%s, %d parties, bound %d ms, %d holds, %d ended by the bound%s]",
                everyRound ? "in step" : "once", parties, boundNanos / 1_000_000, holds, boundReached,
                cancelled ? ", cancelled" : "");
    }
}
