package concurrencylab.amdahl;

import concurrencylab.workloads.Checkpoint;
import concurrencylab.workloads.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of the shared-lock workload: {@code items} work items split evenly among
 * {@code workers} platform threads; each item counts {@code outside} increments, then takes one
 * shared {@link ReentrantLock} and counts {@code inside} more while holding it. Each thread
 * times how long it waited for the lock and how long it held it. Every count is checked.
 *
 * <p>Interrupting the calling thread interrupts every worker (a worker waiting for the lock
 * waits with {@code lockInterruptibly}; a counting one stops at its next checkpoint) and joins
 * them before the call throws {@link CancellationException}.
 */
final class SharedLockRun {

    /** Increments in one work item: a couple of milliseconds of counting, long beside a lock hand-over (parking and waking a thread). */
    static final long ITEM_UNITS = 10_000_000;
    static final String THREAD_PREFIX = "amdahl-lock-worker-";

    final double wallMillis;
    final double heldMillis;
    final double waitedMillis;

    private SharedLockRun(double wallMillis, double heldMillis, double waitedMillis) {
        this.wallMillis = wallMillis;
        this.heldMillis = heldMillis;
        this.waitedMillis = waitedMillis;
    }

    static SharedLockRun run(long items, long inside, long outside, int workers) {
        ReentrantLock lock = new ReentrantLock();
        long[] held = new long[workers];
        long[] waited = new long[workers];
        long[] counted = new long[workers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        Checkpoint checkpoint = Checkpoint.interruptible();
        long t0 = System.nanoTime();
        try {
            for (int w = 0; w < workers; w++) {
                int me = w;
                long from = items * w / workers;
                long to = items * (w + 1) / workers;
                threads.add(Thread.ofPlatform().name(THREAD_PREFIX + (w + 1)).start(() -> {
                    try {
                        long sum = 0;
                        for (long i = from; i < to; i++) {
                            if (outside > 0) {
                                sum += Workloads.count(outside, checkpoint);
                            }
                            long asked = System.nanoTime();
                            lock.lockInterruptibly();
                            long got = System.nanoTime();
                            waited[me] += got - asked;
                            try {
                                if (inside > 0) {
                                    sum += Workloads.count(inside, checkpoint);
                                }
                            } finally {
                                held[me] += System.nanoTime() - got;   // read before the release, so never overstated
                                lock.unlock();
                            }
                        }
                        counted[me] = sum;
                    } catch (InterruptedException | CancellationException e) {
                        failure.compareAndSet(null, new CancellationException("interrupted"));
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            stop(threads);
            Thread.currentThread().interrupt();
            throw new CancellationException("the shared-lock run was interrupted: its " + threads.size()
                    + " threads were stopped");
        }
        long wall = System.nanoTime() - t0;
        if (failure.get() instanceof CancellationException) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the shared-lock run was interrupted; its threads have ended");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a worker of the shared-lock run failed: " + failure.get(), failure.get());
        }
        long heldSum = 0;
        long waitedSum = 0;
        for (int w = 0; w < workers; w++) {
            long expected = (items * (w + 1) / workers - items * w / workers) * (inside + outside);
            if (counted[w] != expected) {
                throw new IllegalStateException("worker " + (w + 1) + " counted " + counted[w] + ", not " + expected);
            }
            heldSum += held[w];
            waitedSum += waited[w];
        }
        return new SharedLockRun(wall / 1e6, heldSum / 1e6, waitedSum / 1e6);
    }

    /** Interrupts every worker and waits until each has ended (they stop within milliseconds). */
    private static void stop(List<Thread> threads) {
        threads.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
