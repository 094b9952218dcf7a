package concurrencylab.coroutines;

import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.measure.HeapWatch;
import concurrencylab.runners.CPython;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scale test for waiting: N tasks that each sleep S ms at the same time, on the event loop,
 * on virtual threads, or on platform threads; and, when python3 is installed, on CPython's
 * asyncio. With waiting work, the wall time stays near S whatever N, as long as starting and
 * keeping N waiters is cheap; the runs show where it is not.
 *
 * <pre>{@code
 * SleepersRun run = Sleepers.run(Sleepers.Runner.VIRTUAL_THREADS, 100_000, Duration.ofSeconds(1));
 * }</pre>
 */
public final class Sleepers {

    /** What runs the sleepers. */
    public enum Runner {
        /** Tasks of one {@link EventLoop}, on one thread. */
        EVENT_LOOP(10_000_000),
        /** One virtual thread each. */
        VIRTUAL_THREADS(10_000_000),
        /** One platform (operating-system) thread each. */
        PLATFORM_THREADS(20_000);

        final int maxTasks;

        Runner(int maxTasks) {
            this.maxTasks = maxTasks;
        }

        /** The most sleepers this runner takes in one run (an operating-system thread each costs far more than a task). */
        public int maxTasks() {
            return maxTasks;
        }

        /** "event-loop", "virtual-threads" or "platform-threads". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * The runner named by {@link #label()}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public static Runner fromName(String name) {
            for (Runner runner : values()) {
                if (runner.label().equalsIgnoreCase(String.valueOf(name).trim().replace('_', '-'))) {
                    return runner;
                }
            }
            throw new IllegalArgumentException("runner must be event-loop, virtual-threads or platform-threads (got " + name + ")");
        }
    }

    private Sleepers() {}

    /**
     * Starts {@code tasks} sleepers of {@code sleep} each, waits for all, and records the run.
     *
     * @throws IllegalArgumentException for a count below 1 or above the runner's limit, or a sleep
     *     outside 0 to 60 s, before anything starts
     * @throws java.util.concurrent.CancellationException if this thread is interrupted (the sleepers are stopped)
     */
    public static SleepersRun run(Runner runner, int tasks, Duration sleep) {
        return run(runner, tasks, sleep, 1);
    }

    /**
     * {@link #run(Runner, int, Duration)} {@code repeat} times in this JVM (1 to 20), reporting
     * the median wall time: the first runs of a fresh JVM include the JIT compiling the
     * scheduler's own code.
     */
    public static SleepersRun run(Runner runner, int tasks, Duration sleep, int repeat) {
        check(runner, tasks, sleep);
        if (repeat < 1 || repeat > 20) {
            throw new IllegalArgumentException("repeat must be between 1 and 20 (got " + repeat + ")");
        }
        List<Double> walls = new ArrayList<>();
        SleepersRun last = null;
        try (HeapWatch heap = HeapWatch.start()) {
            for (int i = 0; i < repeat; i++) {
                last = once(runner, tasks, sleep);
                walls.add(last.wallMillis());
            }
            double[] sorted = walls.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            return new SleepersRun(last.runner(), last.runtime(), tasks, sleep.toMillis(), median, heap.peakMegabytes(),
                    last.completed(), walls);
        }
    }

    private static SleepersRun once(Runner runner, int tasks, Duration sleep) {
        AtomicInteger completed = new AtomicInteger();
        {
            long t0 = System.nanoTime();
            switch (runner) {
                // Starting a million tasks is one long step of main, on purpose: not worth a slow-step report.
                case EVENT_LOOP -> EventLoop.builder().slowStep(Duration.ofSeconds(30)).build().run(() -> {
                    List<AsyncTask<Object>> all = new ArrayList<>(tasks);
                    for (int i = 0; i < tasks; i++) {
                        all.add(Async.createTask("sleeper", () -> {
                            Async.sleep(sleep);
                            completed.incrementAndGet();
                            return null;
                        }));
                    }
                    return Async.gather(all);
                });
                case VIRTUAL_THREADS -> onThreads(Executors.newVirtualThreadPerTaskExecutor(), tasks, sleep, completed);
                case PLATFORM_THREADS -> onThreads(Executors.newThreadPerTaskExecutor(
                        Thread.ofPlatform().daemon().name("sleeper-", 1).factory()), tasks, sleep, completed);
            }
            double wall = (System.nanoTime() - t0) / 1e6;
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("interrupted: the sleepers were stopped");
            }
            return new SleepersRun(runner.label(), "Java " + System.getProperty("java.version"), tasks, sleep.toMillis(), wall,
                    0, completed.get(), List.of(wall));
        }
    }

    /** The same run on CPython's asyncio (the event loop only), {@code repeat} times, when python3 is installed. */
    public static Optional<SleepersRun> runCPython(int tasks, Duration sleep, int repeat) {
        check(Runner.EVENT_LOOP, tasks, sleep);
        return CPython.find().map(python -> {
            String output = python.runProgram("sleepers.py", List.of("--tasks", Integer.toString(tasks),
                    "--sleep-ms", Long.toString(sleep.toMillis()), "--repeat", Integer.toString(repeat)));
            try {
                return SleepersRun.fromSummary(new ObjectMapper().readTree(output));
            } catch (IOException e) {
                throw new IllegalStateException("sleepers.py printed something other than its JSON result: " + output, e);
            }
        });
    }

    private static void onThreads(ExecutorService executor, int tasks, Duration sleep, AtomicInteger completed) {
        // close() waits for every sleeper; if this thread is interrupted meanwhile, it interrupts them all.
        try (executor) {
            for (int i = 0; i < tasks; i++) {
                executor.execute(() -> {
                    try {
                        Thread.sleep(sleep);
                        completed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

    private static void check(Runner runner, int tasks, Duration sleep) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(sleep, "sleep");
        if (tasks < 1 || tasks > runner.maxTasks) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "tasks must be between 1 and %,d for %s (got %,d)%s",
                    runner.maxTasks, runner.label(), tasks, runner == Runner.PLATFORM_THREADS
                            ? ": each platform thread is an operating-system thread with its own stack; use virtual-threads for more"
                            : ""));
        }
        if (sleep.isNegative() || sleep.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("sleep must be between 0 and 60,000 ms (got " + sleep.toMillis() + " ms)");
        }
    }
}
