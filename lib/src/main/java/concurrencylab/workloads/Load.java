package concurrencylab.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps CPUs busy: one platform thread per CPU asked for, each counting with
 * {@link Workloads#count(long)} until the load is closed. It makes a laptop as busy as a crowded
 * workshop machine, to see what an experiment shows then, and it is how {@code ./lab test}
 * checks that every exercise's check gives the same verdict on a busy machine.
 *
 * <pre>{@code
 * try (Load load = Load.start(Runtime.getRuntime().availableProcessors())) {
 *     // run an experiment here: every CPU has a counting thread competing with it
 * }   // the counting threads have ended here
 * }</pre>
 *
 * <p>The threads run at normal priority, as daemons, and do honest work (the JIT cannot delete
 * it): {@link #increments()} is what they counted, checked chunk by chunk. {@code close} stops
 * and joins them; it does not return while one is still running.
 */
public final class Load implements AutoCloseable {

    /** Increments per chunk: a few milliseconds, so that close is quick. */
    private static final long CHUNK = 1L << 24;

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong increments = new AtomicLong();

    private Load(int threadCount) {
        for (int i = 0; i < threadCount; i++) {
            threads.add(Thread.ofPlatform().daemon().name("lab-load-" + (i + 1)).unstarted(this::spin));
        }
        threads.forEach(Thread::start);
    }

    /**
     * Starts {@code threads} counting threads.
     *
     * @param threads how many CPUs to keep busy, 1 to 1024 (usually the number of cores)
     * @throws IllegalArgumentException if threads is out of range
     */
    public static Load start(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be from 1 to 1024 (one per CPU to keep busy), not " + threads);
        }
        return new Load(threads);
    }

    private void spin() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long counted = Workloads.count(CHUNK);
                if (counted != CHUNK) {
                    throw new IllegalStateException("a chunk counted " + counted + ", not " + CHUNK);
                }
                increments.addAndGet(counted);
            }
        } catch (CancellationException interrupted) {
            // close() interrupted us: the load ends
        }
    }

    /** How many counting threads this load runs. */
    public int threads() {
        return threads.size();
    }

    /** The increments counted so far, by all threads together (whole chunks). */
    public long increments() {
        return increments.get();
    }

    /** Stops the counting threads and waits until every one has ended. */
    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Load: " + threads.size() + " counting thread(s), " + increments() + " increments so far";
    }
}
