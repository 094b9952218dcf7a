package concurrencylab.pools;

import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.measure.HeapWatch;
import concurrencylab.runners.CPython;
import concurrencylab.runners.ChildJvms;
import concurrencylab.runners.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One pool experiment, as the command line's {@code pool} runs it: start a pool, hand it the
 * whole input in one call (map, imap or imapUnordered), consume every result, check their sum,
 * and record the time to the first and to the last result (for map, both are when it returns;
 * for the imaps, the last is when the iterator has been read to its end), the pool's start-up,
 * and the peak heap. Runs in this JVM, in a fresh JVM (to measure memory without the kernel's own), or as
 * CPython's {@code multiprocessing.Pool} with the same parameters.
 *
 * <pre>{@code
 * PoolRun run = PoolExperiment.squares(1_000_000).workers(2).mode(PoolExperiment.Mode.MAP).run();
 * PoolRun python = PoolExperiment.squares(1_000_000).workers(2).runCPython().orElseThrow();
 * }</pre>
 */
public final class PoolExperiment {

    /** Which call hands the input to the pool. */
    public enum Mode {
        MAP, IMAP, IMAP_UNORDERED;

        /** "map", "imap" or "imap-unordered". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * The mode named by {@link #label()}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public static Mode fromName(String name) {
            for (Mode mode : values()) {
                if (mode.label().equalsIgnoreCase(String.valueOf(name).trim().replace('_', '-'))) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("mode must be map, imap or imap-unordered (got " + name + ")");
        }
    }

    /** The most inputs an experiment takes: a billion squares is minutes of work and gigabytes for map. */
    public static final long MAX_TASKS = 1_000_000_000L;
    /** Runs with at most this many inputs record a timeline. */
    public static final int TIMELINE_TASKS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long tasks;
    private final long maxCount;
    private Pool.Kind kind = Pool.Kind.PROCESSES;
    private int workers = Runtime.getRuntime().availableProcessors();
    private Mode mode = Mode.MAP;
    private int chunksize;
    private PrintStream output = System.out;
    private int repeat = 1;

    private PoolExperiment(long tasks, long maxCount) {
        if (tasks < 1 || tasks > MAX_TASKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tasks must be between 1 and %,d (got %,d): it is how many inputs the pool gets", MAX_TASKS, tasks));
        }
        if (maxCount != 0) {
            Task.count(maxCount); // the same limits, and message, as the runners'
        }
        this.tasks = tasks;
        this.maxCount = maxCount;
    }

    /** The most workers {@link #workerSweep} tries, however many CPUs the machine has. */
    public static final int MAX_SWEEP_WORKERS = 64;

    /**
     * The pool sizes a sweep up to twice the CPUs tries: 1, 2, 4, ... doubling, with {@code cpus}
     * and {@code 2 * cpus} themselves, and none above {@value #MAX_SWEEP_WORKERS}; so a handful
     * of runs on any machine (1, 2 on one CPU; 1, 2, 4, 8, 16, 32, 48, 64 on 48).
     *
     * <pre>{@code PoolExperiment.workerSweep(6)   // [1, 2, 4, 6, 8, 12]}</pre>
     *
     * @throws IllegalArgumentException if cpus is below 1
     */
    public static List<Integer> workerSweep(int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1 (got " + cpus + ")");
        }
        int most = (int) Math.min(MAX_SWEEP_WORKERS, 2L * cpus);
        java.util.TreeSet<Integer> sizes = new java.util.TreeSet<>();
        for (int workers = 1; workers <= most; workers *= 2) {
            sizes.add(workers);
        }
        sizes.add(Math.min(cpus, most));
        sizes.add(most);
        return List.copyOf(sizes);
    }

    /** Maps x to x * x over 0 .. tasks - 1: tiny tasks, so the pool's own overhead is what is measured. */
    public static PoolExperiment squares(long tasks) {
        return new PoolExperiment(tasks, 0);
    }

    /** Maps count over {@code tasks} inputs each equal to {@code maxCount}: the article's pool program. */
    public static PoolExperiment counts(long tasks, long maxCount) {
        if (maxCount == 0) {
            throw new IllegalArgumentException("maxCount must be at least 1 (got 0)");
        }
        return new PoolExperiment(tasks, maxCount);
    }

    /** Worker JVMs, threads or a cluster's members (default: processes). */
    public PoolExperiment kind(Pool.Kind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
        return this;
    }

    /** How many workers (default: one per core); checked as {@link Pool.Builder#workers} does. */
    public PoolExperiment workers(int workers) {
        Pool.builder(kind).workers(workers);
        this.workers = workers;
        return this;
    }

    /** Which call (default: map). */
    public PoolExperiment mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** Inputs per task, at least 1 (default: CPython's default for the call). */
    public PoolExperiment chunksize(int chunksize) {
        Pool.requireChunksize(chunksize);
        this.chunksize = chunksize;
        return this;
    }

    /**
     * How many times to make the call on the same pool (1 to 100, default 1); the run reports
     * the median, so that with a few repeats it shows the warmed-up figure rather than the first
     * call's, which includes the JIT compiling the pool's code.
     */
    public PoolExperiment repeat(int times) {
        if (times < 1 || times > 100) {
            throw new IllegalArgumentException("repeat must be between 1 and 100 (got " + times + ")");
        }
        this.repeat = times;
        return this;
    }

    /** Where worker JVMs' lines go (default System.out). */
    public PoolExperiment output(PrintStream output) {
        this.output = Objects.requireNonNull(output, "output");
        return this;
    }

    /** Runs the experiment in this JVM. */
    public PoolRun run() {
        Pool.builder(kind).workers(workers); // checks the count for the kind chosen last
        PoolFunction<Long, Long> function = maxCount == 0 ? PoolFunctions.square() : PoolFunctions.count();
        Iterable<Long> inputs = maxCount == 0 ? new Range(tasks) : Collections.nCopies(Math.toIntExact(tasks), maxCount);
        try (Pool pool = Pool.builder(kind).workers(workers).output(output).build();
             HeapWatch heap = HeapWatch.start()) {
            List<Double> walls = new ArrayList<>();
            List<Double> firsts = new ArrayList<>();
            BigInteger checksum = null;
            for (int call = 0; call < repeat; call++) {
                Sum sum = new Sum();
                long t0 = System.nanoTime();
                double first = -1;
                double wall;
                if (mode == Mode.MAP) {
                    // As CPython's program does: the call ends when map returns, with every result in hand.
                    List<Long> results = chunksize == 0 ? pool.map(function, inputs) : pool.map(function, inputs, chunksize);
                    first = wall = (System.nanoTime() - t0) / 1e6;
                    results.forEach(sum::add);
                } else {
                    int size = chunksize == 0 ? 1 : chunksize;
                    Iterator<Long> results = mode == Mode.IMAP ? pool.imap(function, inputs, size)
                            : pool.imapUnordered(function, inputs, size);
                    while (results.hasNext()) {
                        sum.add(results.next());
                        if (first < 0) {
                            first = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    wall = (System.nanoTime() - t0) / 1e6;
                }
                walls.add(wall);
                firsts.add(first);
                checksum = sum.total();
                if (!checksum.equals(expectedChecksum())) {
                    throw new IllegalStateException("the results sum to " + checksum + ", not " + expectedChecksum()
                            + ": some result is wrong");
                }
            }
            double peak = heap.peakMegabytes();
            PoolCall call = pool.lastCall();
            return new PoolRun("Java " + System.getProperty("java.version"), kind.label(), workers, mode.label(),
                    call.chunksize(), tasks, workload(), maxCount, pool.startMillis(), median(walls), median(firsts),
                    checksum, peak, tasks <= TIMELINE_TASKS ? call.timeline() : List.of(), walls);
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * Runs the experiment in a fresh JVM with the given heap and a small young generation
     * (16 MB), so that its peak heap shows what the call keeps alive, not the kernel's own
     * memory. Waits for it; an interrupt stops it.
     *
     * @throws IllegalStateException if that JVM fails, e.g. runs out of heap (its message says so)
     */
    public PoolRun runInFreshJvm(int heapMegabytes) {
        if (heapMegabytes < 32 || heapMegabytes > 65_536) {
            throw new IllegalArgumentException("heapMegabytes must be between 32 and 65536 (got " + heapMegabytes + ")");
        }
        List<String> command = ChildJvms.command(heapMegabytes, PoolExperiment.class);
        command.add(2, "-Xmn16m");
        command.set(command.size() - 1, "concurrencylab.cli.Main");
        command.add("pool");
        command.addAll(arguments());
        command.add("--json");
        String output;
        try {
            output = ChildJvms.outputOf(command, "the fresh JVM");
        } catch (IllegalStateException e) {
            throw e.getMessage().contains("OutOfMemoryError")
                    ? new IllegalStateException("the fresh JVM ran out of heap: give it more, or fewer inputs (" + e.getMessage() + ")", e)
                    : e;
        }
        return PoolRun.fromSummary(readJson(output, "the fresh JVM"));
    }

    /**
     * Runs the same experiment with CPython's {@code multiprocessing.Pool} (or its ThreadPool),
     * when python3 is installed, with this platform's default start method.
     *
     * <p>Counting tasks are first estimated from CPython's counting rate here; a run that would
     * take more than {@link CPython#DEFAULT_TIME_LIMIT} is skipped with one printed line saying
     * how long it would take, and the result is empty, as when there is no python3. CPython has
     * no cluster pool: for {@link Pool.Kind#CLUSTER} nothing runs, one line says so, and the
     * result is empty.
     */
    public Optional<PoolRun> runCPython() {
        return runCPython(null);
    }

    /**
     * As {@link #runCPython()}, with worker processes started by {@code startMethod} ("fork",
     * "forkserver" or "spawn"; null for the platform's default; ignored for a thread pool).
     *
     * @throws IllegalArgumentException for a start method this platform does not offer
     */
    public Optional<PoolRun> runCPython(String startMethod) {
        if (kind == Pool.Kind.CLUSTER) {
            System.out.println("CPython's pool skipped: multiprocessing has no cluster pool; compare the cluster with"
                    + " CPython's processes or threads instead.");
            return Optional.empty();
        }
        return CPython.find().flatMap(python -> {
            List<String> args = new ArrayList<>(arguments());
            if (startMethod != null && kind == Pool.Kind.PROCESSES) {
                if (!python.startMethods().contains(startMethod)) {
                    throw new IllegalArgumentException("startMethod must be one of " + python.startMethods()
                            + " on this platform (got \"" + startMethod + "\")");
                }
                args.addAll(List.of("--start-method", startMethod));
            }
            if (maxCount > 0) {
                boolean processes = kind == Pool.Kind.PROCESSES;
                int atOnce = processes || !python.gilEnabled()
                        ? Math.min(workers, Runtime.getRuntime().availableProcessors()) : 1;
                Duration estimate = python.estimateCounting((double) tasks * maxCount * repeat / atOnce,
                        processes ? workers : 0);
                if (estimate.compareTo(python.timeLimit()) > 0) {
                    System.out.printf(Locale.ROOT, "CPython's pool skipped: %,d x count(%,d) on %d workers would take "
                                    + "about %s here, beyond the %s limit. Lower the count for CPython to run it.%n",
                            tasks, maxCount, workers, CPython.human(estimate), CPython.human(python.timeLimit()));
                    return Optional.empty();
                }
            }
            return Optional.of(PoolRun.fromSummary(readJson(python.runProgram("pool.py", args), "pool.py")));
        });
    }

    /** The command line's arguments for this experiment, e.g. [--kind, processes, --workers, 2, ...]. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--kind", kind.label(), "--workers", Integer.toString(workers),
                "--mode", mode.label()));
        if (chunksize != 0) {
            args.addAll(List.of("--chunksize", Integer.toString(chunksize)));
        }
        if (repeat != 1) {
            args.addAll(List.of("--repeat", Integer.toString(repeat)));
        }
        if (maxCount == 0) {
            args.addAll(List.of("--squares", Long.toString(tasks)));
        } else {
            args.addAll(List.of("--tasks", Long.toString(tasks), "--max-count", Long.toString(maxCount)));
        }
        return args;
    }

    private String workload() {
        return maxCount == 0 ? "squares" : "count";
    }

    private BigInteger expectedChecksum() {
        BigInteger k = BigInteger.valueOf(tasks);
        return maxCount == 0
                ? k.subtract(BigInteger.ONE).multiply(k).multiply(k.shiftLeft(1).subtract(BigInteger.ONE)).divide(BigInteger.valueOf(6))
                : k.multiply(BigInteger.valueOf(maxCount));
    }

    @Override
    public String toString() {
        return "pool " + String.join(" ", arguments());
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String text, String from) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(from + " printed something other than its JSON result: " + text.strip(), e);
        }
    }

    /** 0, 1, ..., size - 1, made as they are read (as Python's range): a list that holds nothing. */
    private static final class Range extends java.util.AbstractList<Long> implements java.util.RandomAccess {
        private final int size;

        Range(long size) {
            this.size = Math.toIntExact(size);
        }

        @Override
        public Long get(int index) {
            java.util.Objects.checkIndex(index, size);
            return (long) index;
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** An exact sum of longs: a long until it would overflow, then a BigInteger. */
    private static final class Sum {
        private long partial;
        private BigInteger carried = BigInteger.ZERO;

        void add(long value) {
            long sum = partial + value;
            if (((partial ^ sum) & (value ^ sum)) < 0) {
                carried = carried.add(BigInteger.valueOf(partial));
                sum = value;
            }
            partial = sum;
        }

        BigInteger total() {
            return carried.add(BigInteger.valueOf(partial));
        }
    }
}
