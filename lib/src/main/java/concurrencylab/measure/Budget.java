package concurrencylab.measure;

import concurrencylab.runners.CPython;
import concurrencylab.runners.ChildJvms;
import concurrencylab.runners.Runner;
import concurrencylab.runners.Task;
import concurrencylab.workloads.Workloads;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What this session can afford, measured, so that a lesson holds a learner's edit of its
 * parameters to something that fits before it starts anything: how many child JVMs fit in the
 * memory that is free, and how far a count may go before a run takes more than about half a
 * minute (its estimate assumes the CPUs are free; on a busy machine the run takes longer, so
 * the limit leaves room for that and a run still ends in about a minute).
 *
 * <p>{@link #measure()} starts one child JVM the way the lab starts its workers (64 MB heap)
 * and reads its peak resident memory (on Linux, from {@code /proc}; elsewhere it assumes
 * {@value #ASSUMED_CHILD_MB} MB and says so), reads the memory this machine or container has
 * free, and times this JVM's counting loop for about 0.3 s. The methods that cap a
 * parameter ({@link #childJvms}, {@link #count}) return it unchanged when it fits; otherwise
 * they print one line that names the parameter, says why, and says what to set it to, and
 * return the capped value. They never start anything.
 *
 * <pre>{@code
 * Budget budget = Budget.measure();
 * int processes = budget.childJvms("NUM_PROCESSES", NUM_PROCESSES);
 * long count = budget.count("MAX_COUNT", MAX_COUNT, processes, processes);
 * }</pre>
 */
public final class Budget {

    /**
     * How long a capped run may take by its estimate, unless {@link #timeLimit(Duration)} says
     * otherwise: half a minute, since a machine shared with other work can take twice as long.
     */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);
    /** Memory left free for the kernel's own growth when child JVMs are counted in. */
    public static final long RESERVE_BYTES = 256L << 20;
    /** A child JVM's resident memory where it cannot be measured (no {@code /proc}). */
    public static final int ASSUMED_CHILD_MB = 100;

    private final int cpus;
    private final long memoryBytes;
    private final long freeBytes;
    // One child JVM's peak memory in MB and 1 if measured (0 if assumed); measured on first use.
    private final java.util.concurrent.atomic.AtomicReference<double[]> child;
    private final int runnerLimit;
    private final double countsPerSecond;
    private final Duration timeLimit;
    private final PrintStream out;

    Budget(int cpus, long memoryBytes, long freeBytes, double[] child, int runnerLimit, double countsPerSecond,
           Duration timeLimit, PrintStream out) {
        this.cpus = cpus;
        this.memoryBytes = memoryBytes;
        this.freeBytes = freeBytes;
        this.child = new java.util.concurrent.atomic.AtomicReference<>(child);
        this.runnerLimit = runnerLimit;
        this.countsPerSecond = countsPerSecond;
        this.timeLimit = timeLimit;
        this.out = out;
    }

    /**
     * {@code value} if it lies between {@code min} and {@code max}; otherwise prints one line
     * that names the parameter, its range here and why, and returns the nearer end of the range,
     * so that Run All goes on with a value the lesson can use instead of stopping at a stack
     * trace. Measures nothing.
     *
     * <pre>{@code
     * NUM_CONSUMERS = Budget.inRange("NUM_CONSUMERS", NUM_CONSUMERS, 1, 1_000, "each consumer prints every tick");
     * }</pre>
     *
     * @throws IllegalArgumentException if min is above max (a mistake in the lesson, not the learner's)
     */
    public static long inRange(String parameter, long value, long min, long max, String why) {
        Objects.requireNonNull(parameter, "parameter");
        if (min > max) {
            throw new IllegalArgumentException("the range of " + parameter + " is empty: " + min + " > " + max);
        }
        long used = Math.max(min, Math.min(max, value));
        if (used != value) {
            System.out.printf(Locale.ROOT, "%s = %,d is outside what this lesson runs here, %,d to %,d (%s): "
                    + "this run uses %,d. Set %s within that range to run what you ask.%n",
                    parameter, value, min, max, why, used, parameter);
        }
        return used;
    }

    /** {@link #inRange(String, long, long, long, String)} for an {@code int} parameter. */
    public static int inRange(String parameter, int value, int min, int max, String why) {
        return (int) inRange(parameter, (long) value, min, max, why);
    }

    /**
     * Measures this session: the free memory and the counting rate (about 0.3 s); one
     * child JVM's peak memory is measured the first time it is needed (about half a second).
     * Messages go to System.out.
     */
    public static Budget measure() {
        long[] memory = memory();
        return new Budget(Runtime.getRuntime().availableProcessors(), memory[0], memory[1], null,
                Runner.maxChildJvms(), measureCountsPerSecond(), DEFAULT_TIME_LIMIT, System.out);
    }

    /**
     * The same budget with another time limit for {@link #count} (between a second and a day).
     *
     * @throws IllegalArgumentException for a limit outside that range
     */
    public Budget timeLimit(Duration limit) {
        if (limit == null || limit.compareTo(Duration.ofSeconds(1)) < 0 || limit.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the time limit must be between 1 second and 1 day (got " + limit + ")");
        }
        return new Budget(cpus, memoryBytes, freeBytes, child.get(), runnerLimit, countsPerSecond, limit, out);
    }

    /**
     * One child JVM's peak resident memory, in MB: measured on first use, by starting one, or
     * {@value #ASSUMED_CHILD_MB} assumed where it cannot be.
     *
     * @throws IllegalStateException if that child JVM cannot be started or fails
     */
    public double childJvmMegabytes() {
        return child()[0];
    }

    private double[] child() {
        double[] known = child.get();
        if (known == null) {
            known = measureChildJvm();
            child.compareAndSet(null, known);
        }
        return known;
    }

    private boolean childMeasured() {
        return child()[1] > 0;
    }

    /** How many additions a second one thread of this JVM makes with the lab's counting loop. */
    public double countsPerSecond() {
        return countsPerSecond;
    }

    /**
     * The most child JVMs this session should run at once: as many as fit in the free memory
     * (less {@link #RESERVE_BYTES} for the kernel), and no more than the lab's runner allows
     * ({@link Runner#maxChildJvms()}); at least 1.
     */
    public int maxChildJvms() {
        return Math.max(1, Math.min(memoryFit(), runnerLimit));
    }

    private int memoryFit() {
        double room = Math.max(0, freeBytes - RESERVE_BYTES) / (1024.0 * 1024.0);
        return (int) Math.min(Integer.MAX_VALUE, Math.floor(room / childJvmMegabytes()));
    }

    /**
     * {@code requested} if that many child JVMs fit ({@link #maxChildJvms()}); otherwise prints
     * one line naming {@code parameter}, the reason and the fix, and returns the most that fit.
     *
     * @throws IllegalArgumentException if {@code requested} is below 1
     */
    public int childJvms(String parameter, int requested) {
        Objects.requireNonNull(parameter, "parameter");
        if (requested < 1) {
            throw new IllegalArgumentException(parameter + " must be at least 1 (got " + requested
                    + "): it is how many child JVMs to start, e.g. 4");
        }
        int most = maxChildJvms();
        if (requested <= most) {
            return requested;
        }
        String why = memoryFit() <= runnerLimit
                ? String.format(Locale.ROOT, "each takes about %.0f MB (%s), and %s of this machine's %s is free,"
                                + " room for %d once %d MB is kept for the kernel",
                        childJvmMegabytes(), childMeasured() ? "one measured just now" : "assumed: not measurable here",
                        Machine.bytes(freeBytes), Machine.bytes(memoryBytes), memoryFit(), RESERVE_BYTES >> 20)
                : String.format(Locale.ROOT, "the lab's runner starts at most %d on %d CPU%s (4 per CPU, 8 to 64),"
                        + " since more would only queue for the CPUs", runnerLimit, cpus, cpus == 1 ? "" : "s");
        out.printf(Locale.ROOT, "%s = %,d is more child JVMs than this session should start: %s. "
                + "This lesson starts %d; set %s to %d or fewer to run what you ask.%n", parameter, requested, why, most,
                parameter, most);
        return most;
    }

    /** A cluster member's resident memory, as estimated for {@link #clusterMembers}: a JVM with Hazelcast loaded. */
    public static final int CLUSTER_MEMBER_MB = 200;

    /**
     * {@code requested} cluster members (each a JVM of about {@value #CLUSTER_MEMBER_MB} MB) if
     * that many fit in the free memory, less {@link #RESERVE_BYTES} for the kernel; otherwise
     * prints one line naming {@code parameter}, the reason and the fix, and returns the most that
     * fit, at least 1. Measures nothing.
     *
     * @throws IllegalArgumentException if {@code requested} is below 1
     */
    public int clusterMembers(String parameter, int requested) {
        Objects.requireNonNull(parameter, "parameter");
        if (requested < 1) {
            throw new IllegalArgumentException(parameter + " must be at least 1 (got " + requested
                    + "): it is how many cluster members to start, e.g. 3");
        }
        double room = Math.max(0, freeBytes - RESERVE_BYTES) / (1024.0 * 1024.0);
        int most = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(room / CLUSTER_MEMBER_MB)));
        if (requested <= most) {
            return requested;
        }
        out.printf(Locale.ROOT, "%s = %,d is more cluster members than fit here: each is a JVM of about %d MB, and %s"
                + " of this machine's %s is free, room for %d once %d MB is kept for the kernel. This lesson starts %d;"
                + " set %s to %d or fewer to run what you ask.%n", parameter, requested, CLUSTER_MEMBER_MB,
                Machine.bytes(freeBytes), Machine.bytes(memoryBytes), most, RESERVE_BYTES >> 20, most, parameter, most);
        return most;
    }

    /**
     * About how long {@code tasks} counts to {@code maxCount} take on {@code workers} threads or
     * JVMs here: rounds of {@code workers} at once, each round sharing the CPUs.
     *
     * @throws IllegalArgumentException for a count outside 1 to {@link Task#MAX_COUNT}, or tasks or workers below 1
     */
    public Duration estimate(long maxCount, long tasks, int workers) {
        Task.count(maxCount);
        if (tasks < 1 || workers < 1) {
            throw new IllegalArgumentException("tasks and workers must be at least 1 (got " + tasks + " and " + workers + ")");
        }
        double seconds = maxCount * slowdown(tasks, workers) / countsPerSecond;
        return Duration.ofMillis((long) Math.ceil(Math.min(seconds, 1e12) * 1000));
    }

    /** Counts in series per count asked: rounds of tasks, each round stretched when workers outnumber CPUs. */
    private double slowdown(long tasks, int workers) {
        long atOnce = Math.min(workers, tasks);
        double rounds = Math.ceil((double) tasks / atOnce);
        return rounds * Math.max(1.0, (double) atOnce / cpus);
    }

    /**
     * {@code maxCount} if {@code tasks} counts to it on {@code workers} workers fit in the time
     * limit ({@link #estimate}); otherwise prints one line naming {@code parameter}, how long the
     * run would take and what to set instead, and returns the largest round count (1, 2 or 5
     * times a power of ten) that fits.
     *
     * @throws IllegalArgumentException as {@link #estimate} does
     */
    public long count(String parameter, long maxCount, long tasks, int workers) {
        Objects.requireNonNull(parameter, "parameter");
        Duration estimate = estimate(maxCount, tasks, workers);
        if (estimate.compareTo(timeLimit) <= 0) {
            return maxCount;
        }
        long fits = roundDown(timeLimit.toMillis() / 1000.0 * countsPerSecond / slowdown(tasks, workers));
        out.printf(Locale.ROOT, "%s = %,d is too far for this session: %,d count%s of it on %d worker%s would take about %s"
                        + " here (%d CPU%s, %,.0f million counts a second). This lesson counts to %,d instead, within %s;"
                        + " set %s to %,d or less to run what you ask.%n",
                parameter, maxCount, tasks, tasks == 1 ? "" : "s", workers, workers == 1 ? "" : "s", CPython.human(estimate),
                cpus, cpus == 1 ? "" : "s", countsPerSecond / 1e6, fits, CPython.human(timeLimit), parameter, fits);
        return fits;
    }

    /** The largest 1, 2 or 5 times a power of ten at or below {@code value}, at least 1. */
    static long roundDown(double value) {
        if (value < 2) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        double lead = value / power;
        long rounded = (long) (power * (lead >= 5 ? 5 : lead >= 2 ? 2 : 1));
        return Math.min(Task.MAX_COUNT, rounded);
    }


    /** One line: a child JVM's memory, the free memory, how many children fit, the counting rate. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "one child JVM: about %.0f MB resident at its peak (%s); free memory: %s of %s;"
                        + " child JVMs at once: at most %d; counting: %,.0f million a second on one thread",
                childJvmMegabytes(), childMeasured() ? "measured" : "assumed", Machine.bytes(freeBytes),
                Machine.bytes(memoryBytes), maxChildJvms(), countsPerSecond / 1e6);
    }

    /**
     * The child that {@link #measure()} starts: counts long enough for its JIT to compile the
     * loop, as a worker's does, then prints its peak resident memory in KiB (-1 where there is
     * no {@code /proc}).
     */
    public static void main(String[] args) {
        ChildJvms.watchParent(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
        if (Workloads.count(50_000_000L) != 50_000_000L) {
            System.exit(1);
        }
        System.out.println("peakRssKiB " + procStatus(Path.of("/proc/self/status"), "VmHWM:"));
        System.exit(0);
    }

    private static double[] measureChildJvm() {
        List<String> command = ChildJvms.command(Runner.DEFAULT_CHILD_HEAP_MB, Budget.class);
        String output = ChildJvms.outputOf(command, "the child JVM that measures its memory").strip();
        long kib = output.startsWith("peakRssKiB ") ? Long.parseLong(output.substring(11).strip()) : -1;
        return kib > 0 ? new double[] {kib / 1024.0, 1} : new double[] {ASSUMED_CHILD_MB, 0};
    }

    /** The value, in KiB, of one line of a /proc file such as "VmHWM:  48900 kB", or -1. */
    static long procStatus(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the caller assumes a figure.
        }
        return -1;
    }

    /** Total and free memory of this machine or container (the JDK reads the container's limit). */
    private static long[] memory() {
        long total = -1;
        long free = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
            free = os.getFreeMemorySize();
        }
        // Outside a container, the JDK's free memory leaves out the page cache, which Linux gives
        // back on demand; MemAvailable counts it.
        long memTotal = procStatus(Path.of("/proc/meminfo"), "MemTotal:");
        long available = procStatus(Path.of("/proc/meminfo"), "MemAvailable:");
        if (memTotal > 0 && available > 0 && Math.abs(memTotal * 1024 - total) < (64L << 20)) {
            free = available * 1024;
        }
        if (total <= 0 || free < 0) {
            long max = Runtime.getRuntime().maxMemory();
            return new long[] {max, max};   // unknown: the heap is the one limit we know of
        }
        return new long[] {total, free};
    }

    private static double measureCountsPerSecond() {
        // Counts of 20 ms or more until three in a row agree within a quarter (at least 0.3 s,
        // at most 2 s): a first count runs interpreted, fifty times slower, and in a kernel the JIT
        // may be busy compiling the cell, so the loop's compiled speed comes only after a while.
        // The rate is the median of those three: typical, not the best moment of a busy machine.
        long n = 1 << 20;
        List<Double> rates = new java.util.ArrayList<>();
        long start = System.nanoTime();
        while (true) {
            double seconds = timeCount(n);
            rates.add(n / Math.max(seconds, 1e-9));
            if (seconds < 0.02 && n < (1L << 40)) {
                n *= 2;
                continue;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (rates.size() >= 3 && (elapsed > 2 || (elapsed > 0.3 && agree(rates.subList(rates.size() - 3, rates.size()))))) {
                return rates.subList(rates.size() - 3, rates.size()).stream().mapToDouble(Double::doubleValue).sorted()
                        .toArray()[1];
            }
        }
    }

    private static boolean agree(List<Double> rates) {
        double min = rates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return max <= 1.25 * min;
    }

    private static double timeCount(long n) {
        long start = System.nanoTime();
        if (Workloads.count(n) != n) {
            throw new IllegalStateException("the counting loop miscounted");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
