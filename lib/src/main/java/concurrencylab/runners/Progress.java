package concurrencylab.runners;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Each worker's progress, and the thread that reports it to a listener while a run lasts.
 *
 * <p>The reporter is stopped by a latch, never by an interrupt: it spends its time in the
 * listener, that is in the Jupyter kernel's display calls, and an interrupt that lands in the
 * middle of the kernel's socket send cuts the message in two (jeromq gives up with EINTR after
 * some frames), which loses that update and the next message the kernel sends.
 */
final class Progress implements AutoCloseable {

    private static final long PERIOD_MILLIS = 100;

    private final AtomicLongArray done;
    private final long total;
    private final ProgressListener listener;
    private final Thread reporter;
    private final CountDownLatch over = new CountDownLatch(1);
    private volatile boolean broken;

    Progress(int workers, long total, ProgressListener listener) {
        this.done = new AtomicLongArray(workers);
        this.total = total;
        this.listener = listener;
        this.reporter = listener == null ? null : Thread.ofPlatform().daemon().name("progress").start(this::report);
    }

    void set(int worker, long units) {
        done.set(worker - 1, units);
    }

    private long[] snapshot() {
        long[] copy = new long[done.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = done.get(i);
        }
        return copy;
    }

    private void report() {
        try {
            while (!over.await(PERIOD_MILLIS, TimeUnit.MILLISECONDS) && !broken) {
                safely(false);
            }
        } catch (InterruptedException e) {
            // Only close() stops the reporter, and it reports the last state.
        }
    }

    /** Stops reporting and sends the final state. */
    @Override
    public void close() {
        if (reporter != null) {
            over.countDown();
            try {
                reporter.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            safely(true);
        }
    }

    /** A failing progress display must not fail the run it reports on: it stops, and says so once. */
    private void safely(boolean finished) {
        if (broken) {
            return;
        }
        try {
            listener.update(snapshot(), total, finished);
        } catch (RuntimeException e) {
            broken = true;
            System.err.println("progress display stopped (the run goes on): " + e);
        }
    }
}
