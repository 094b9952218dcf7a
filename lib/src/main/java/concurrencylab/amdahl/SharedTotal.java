package concurrencylab.amdahl;

import concurrencylab.check.WatchedLock;
import concurrencylab.workloads.Workloads;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared state of lesson 12's exercise: a running total that worker threads add their
 * results to, the lock that guards it, and the work items whose results they add, all watched,
 * so that a check can see what an answer does rather than how long it takes.
 *
 * <p>Contract: {@link #work(long)} counts {@code unitsPerItem} increments with the lab's
 * honest counting loop and returns {@code unitsPerItem + i % 7}; it notes how many of its
 * increments ran while the calling thread held {@link #lock}. {@link #add(long)} adds to the
 * total and is meant to be called holding the lock: it does the add either way (as a plain
 * {@code total += x} would, so an unguarded add can lose updates), and counts a call made
 * without the lock. {@link #addAtomically(long)} adds with one atomic instruction, as
 * {@link AtomicLong#addAndGet} does, and needs no lock. Both count each thread's updates of
 * the total. Memory effects: those of the lock for {@code add} under it, and of an
 * {@code AtomicLong} for {@code addAtomically}; {@link #total()} is meant to be read after
 * the workers have been joined.
 *
 * <p>What it does not do: start threads, or time anything.
 *
 * <pre>{@code
 * SharedTotal shared = new SharedTotal(10_000);
 * long mine = 0;
 * for (long i = 0; i < 1_000; i++) mine += shared.work(i);
 * shared.lock.lock();
 * try { shared.add(mine); } finally { shared.lock.unlock(); }
 * shared.total() == shared.expectedTotal(1_000);   // true
 * }</pre>
 */
public final class SharedTotal {

    /** The lock that guards the total. */
    public final WatchedLock lock = new WatchedLock();

    private final long unitsPerItem;
    private long total;                       // guarded by lock, except where an answer forgets it
    private final AtomicLong atomicTotal = new AtomicLong();
    private final LongAdder units = new LongAdder();
    private final LongAdder unitsUnderLock = new LongAdder();
    private final LongAdder unguardedAdds = new LongAdder();
    private final LongAdder atomicAdds = new LongAdder();
    private final Map<Thread, LongAdder> updates = new ConcurrentHashMap<>();

    /**
     * A total at zero whose work items each count {@code unitsPerItem} increments.
     *
     * @throws IllegalArgumentException if unitsPerItem is not between 1 and 10^9
     */
    public SharedTotal(long unitsPerItem) {
        if (unitsPerItem < 1 || unitsPerItem > 1_000_000_000L) {
            throw new IllegalArgumentException("unitsPerItem must be between 1 and 1,000,000,000 (got " + unitsPerItem + ")");
        }
        this.unitsPerItem = unitsPerItem;
    }

    /**
     * The result of work item {@code i}: {@code unitsPerItem + i % 7}, after counting
     * {@code unitsPerItem} increments.
     *
     * @throws java.util.concurrent.CancellationException if the thread is interrupted
     */
    public long work(long i) {
        long counted = Workloads.count(unitsPerItem);
        units.add(counted);
        if (lock.isHeldByCurrentThread()) {
            unitsUnderLock.add(counted);
        }
        return counted + Math.floorMod(i, 7);
    }

    /** Adds {@code value} to the total; hold {@link #lock} while calling it (a call without it is counted). */
    public void add(long value) {
        if (!lock.isHeldByCurrentThread()) {
            unguardedAdds.increment();
        }
        updates.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
        total += value;
    }

    /** Adds {@code value} to the total atomically, without the lock (a compare-and-swap on one shared variable). */
    public void addAtomically(long value) {
        updates.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
        atomicAdds.increment();
        atomicTotal.addAndGet(value);
    }

    /**
     * The total: every add and addAtomically so far. Read it after joining the workers (the join
     * makes their writes visible); it takes no lock, so that a lock an answer left held cannot
     * block the check that reads it.
     */
    public long total() {
        return total + atomicTotal.get();
    }

    /** What the total must be once items 0 to {@code items - 1} have each been added once. */
    public long expectedTotal(long items) {
        long sum = items * unitsPerItem;
        for (long r = 0; r < 7; r++) {
            long count = items > r ? (items - 1 - r) / 7 + 1 : 0;   // how many i below items have i % 7 == r
            sum += r * count;
        }
        return sum;
    }

    /** Increments counted by {@link #work} so far. */
    public long units() {
        return units.sum();
    }

    /** Of those, the increments counted while the calling thread held {@link #lock}. */
    public long unitsUnderLock() {
        return unitsUnderLock.sum();
    }

    /** The share of the work done holding the lock, from 0 to 1 (0 before any work). */
    public double shareUnderLock() {
        long all = units();
        return all == 0 ? 0 : (double) unitsUnderLock() / all;
    }

    /** Calls to {@link #add} made without holding the lock. */
    public long unguardedAdds() {
        return unguardedAdds.sum();
    }

    /** Calls to {@link #addAtomically}. */
    public long atomicAdds() {
        return atomicAdds.sum();
    }

    /** The most updates of the total (add and addAtomically) made by any one thread. */
    public long mostUpdatesByOneThread() {
        return updates.values().stream().mapToLong(LongAdder::sum).max().orElse(0);
    }

    /** Threads that updated the total. */
    public int updatingThreads() {
        return updates.size();
    }

    /** Most updates of the total one worker may make and still combine "once": once, or twice at a stretch. */
    public static final int MOST_UPDATES_PER_WORKER = 2;

    /**
     * What is wrong, once the workers have added items 0 to {@code items - 1} and been joined,
     * as a hint that names the fix; null when nothing is. In order: an add made without the
     * lock (whether or not an update was lost this time); a total other than
     * {@link #expectedTotal}; more than 1 % of the work done holding the lock; a worker that
     * updated the total more than {@value #MOST_UPDATES_PER_WORKER} times (an atomic add per
     * item included: exact, but each update is a step the workers take in turn on one
     * variable); the lock still held. It judges what the workers did, never how long they took.
     */
    public String problemAfter(long items) {
        long expected = expectedTotal(items);
        if (unguardedAdds() > 0) {
            return String.format(Locale.ROOT, "%,d adds to the total were made without holding shared.lock (%s): two"
                    + " workers can read the same old total and one update is lost. Take the lock around shared.add(...)",
                    unguardedAdds(), total() == expected ? "none was lost this time, by luck of the timing"
                            : String.format(Locale.ROOT, "the total came to %,d, not %,d", total(), expected));
        }
        if (total() != expected) {
            return String.format(Locale.ROOT, "the total was %,d, not %,d: add each work(i) exactly once", total(), expected);
        }
        if (shareUnderLock() > 0.01) {
            return String.format(Locale.ROOT, "%.0f %% of the work ran while holding shared.lock, so the workers took turns"
                    + " for it: that part is serial, and no number of workers gets it done faster. Call work(i) outside"
                    + " the lock", 100 * shareUnderLock());
        }
        if (mostUpdatesByOneThread() > MOST_UPDATES_PER_WORKER) {
            return String.format(Locale.ROOT, "the total was exact, but one worker updated it %,d times, once an item%s:"
                    + " each update is a step the workers take in turn on one shared variable. Add your share up in a"
                    + " local variable and add it to the total once, at the end", mostUpdatesByOneThread(),
                    atomicAdds() > 0 ? " (addAtomically needs no lock, yet the CPUs still take turns to own that one"
                            + " variable; lesson 09 measured what that costs)" : "");
        }
        if (lock.isLocked()) {
            return "the lock was still held after every worker had ended: release it in a finally block";
        }
        return null;
    }

    /** One line: the total, the share of the work under the lock, the updates per thread, the unguarded adds. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "total %,d; %.1f %% of %,d increments under the lock; at most %,d updates of"
                + " the total by one of %d threads; %,d adds without the lock", total(), 100 * shareUnderLock(), units(),
                mostUpdatesByOneThread(), updatingThreads(), unguardedAdds());
    }
}
