package concurrencylab.runners;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Runs N workers, each doing the same task, with one {@link Strategy}, and records the run.
 *
 * <p>Parameters are checked before anything starts. The call returns when every worker has
 * finished and every child JVM has exited and had its output drained; it never leaves a thread
 * or a process running behind it:
 * <ul>
 * <li>a worker that fails (its task throws, its child JVM exits with a non-zero status) stops
 * the others, and the call throws {@link WorkerFailedException} naming it;</li>
 * <li>a run that exceeds its timeout (10 minutes unless set) is stopped and fails the same way;</li>
 * <li>interrupting the calling thread (as a kernel does when a cell is interrupted) stops every
 * worker within about a second, and the call throws
 * {@link java.util.concurrent.CancellationException} with the interrupt flag set.</li>
 * </ul>
 * Each count's result is checked against the count asked for.
 *
 * <pre>{@code
 * Run run = Runner.run(Strategy.THREADS, 4, Task.count(100_000_000));
 * Run gil = Runner.builder(Strategy.GIL_THREADS).workers(4).switchInterval(Duration.ofMillis(5))
 *         .build().run(Task.count(100_000_000));
 * }</pre>
 */
public final class Runner {

    /** CPython's default switch interval, the simulated GIL's default too. */
    public static final Duration DEFAULT_SWITCH_INTERVAL = Duration.ofMillis(5);
    /** The heap of each child JVM unless set: small, since Binder gives a session 2 GB. */
    public static final int DEFAULT_CHILD_HEAP_MB = 64;
    /** How long a run may take unless {@link Builder#timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final String DEFAULT_TIMEOUT_TEXT = "10 minutes";

    /** Most platform threads (sequential workers, threads, GIL threads) one run may use. */
    public static final int MAX_THREADS = 10_000;
    /** Most virtual threads one run may use. */
    public static final int MAX_VIRTUAL_THREADS = 1_000_000;

    private final Strategy strategy;
    private final int workers;
    private final Duration switchInterval;
    private final int childHeapMb;
    private final PrintStream output;
    private final ProgressListener progress;
    private final boolean showProgress;
    private final Duration timeout;

    private Runner(Builder builder) {
        this.strategy = builder.strategy;
        this.workers = builder.workers;
        this.switchInterval = builder.switchInterval;
        this.childHeapMb = builder.childHeapMb;
        this.output = builder.output;
        this.progress = builder.progress;
        this.showProgress = builder.showProgress;
        this.timeout = builder.timeout;
    }

    /**
     * Runs {@code workers} workers, each doing {@code task}, with the given strategy.
     *
     * @throws IllegalArgumentException for a bad parameter, before anything starts
     * @throws WorkerFailedException if a worker failed (the others are stopped)
     * @throws java.util.concurrent.CancellationException if the calling thread was interrupted
     */
    public static Run run(Strategy strategy, int workers, Task task) {
        return builder(strategy).workers(workers).build().run(task);
    }

    /** A builder for a runner with the given strategy, one worker, and the defaults above. */
    public static Builder builder(Strategy strategy) {
        return new Builder(strategy);
    }

    /**
     * The most child JVMs one run may start on this machine: four per CPU, at least 8, at most
     * 64. Each is a whole JVM with its own heap; more would only queue for the CPUs.
     */
    public static int maxChildJvms() {
        return Math.min(64, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
    }

    /** The most workers the strategy allows on this machine. */
    public static int maxWorkers(Strategy strategy) {
        return switch (strategy) {
            case PROCESSES -> maxChildJvms();
            case VIRTUAL_THREADS -> MAX_VIRTUAL_THREADS;
            default -> MAX_THREADS;
        };
    }

    /**
     * Checks a number of workers for a strategy, as {@link Builder#workers} does, without making
     * a runner: for code that starts workers of its own (a sweep, CPython).
     *
     * @throws IllegalArgumentException naming the limit and why, if out of range
     */
    public static void requireWorkers(Strategy strategy, int workers) {
        requireWorkers(strategy, workers, DEFAULT_CHILD_HEAP_MB);
    }

    private static void requireWorkers(Strategy strategy, int workers, int childHeapMb) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1 (got " + workers
                    + "): it is how many workers run the task, e.g. 4");
        }
        int max = maxWorkers(strategy);
        if (workers > max) {
            String why = strategy == Strategy.PROCESSES
                    ? String.format(Locale.ROOT, "each child is a whole JVM with a %d MB heap, and this machine has %d CPUs;"
                            + " use threads for more workers", childHeapMb, Runtime.getRuntime().availableProcessors())
                    : strategy == Strategy.VIRTUAL_THREADS ? "a million is already far more than a demo needs"
                    : "each platform thread is an operating-system thread; use virtual threads for more";
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "workers must be at most %,d for %s (got %,d): %s", max, strategy.label(), workers, why));
        }
    }

    /**
     * Runs the task on every worker and records the run.
     *
     * @throws WorkerFailedException if a worker failed (the others are stopped)
     * @throws java.util.concurrent.CancellationException if the calling thread was interrupted
     */
    public Run run(Task task) {
        Objects.requireNonNull(task, "task: use Task.count(n) or Task.sleep(duration)");
        if (strategy == Strategy.PROCESSES && task instanceof Task.Function) {
            throw new IllegalArgumentException("processes cannot run Task.of(...): " + Task.Function.CANNOT_SHIP);
        }
        PrintStream out = output != null ? output : System.out;
        ProgressListener listener = progress;
        if (showProgress) {
            ProgressBars bars = ProgressBars.start(strategy.label() + ": " + workers + " x " + task.describe(), workers);
            listener = progress == null ? bars : (done, total, finished) -> {
                bars.update(done, total, finished);
                progress.update(done, total, finished);
            };
        }
        return strategy == Strategy.PROCESSES
                ? new ProcessRunner(workers, childHeapMb, out, listener, timeout).run(task)
                : new ThreadRunner(strategy, workers, switchInterval, listener, timeout).run(task);
    }

    /** The strategy this runner uses. */
    public Strategy strategy() {
        return strategy;
    }

    /** How many workers it starts. */
    public int workers() {
        return workers;
    }

    /** Tunes a {@link Runner}; every setter checks its value at once. */
    public static final class Builder {
        private final Strategy strategy;
        private int workers = 1;
        private Duration switchInterval = DEFAULT_SWITCH_INTERVAL;
        private int childHeapMb = DEFAULT_CHILD_HEAP_MB;
        private PrintStream output;
        private ProgressListener progress;
        private boolean showProgress;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy,
                    "strategy: one of Strategy.SEQUENTIAL, PROCESSES, THREADS, GIL_THREADS, VIRTUAL_THREADS");
        }

        /**
         * How many workers, from 1 to {@link Runner#maxWorkers(Strategy)}.
         *
         * @throws IllegalArgumentException naming the limit and why, if out of range
         */
        public Builder workers(int workers) {
            requireWorkers(strategy, workers, childHeapMb);
            this.workers = workers;
            return this;
        }

        /**
         * For the simulated GIL: how long a waiting thread waits before asking the holder to let
         * go, from 0.1 ms to 1 s (CPython's default, and ours, is 5 ms).
         */
        public Builder switchInterval(Duration interval) {
            Objects.requireNonNull(interval, "switchInterval");
            if (interval.compareTo(Duration.ofNanos(100_000)) < 0 || interval.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("switchInterval must be between 0.1 ms and 1 s (got " + interval
                        + "); CPython's default is 5 ms");
            }
            this.switchInterval = interval;
            return this;
        }

        /** For child JVMs: the maximum heap of each, from 16 to 4096 MB (default 64). */
        public Builder childHeapMegabytes(int megabytes) {
            if (megabytes < 16 || megabytes > 4096) {
                throw new IllegalArgumentException("childHeapMegabytes must be between 16 and 4096 (got " + megabytes
                        + "); 64 is plenty for counting");
            }
            this.childHeapMb = megabytes;
            return this;
        }

        /** Where child JVMs' output goes, each line prefixed with its worker (default: System.out at run time). */
        public Builder output(PrintStream output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Receives progress about ten times a second while the run lasts. */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "progress");
            return this;
        }

        /**
         * Shows live progress while the run lasts: a bar per worker in a notebook, a line a
         * second elsewhere (see {@link ProgressBars}).
         */
        public Builder showProgress() {
            this.showProgress = true;
            return this;
        }

        /**
         * How long the whole run may take, from 1 ms to 24 hours (default {@value #DEFAULT_TIMEOUT_TEXT}):
         * past it, every worker is stopped and the run fails with {@link WorkerFailedException},
         * so a task that hangs cannot hang the cell.
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "timeout");
            if (limit.compareTo(Duration.ofMillis(1)) < 0 || limit.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("timeout must be between 1 ms and 24 hours (got " + limit
                        + "); the default is " + DEFAULT_TIMEOUT_TEXT);
            }
            this.timeout = limit;
            return this;
        }

        /** The runner. */
        public Runner build() {
            return new Runner(this);
        }
    }
}
