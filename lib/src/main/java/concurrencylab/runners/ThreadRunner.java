package concurrencylab.runners;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/** Runs the workers inside this JVM: one after another, or on platform, GIL or virtual threads. */
final class ThreadRunner {

    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final Strategy strategy;
    private final int workers;
    private final Duration switchInterval;
    private final ProgressListener listener;
    private final Duration timeout;

    ThreadRunner(Strategy strategy, int workers, Duration switchInterval, ProgressListener listener, Duration timeout) {
        this.strategy = strategy;
        this.workers = workers;
        this.switchInterval = switchInterval;
        this.listener = listener;
        this.timeout = timeout;
    }

    Run run(Task task) {
        long[] results = new long[workers];
        long[] startNanos = new long[workers];
        long[] endNanos = new long[workers];
        Gil gil = strategy == Strategy.GIL_THREADS ? new Gil(switchInterval) : null;
        AtomicReference<Failure> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();

        long cpu0 = Clocks.processCpuNanos();
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long wall;
        long cpu;
        try (Progress progress = new Progress(workers, task.units(), listener)) {
            if (strategy == Strategy.SEQUENTIAL) {
                for (int w = 1; w <= workers; w++) {
                    work(w, task, progress, null, deadline, results, startNanos, endNanos, failure, threads);
                    throwIfFailed(failure);
                }
            } else {
                // Daemon platform threads: a task that ignores interrupts cannot keep the JVM alive.
                Thread.Builder builder = strategy == Strategy.VIRTUAL_THREADS
                        ? Thread.ofVirtual().name("worker-", 1)
                        : Thread.ofPlatform().daemon().name("worker-", 1);
                for (int w = 1; w <= workers; w++) {
                    int worker = w;
                    threads.add(builder.unstarted(() ->
                            work(worker, task, progress, gil, deadline, results, startNanos, endNanos, failure, threads)));
                }
                threads.forEach(Thread::start);
                joinAll(threads);
                throwIfFailed(failure);
            }
            // Read the clocks before the progress display draws its last state: that is not the work.
            wall = System.nanoTime() - t0;
            cpu = Clocks.processCpuNanos() - cpu0;
        }

        List<Long> resultList = new ArrayList<>();
        List<Span> timeline = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            if (task.checksResult() && results[i] != task.expectedResult()) {
                throw new IllegalStateException("worker " + (i + 1) + " returned " + results[i] + " for "
                        + task.describe() + ", not " + task.expectedResult() + ": the work was not done");
            }
            resultList.add(results[i]);
            timeline.add(new Span(i + 1, (startNanos[i] - t0) / 1e6, (endNanos[i] - t0) / 1e6));
        }
        return new Run(strategy, Run.javaRuntime(), workers, task, resultList, timeline, wall / 1e6, cpu / 1e6, List.of(),
                gil == null ? -1 : gil.switches(), gil == null ? List.of() : gil.slices(t0));
    }

    private record Failure(int worker, Throwable cause) {}

    /** Thrown at a checkpoint once the run's timeout has passed. */
    private static final class TimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super("the run's timeout has passed", null, false, false);
        }
    }

    private WorkerFailedException timedOut(int worker, long stillRunning) {
        return new WorkerFailedException(worker, "the run took longer than its timeout of " + timeout
                + " and was stopped" + (stillRunning == 0 ? ""
                : "; " + stillRunning + " worker threads ignore interrupts and keep running in the background")
                + ". Raise it with Runner.builder(...).timeout(...) if the work really is that long", null);
    }

    private static void work(int worker, Task task, Progress progress, Gil gil, long deadline, long[] results,
                             long[] startNanos, long[] endNanos, AtomicReference<Failure> failure, List<Thread> threads) {
        Context context = new Context(worker, progress, gil, deadline);
        try {
            context.enter();
            startNanos[worker - 1] = System.nanoTime();
            results[worker - 1] = task.run(context);
            endNanos[worker - 1] = System.nanoTime();
        } catch (Throwable t) {
            // The first failure stops the others; their cancellations are consequences, not causes.
            if (failure.compareAndSet(null, new Failure(worker, t))) {
                threads.stream().filter(th -> th != Thread.currentThread()).forEach(Thread::interrupt);
            }
        } finally {
            context.leave();
        }
    }

    private void joinAll(List<Thread> threads) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                    threads.forEach(Thread::interrupt);
                    throw timedOut(threads.indexOf(thread) + 1, joinWithin(threads, STOP_WAIT));
                }
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            long stillRunning = joinWithin(threads, STOP_WAIT);
            Thread.currentThread().interrupt();
            throw new CancellationException("the run was interrupted: its " + threads.size() + " worker threads "
                    + (stillRunning == 0 ? "were stopped"
                            : "were told to stop, but " + stillRunning + " ignore interrupts (code that never calls"
                            + " WorkerContext.checkpoint) and keep running in the background until they finish"));
        }
    }

    /** Waits up to {@code limit} in all for the threads to end; returns how many are still alive. */
    private static long joinWithin(List<Thread> threads, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = Thread.interrupted();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            while (left > 0 && thread.isAlive()) {
                try {
                    thread.join(Duration.ofNanos(left));
                } catch (InterruptedException again) {
                    interrupted = true;
                }
                left = deadline - System.nanoTime();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return threads.stream().filter(Thread::isAlive).count();
    }

    private void throwIfFailed(AtomicReference<Failure> failure) {
        Failure f = failure.get();
        if (f == null) {
            return;
        }
        if (f.cause() instanceof TimedOut) {
            throw timedOut(f.worker(), 0);
        }
        if (f.cause() instanceof CancellationException cancelled && strategy == Strategy.SEQUENTIAL) {
            throw cancelled;
        }
        throw new WorkerFailedException(f.worker(), "worker " + f.worker() + " of " + workers + " (" + strategy.label()
                + ") failed: " + f.cause() + (workers > 1 ? "; the other workers were stopped" : ""), f.cause());
    }

    /** A worker's view of its run: progress, interrupts, and the GIL when there is one. */
    private static final class Context implements WorkerContext {
        private final int worker;
        private final Progress progress;
        private final Gil gil;
        private final long deadline;
        private boolean holdsGil;

        Context(int worker, Progress progress, Gil gil, long deadline) {
            this.worker = worker;
            this.progress = progress;
            this.gil = gil;
            this.deadline = deadline;
        }

        void enter() {
            if (gil != null) {
                acquire();
            }
        }

        void leave() {
            if (holdsGil) {
                gil.release(worker);
                holdsGil = false;
            }
        }

        private void acquire() {
            try {
                gil.acquire();
                holdsGil = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("worker " + worker + " was interrupted while waiting for the GIL");
            }
        }

        @Override
        public int worker() {
            return worker;
        }

        @Override
        public void checkpoint(long done) {
            progress.set(worker, done);
            concurrencylab.workloads.Checkpoint.stopIfInterrupted();
            if (System.nanoTime() - deadline > 0) {
                throw new TimedOut();
            }
            if (gil != null) {
                try {
                    holdsGil = false;
                    gil.checkpoint(worker);
                    holdsGil = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("worker " + worker + " was interrupted while waiting for the GIL");
                }
            }
        }

        @Override
        public void blocking(Runnable action) {
            if (gil == null) {
                action.run();
                return;
            }
            leave();
            try {
                action.run();
            } finally {
                acquire();
            }
        }
    }
}
