package concurrencylab.sharing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Increments per second of one shared counter, for each exact {@link CounterKind}
 * (synchronized, ReentrantLock, AtomicLong, LongAdder, per-thread sums) at 1, 2 and 2 x CPUs
 * threads: lesson 09's contention experiment, measured by JMH.
 *
 * <p>Each invocation makes {@value #INCREMENTS} increments in all, shared out among
 * {@code threads} worker threads that the trial starts once and keeps (so no invocation pays
 * for starting threads): the invocation hands a fresh counter to the workers, releases them
 * together, waits until all have finished their share, and checks that the total is exactly
 * {@value #INCREMENTS} (a wrong total throws). The loops are the lab's own
 * ({@code CounterKind.addOnes}): each shared increment is a real read and write inside its
 * lock or atomic, which the JIT may not merge; per-thread sums count a local with lesson 03's
 * honest loop. The score is increments per second, all threads together.
 *
 * <p>The hand-off (two barrier crossings per invocation) costs tens of microseconds, under 1%
 * of an invocation for the shared kinds and a few per cent for per-thread sums at 2 x CPUs,
 * whose invocations are shortest.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CounterBenchmark {

    /** Increments per invocation, all threads together. */
    static final int INCREMENTS = 1 << 22;

    /** How many threads add at once: 1, 2, or "2xCPUs" (twice availableProcessors). */
    @Param({"1", "2", "2xCPUs"})
    public String threads;

    private Workers synchronizedWorkers;
    private Workers lockWorkers;
    private Workers atomicWorkers;
    private Workers adderWorkers;
    private Workers perThreadWorkers;

    @Setup(Level.Trial)
    public void start() {
        int n = threads.equals("2xCPUs") ? 2 * Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
        synchronizedWorkers = new Workers(CounterKind.SYNCHRONIZED, n);
        lockWorkers = new Workers(CounterKind.REENTRANT_LOCK, n);
        atomicWorkers = new Workers(CounterKind.ATOMIC_LONG, n);
        adderWorkers = new Workers(CounterKind.LONG_ADDER, n);
        perThreadWorkers = new Workers(CounterKind.PER_THREAD, n);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        for (Workers w : List.of(synchronizedWorkers, lockWorkers, atomicWorkers, adderWorkers, perThreadWorkers)) {
            w.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public long synchronizedCounter() throws Exception {
        return synchronizedWorkers.round();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public long reentrantLock() throws Exception {
        return lockWorkers.round();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public long atomicLong() throws Exception {
        return atomicWorkers.round();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public long longAdder() throws Exception {
        return adderWorkers.round();
    }

    @Benchmark
    @OperationsPerInvocation(INCREMENTS)
    public long perThreadSums() throws Exception {
        return perThreadWorkers.round();
    }

    /** Worker threads of one kind, kept for the trial; each round, every worker adds its share. */
    static final class Workers {
        private final CounterKind kind;
        private final List<Thread> threads = new ArrayList<>();
        private final CyclicBarrier start;
        private final CyclicBarrier end;
        private final long[] own;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private CounterKind.Shared shared;     // handed over through the start barrier
        private volatile boolean closing;

        Workers(CounterKind kind, int n) {
            this.kind = kind;
            this.start = new CyclicBarrier(n + 1);
            this.end = new CyclicBarrier(n + 1);
            this.own = new long[n];
            for (int k = 0; k < n; k++) {
                int me = k;
                int share = INCREMENTS / n + (k < INCREMENTS % n ? 1 : 0);
                threads.add(Thread.ofPlatform().daemon().name("bench-" + kind.name().toLowerCase() + "-" + k).start(() -> {
                    try {
                        while (true) {
                            start.await();
                            if (closing) {
                                return;
                            }
                            long mine = 0;
                            for (int done = 0; done < share; done += Counters.CHUNK) {
                                long counted = kind.addOnes(shared, mine, Math.min(Counters.CHUNK, share - done));
                                if (counted >= 0) {
                                    mine = counted;
                                }
                            }
                            own[me] = mine;
                            end.await();
                        }
                    } catch (InterruptedException | BrokenBarrierException e) {
                        // the trial is over
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        end.reset();
                    }
                }));
            }
        }

        /** One invocation: a fresh counter, every worker's share, and the total checked. */
        long round() throws Exception {
            shared = kind.newShared();
            start.await();
            end.await();
            if (failure.get() != null) {
                throw new IllegalStateException("a " + kind.label() + " worker failed", failure.get());
            }
            long total = shared.total();
            if (kind == CounterKind.PER_THREAD) {
                total = 0;
                for (long part : own) {
                    total += part;
                }
            }
            if (total != INCREMENTS) {
                throw new AssertionError(kind.label() + ": expected " + INCREMENTS + " increments, counted " + total);
            }
            return total;
        }

        void close() throws InterruptedException {
            closing = true;
            start.reset();                      // wakes every worker waiting at the start
            for (Thread t : threads) {
                t.interrupt();
                t.join(1_000);
            }
        }
    }
}
