package concurrencylab.sharing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Runs a {@link Tally} on threads: each thread calls {@code add} {@code addsPerThread} times
 * with an amount of 1, all threads starting together; the total is then compared with what it
 * should be.
 *
 * <p>Two kinds of amount. {@link #run} passes one that returns 1 at once. {@link #runYielding}
 * passes one that first calls {@link Thread#yield()}, as a call that reads a file or a socket
 * may let other threads run: a tally that reads its total, calls the amount and then writes,
 * has every other thread's adds between its read and its write, so a race shows on any
 * machine, one CPU included, on almost every add (not only when the scheduler happens to
 * preempt a thread between two instructions). A tally that takes the amount outside its
 * window ({@code long a = amount.getAsLong(); total += a;}) still races, in a window of a few
 * instructions that only several CPUs reliably hit.
 *
 * <p>Contract: every thread it starts has ended when it returns, or, if an add never returns
 * (a lock never released), it waits a second for them after an interrupt and then says how many
 * are left (they are daemon threads, blocked). An exception thrown by {@code add} ends the run
 * and is rethrown. Interrupting the calling thread interrupts the adding threads, which stop at
 * their next add, and throws {@link CancellationException} with the interrupt flag still set.
 *
 * <pre>{@code
 * RaceRun run = Race.runYielding(new MyTally(), 4, 5_000);
 * run.exact() ? "exact" : run.toString();
 * }</pre>
 */
public final class Race {

    /** The most threads and the most adds per thread one race takes. */
    public static final int MAX_THREADS = 256;
    /** The most adds per thread. */
    public static final long MAX_ADDS = 100_000_000L;

    /** How long an interrupted race waits for its threads, in all. */
    private static final long STOP_WAIT_MILLIS = 1_000;

    private Race() {}

    /**
     * Runs {@code tally} on {@code threads} threads, each adding 1 {@code addsPerThread} times.
     *
     * @throws IllegalArgumentException if threads is not 1 to {@value #MAX_THREADS} or adds not 1 to {@value #MAX_ADDS}
     * @throws RuntimeException whatever {@code add} threw (wrapped in IllegalStateException if checked)
     * @throws CancellationException if the calling thread is interrupted
     */
    public static RaceRun run(Tally tally, int threads, long addsPerThread) {
        return race(tally, threads, addsPerThread, false);
    }

    /** As {@link #run}, with an amount that calls {@link Thread#yield()} before it returns 1. */
    public static RaceRun runYielding(Tally tally, int threads, long addsPerThread) {
        return race(tally, threads, addsPerThread, true);
    }

    private static final LongSupplier ONE = () -> 1;
    private static final LongSupplier YIELDING_ONE = () -> {
        Thread.yield();
        return 1;
    };

    private static RaceRun race(Tally tally, int threads, long addsPerThread, boolean yielding) {
        Objects.requireNonNull(tally, "tally");
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + " (got " + threads + ")");
        }
        if (addsPerThread < 1 || addsPerThread > MAX_ADDS) {
            throw new IllegalArgumentException("adds per thread must be from 1 to " + MAX_ADDS + " (got " + addsPerThread + ")");
        }
        LongSupplier amount = yielding ? YIELDING_ONE : ONE;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            workers.add(Thread.ofPlatform().daemon().name("tally-" + k).unstarted(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (long i = 0; i < addsPerThread && failure.get() == null; i++) {
                        if ((i & 255) == 0 && Thread.currentThread().isInterrupted()) {
                            return;
                        }
                        tally.add(amount);
                    }
                } catch (InterruptedException e) {
                    // asked to stop: stop
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        long start;
        long end;
        try {
            workers.forEach(Thread::start);
            ready.await();
            start = System.nanoTime();
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            end = System.nanoTime();
        } catch (InterruptedException e) {
            int left = stop(workers);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: the " + threads + " adding thread(s) were stopped"
                    + (left == 0 ? "" : ", except " + left + " that never returned from add (blocked: is a lock never released?)"));
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException("add threw " + t, t);
        }
        return new RaceRun(threads, addsPerThread, tally.total(), end - start, yielding);
    }

    /** Interrupts the workers, waits up to a second in all for them, and returns how many are still alive. */
    private static int stop(List<Thread> workers) {
        workers.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000;
        int left = 0;
        boolean interrupted = false;
        for (Thread worker : workers) {
            long wait = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                worker.join(wait);
            } catch (InterruptedException again) {
                interrupted = true;
            }
            if (worker.isAlive()) {
                left++;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return left;
    }

    /**
     * One race: how many threads added how many times, and what the total came to.
     *
     * @param threads adding threads
     * @param addsPerThread adds each made
     * @param total the tally's total after every thread ended
     * @param nanos wall time from the start signal to the last thread's end
     * @param yielding true if each amount yielded the CPU first ({@link #runYielding})
     */
    public record RaceRun(int threads, long addsPerThread, long total, long nanos, boolean yielding) {

        /** threads x adds. */
        public long expected() {
            return threads * addsPerThread;
        }

        /** Adds lost (negative if the tally counted more than it was given). */
        public long lost() {
            return expected() - total;
        }

        /** True if the total is exactly threads x adds. */
        public boolean exact() {
            return total == expected();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d thread%s x %,d adds%s: total %,d of %,d%s, in %,.1f ms", threads,
                    threads == 1 ? "" : "s", addsPerThread, yielding ? " (each amount yields first)" : "", total, expected(),
                    exact() ? ", exact" : lost() > 0 ? String.format(Locale.ROOT, ", %,d lost", lost())
                            : String.format(Locale.ROOT, ", %,d too many", -lost()), nanos / 1e6);
        }
    }
}
