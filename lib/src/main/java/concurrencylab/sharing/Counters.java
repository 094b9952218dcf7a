package concurrencylab.sharing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs counters on threads: {@code threads} platform threads each add 1 to one shared counter
 * {@code incrementsPerThread} times, in one {@link CounterKind}'s way, all starting together;
 * then checks the total and times the run.
 *
 * <p>Contract: every total is checked. A kind that must be exact and comes up short is a bug
 * in the lab, reported with {@link IllegalStateException}; the racy kind's total must lie
 * between 1 and the expected total (a run that lost nothing is a possible result, not an
 * error). Every thread a run starts has ended when it returns or throws. Interrupting the
 * calling thread stops the threads at their next chunk of {@value #CHUNK} increments (well
 * within a second), joins them and throws {@link CancellationException}, with the caller's
 * interrupt flag still set.
 *
 * <p>What it does not do: it does not keep a run short by itself (the caller chooses the
 * increments; a lesson checks them first), and one run is one measurement, noisy on a busy
 * machine: {@link #contention} takes the best of several.
 *
 * <pre>{@code
 * CounterRun run = Counters.run(CounterKind.RACY, 4, 1_000_000);
 * run.lost();                                        // > 0 on a machine with several CPUs
 * Counters.lostUpdates(List.of(1, 2, 4), 1_000_000);  // CounterRuns; Display.show draws the lost fraction
 * }</pre>
 */
public final class Counters {

    /** Increments a thread makes between two looks at its interrupt flag. */
    public static final int CHUNK = 1 << 14;
    /** The most threads one run starts. */
    public static final int MAX_THREADS = 1_024;

    private static final java.util.Set<CounterKind> RUN_BEFORE = ConcurrentHashMap.newKeySet();

    private Counters() {}

    /**
     * One run: {@code threads} threads, each adding 1 {@code incrementsPerThread} times with
     * {@code kind}, started together; the total checked.
     *
     * @throws IllegalArgumentException if threads is not 1 to {@value #MAX_THREADS}, or the
     *     increments are below 1 or make a total beyond {@code Long.MAX_VALUE}
     * @throws IllegalStateException if an exact kind's total is not exact (a lab bug)
     * @throws CancellationException if the calling thread is interrupted
     */
    public static CounterRun run(CounterKind kind, int threads, long incrementsPerThread) {
        Objects.requireNonNull(kind, "kind");
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + " (got " + threads + ")");
        }
        if (incrementsPerThread < 1 || incrementsPerThread > Long.MAX_VALUE / threads) {
            throw new IllegalArgumentException("increments per thread must be at least 1, and threads x increments "
                    + "must fit in a long (got " + incrementsPerThread + ")");
        }
        CounterKind.Shared shared = kind.newShared();
        long[] ownTotals = new long[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int me = k;
            workers.add(Thread.ofPlatform().daemon().name("counter-" + kind.name().toLowerCase(Locale.ROOT) + "-" + k)
                    .unstarted(() -> {
                        try {
                            ready.countDown();
                            go.await();
                            long remaining = incrementsPerThread;
                            long own = 0;
                            while (remaining > 0 && !Thread.currentThread().isInterrupted()) {
                                int chunk = (int) Math.min(CHUNK, remaining);
                                long counted = kind.addOnes(shared, own, chunk);
                                if (counted >= 0) {
                                    own = counted;           // per-thread: the thread's own sum so far
                                }
                                remaining -= chunk;
                            }
                            ownTotals[me] = own;
                        } catch (InterruptedException e) {
                            // asked to stop before the start: nothing to add
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    }));
        }
        boolean firstCall = RUN_BEFORE.add(kind);
        long start = 0;
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
            stop(workers);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: the " + threads + " counting thread(s) were stopped");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a counting thread failed: " + failure.get(), failure.get());
        }
        long total = shared.total();
        if (kind == CounterKind.PER_THREAD) {
            total = 0;
            for (long own : ownTotals) {
                total += own;
            }
        }
        CounterRun run = new CounterRun(kind, threads, incrementsPerThread, total, end - start, firstCall);
        if (kind.exact() ? run.lost() != 0 : run.total() < 1 || run.lost() < 0) {
            throw new IllegalStateException("the " + kind.label() + " counter's total is wrong: " + run);
        }
        return run;
    }

    /** Interrupts the workers and waits for each to end: each looks at its flag every chunk. */
    private static void stop(List<Thread> workers) {
        workers.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException again) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The lost-update experiment: the racy counter at each thread count, {@code incrementsPerThread}
     * each, after one run of 2 x 2^21 increments for the JIT.
     *
     * @throws IllegalArgumentException as {@link #run}, or if the list is empty
     * @throws CancellationException if the calling thread is interrupted
     */
    public static CounterRuns lostUpdates(List<Integer> threadCounts, long incrementsPerThread) {
        requireCounts(threadCounts);
        warmUp(CounterKind.RACY);
        List<CounterRun> runs = new ArrayList<>();
        for (int threads : threadCounts) {
            runs.add(run(CounterKind.RACY, threads, incrementsPerThread));
        }
        return new CounterRuns(runs, null);
    }

    /**
     * The contention experiment: each kind at each thread count, {@code incrementsPerThread}
     * each, the best (fastest) of {@code rounds} runs, after one run of each kind (2 threads x 2^21) for the JIT.
     *
     * @throws IllegalArgumentException as {@link #run}, if a list is empty or rounds is not 1 to 20
     * @throws CancellationException if the calling thread is interrupted
     */
    public static CounterRuns contention(List<CounterKind> kinds, List<Integer> threadCounts, long incrementsPerThread,
                                         int rounds) {
        requireCounts(threadCounts);
        if (kinds == null || kinds.isEmpty()) {
            throw new IllegalArgumentException("name at least one counter kind");
        }
        if (rounds < 1 || rounds > 20) {
            throw new IllegalArgumentException("rounds must be from 1 to 20 (got " + rounds + ")");
        }
        kinds.forEach(Counters::warmUp);
        List<CounterRun> runs = new ArrayList<>();
        for (CounterKind kind : kinds) {
            for (int threads : threadCounts) {
                CounterRun best = null;
                for (int r = 0; r < rounds; r++) {
                    CounterRun run = run(kind, threads, incrementsPerThread);
                    if (best == null || run.nanos() < best.nanos()) {
                        best = run;
                    }
                }
                runs.add(best);
            }
        }
        return new CounterRuns(runs, null);
    }

    /**
     * Thread counts from 1 to {@code max}: every count up to 8, then doubling, then {@code max}
     * itself (so a 2-CPU machine's 2 x CPUs gives 1, 2, 3, 4; a 48-CPU machine's 96 a dozen points).
     *
     * @throws IllegalArgumentException if max is not 1 to {@value #MAX_THREADS}
     */
    public static List<Integer> threadCounts(int max) {
        if (max < 1 || max > MAX_THREADS) {
            throw new IllegalArgumentException("the most threads must be from 1 to " + MAX_THREADS + " (got " + max + ")");
        }
        List<Integer> counts = new ArrayList<>();
        for (int n = 1; n <= max; n = n < 8 ? n + 1 : n * 2) {
            counts.add(n);
        }
        if (counts.get(counts.size() - 1) != max) {
            counts.add(max);
        }
        return counts;
    }

    /** Increments per thread of the warm-up run before an experiment: enough for the JIT to compile each kind's loop. */
    static final long WARM_UP = 1L << 21;

    /** A short run of each kind, so that the timed runs are compiled code, not first calls. */
    private static void warmUp(CounterKind kind) {
        run(kind, 2, WARM_UP);
    }

    private static void requireCounts(List<Integer> threadCounts) {
        if (threadCounts == null || threadCounts.isEmpty()) {
            throw new IllegalArgumentException("name at least one thread count");
        }
    }
}
