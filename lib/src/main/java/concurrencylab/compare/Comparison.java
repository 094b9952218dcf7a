package concurrencylab.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.chart.Charts;
import concurrencylab.coroutines.Async;
import concurrencylab.coroutines.EventLoop;
import concurrencylab.coroutines.Sleepers;
import concurrencylab.coroutines.SleepersRun;
import concurrencylab.display.Displayable;
import concurrencylab.measure.Machine;
import concurrencylab.pools.Pool;
import concurrencylab.pools.PoolExperiment;
import concurrencylab.pools.PoolFunctions;
import concurrencylab.pools.PoolRun;
import concurrencylab.runners.CPython;
import concurrencylab.runners.Run;
import concurrencylab.runners.Runner;
import concurrencylab.runners.Strategy;
import concurrencylab.runners.Task;
import concurrencylab.workloads.Workloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every strategy of the lab measured on one machine, on three kinds of work: CPU-bound (each
 * worker counts), I/O-bound (each worker sleeps) and many waiting tasks (thousands sleep at
 * once). Each figure is a speed-up over doing the same work one piece at a time, so that Java's
 * and CPython's, sized differently, compare.
 *
 * <pre>{@code
 * Comparison all = Comparison.builder().workers(4).run();   // about half a minute
 * Display.show(all);                                        // the table
 * Display.show(all.chart());                                // speed-ups, one group per strategy
 * all.guide().forEach(System.out::println);                 // what the figures say
 * }</pre>
 *
 * <p>Baselines: for counting, the sequential run of the same runtime (measured); for sleeping,
 * the sum of the sleeps (what one at a time must take). Each runtime counts to its own size, so
 * that its sequential run takes about a second: CPython's default count is a hundredth of Java's.
 */
public final class Comparison implements Displayable {

    /** The kind of work compared. */
    public enum Workload {
        /** Each worker counts: the CPU is the bottleneck. */
        CPU_BOUND("CPU-bound"),
        /** Each worker sleeps, as if waiting on a disk or a network. */
        IO_BOUND("I/O-bound"),
        /** Thousands of tasks sleep at once. */
        MANY_WAITING("many waiting tasks");

        private final String label;

        Workload(String label) {
            this.label = label;
        }

        /** "CPU-bound", "I/O-bound" or "many waiting tasks". */
        public String label() {
            return label;
        }
    }

    /**
     * One strategy on one kind of work.
     *
     * @param workload the kind of work
     * @param strategy e.g. "threads", "process pool", "event loop"
     * @param runtime "Java 25.0.1", or "CPython 3.11.2, GIL, fork": version, GIL state, start method
     * @param work what was done, e.g. "4 x count(2,000,000,000)"
     * @param wallMillis how long it took
     * @param baselineMillis the same work one piece at a time
     */
    public record Row(Workload workload, String strategy, String runtime, String work, double wallMillis, double baselineMillis) {

        /** How many times faster than one piece at a time. */
        public double speedUp() {
            return baselineMillis / wallMillis;
        }

        /** True for CPython's runs. */
        public boolean isCPython() {
            return runtime.startsWith("CPython");
        }

        /**
         * The strategy, marked for CPython's with what decides its figure: "threads (CPython,
         * GIL)" or "threads (CPython, no GIL)" for threads, the start method for processes
         * ("process pool (CPython, forkserver)"), plain "(CPython)" otherwise. The runtime reads
         * "CPython 3.14.0, no GIL, forkserver"; an older one without those parts gets "(CPython)".
         */
        public String label() {
            if (!isCPython()) {
                return strategy;
            }
            String[] parts = runtime.split(", ");
            String detail = "";
            if (strategy.equals("threads") && parts.length > 1) {
                detail = ", " + parts[1];
            } else if ((strategy.equals("processes") || strategy.equals("process pool")) && parts.length > 2) {
                detail = ", " + parts[2];
            }
            return strategy + " (CPython" + detail + ")";
        }
    }

    /** Where the shipped reference comparison lives inside the jar. */
    public static final String REFERENCE_RESOURCE = "/concurrencylab/reference/comparison-reference.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The pools the article's comparison runs: both live on this machine. A cluster pool's members
     * are a lesson of their own (13), where what crossing a network adds is the point.
     */
    private static final List<Pool.Kind> ONE_MACHINE_POOLS = List.of(Pool.Kind.PROCESSES, Pool.Kind.THREADS);

    private final List<Row> rows;
    private final String machine;
    private final String date;

    private Comparison(List<Row> rows, String machine, String date) {
        this.rows = List.copyOf(rows);
        this.machine = machine;
        this.date = date;
    }

    /** Settings for a comparison. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every row, in the order measured: CPU-bound, then I/O-bound, then many waiting tasks. */
    public List<Row> rows() {
        return rows;
    }

    /** The rows of one kind of work. */
    public List<Row> rows(Workload workload) {
        return rows.stream().filter(r -> r.workload() == workload).toList();
    }

    /** The machine it was measured on, in one line. */
    public String machine() {
        return machine;
    }

    /** When it was measured (an ISO date). */
    public String date() {
        return date;
    }

    /** One row per strategy and kind of work: runtime, what was done, wall time, baseline, speed-up. */
    public Table table() {
        StringColumn workload = StringColumn.create("work");
        StringColumn strategy = StringColumn.create("strategy");
        StringColumn runtime = StringColumn.create("runtime");
        StringColumn work = StringColumn.create("what each run did");
        DoubleColumn wall = DoubleColumn.create("wall ms");
        DoubleColumn baseline = DoubleColumn.create("one at a time ms");
        DoubleColumn speedUp = DoubleColumn.create("speed-up");
        for (Row row : rows) {
            workload.append(row.workload().label());
            strategy.append(row.strategy());
            runtime.append(row.runtime());
            work.append(row.work());
            wall.append(Math.round(row.wallMillis() * 10) / 10.0);
            baseline.append(Math.round(row.baselineMillis() * 10) / 10.0);
            speedUp.append(Math.round(row.speedUp() * 100) / 100.0);
        }
        return Table.create("Every strategy, " + machine, workload, strategy, runtime, work, wall, baseline, speedUp);
    }

    /**
     * Speed-ups over one piece at a time: one group of bars per strategy (Java's, then
     * CPython's), one bar per kind of work it was measured on. The axis is logarithmic, since
     * thousands of waiting tasks speed up by thousands.
     *
     * @throws IllegalStateException if there are no rows
     */
    public JFreeChart chart() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("the comparison has no rows to chart");
        }
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        // Every group lists the kinds of work in one order, so that each keeps its colour.
        for (Workload workload : Workload.values()) {
            for (Row row : rows(workload)) {
                groups.computeIfAbsent(row.label(), k -> new LinkedHashMap<>());
            }
        }
        for (Workload workload : Workload.values()) {
            for (Row row : rows(workload)) {
                groups.get(row.label()).put(workload.label(), row.speedUp());
            }
        }
        JFreeChart chart = Charts.groupedBars("Speed-up over one piece of work at a time", "times faster", groups);
        return Charts.subtitle(chart, machine + ", " + date);
    }

    /**
     * What the figures say, one line per kind of work: the Java strategies within 20% of the
     * best, those that were not even 10% faster than one piece at a time, and CPython's best.
     * Drawn from the rows, so a 1-CPU machine gets a different (and true) CPU-bound line.
     */
    public List<String> guide() {
        List<String> lines = new ArrayList<>();
        for (Workload workload : Workload.values()) {
            List<Row> java = rows(workload).stream().filter(r -> !r.isCPython() && !r.strategy().equals("sequential")).toList();
            if (java.isEmpty()) {
                continue;
            }
            double best = java.stream().mapToDouble(Row::speedUp).max().orElseThrow();
            StringBuilder line = new StringBuilder(workload.label() + " (Java): ");
            if (best < 1.1) {
                line.append("nothing beat one piece at a time");
            } else {
                line.append("best ").append(String.join(", ", java.stream().filter(r -> r.speedUp() >= best * 0.8)
                        .sorted(Comparator.comparingDouble(Row::speedUp).reversed()).map(Comparison::named).toList()));
                List<String> slow = java.stream().filter(r -> r.speedUp() < 1.1).map(Comparison::named).toList();
                if (!slow.isEmpty()) {
                    line.append("; not faster than one at a time: ").append(String.join(", ", slow));
                }
            }
            rows(workload).stream().filter(r -> r.isCPython() && !r.strategy().equals("sequential"))
                    .max(Comparator.comparingDouble(Row::speedUp))
                    .ifPresent(r -> line.append("; CPython's best: ").append(named(r)));
            lines.add(line.toString());
        }
        return lines;
    }

    private static String named(Row row) {
        double x = row.speedUp();
        return String.format(Locale.ROOT, x >= 10 ? "%s %,.0fx" : "%s %.2fx", row.strategy(), x);
    }

    // ---- the reference set

    /**
     * The comparison measured once on a multi-core machine and shipped in the jar, for sessions
     * with one CPU, where no CPU-bound strategy can beat one at a time.
     */
    public static Comparison reference() {
        try (InputStream in = Comparison.class.getResourceAsStream(REFERENCE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(REFERENCE_RESOURCE + " is missing from the helper jar");
            }
            return fromJson(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the reference comparison: " + e.getMessage(), e);
        }
    }

    /** Writes this comparison as JSON, in the form {@link #reference()} reads. */
    public Path write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("date", date);
        json.put("rows", rows.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workload", r.workload().name());
            row.put("strategy", r.strategy());
            row.put("runtime", r.runtime());
            row.put("work", r.work());
            row.put("wallMillis", Math.round(r.wallMillis() * 100) / 100.0);
            row.put("baselineMillis", Math.round(r.baselineMillis() * 100) / 100.0);
            return row;
        }).toList());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    static Comparison fromJson(JsonNode json) {
        List<Row> rows = new ArrayList<>();
        json.get("rows").forEach(r -> rows.add(new Row(Workload.valueOf(r.get("workload").asText()), r.get("strategy").asText(),
                r.get("runtime").asText(), r.get("work").asText(), r.get("wallMillis").asDouble(),
                r.get("baselineMillis").asDouble())));
        return new Comparison(rows, "reference: " + json.get("machine").asText(), json.get("date").asText());
    }

    @Override
    public Object toDisplay() {
        return table();
    }

    @Override
    public String toString() {
        return rows.size() + " measurements, " + machine + ", " + date;
    }

    /** Settings for a comparison; {@link #run()} measures it. */
    public static final class Builder {
        private int workers = 4;
        private long maxCount = 2_000_000_000L;
        private long cpythonMaxCount = 20_000_000L;
        private Duration sleep = Duration.ofMillis(500);
        private int waitingTasks = 10_000;
        private boolean cpython = true;
        private java.util.EnumSet<Workload> workloads = java.util.EnumSet.allOf(Workload.class);
        private PrintStream out = System.out;

        private Builder() {}

        /**
         * Workers for the CPU-bound and I/O-bound work (1 to 16; default 4, as the article's).
         *
         * @throws IllegalArgumentException outside 1 to 16
         */
        public Builder workers(int workers) {
            if (workers < 1 || workers > 16) {
                throw new IllegalArgumentException("workers must be between 1 and 16 (got " + workers
                        + "): each is a thread, a JVM or a pool worker");
            }
            this.workers = workers;
            return this;
        }

        /**
         * How far each Java worker counts (default 2,000,000,000: about a quarter of a second).
         *
         * @throws IllegalArgumentException below 1,000 or above Task.MAX_COUNT
         */
        public Builder maxCount(long maxCount) {
            if (maxCount < 1_000 || maxCount > Task.MAX_COUNT) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "maxCount must be between 1,000 and %,d (got %,d)", Task.MAX_COUNT, maxCount));
            }
            this.maxCount = maxCount;
            return this;
        }

        /**
         * How far each CPython worker counts (default 20,000,000: CPython counts about a hundred
         * times slower, so this takes about as long as Java's default).
         *
         * @throws IllegalArgumentException below 1,000 or above 1,000,000,000
         */
        public Builder cpythonMaxCount(long maxCount) {
            if (maxCount < 1_000 || maxCount > 1_000_000_000L) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "cpythonMaxCount must be between 1,000 and 1,000,000,000 (got %,d): a billion takes CPython ~20 s", maxCount));
            }
            this.cpythonMaxCount = maxCount;
            return this;
        }

        /**
         * How long each I/O-bound task sleeps (1 ms to 10 s; default 500 ms).
         *
         * @throws IllegalArgumentException outside 1 ms to 10 s
         */
        public Builder sleep(Duration sleep) {
            Objects.requireNonNull(sleep, "sleep");
            if (sleep.compareTo(Duration.ofMillis(1)) < 0 || sleep.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("sleep must be between 1 ms and 10 s (got " + sleep.toMillis() + " ms)");
            }
            this.sleep = sleep;
            return this;
        }

        /**
         * How many tasks wait at once in the many-waiting comparison (10 to 100,000; default
         * 10,000). Platform threads join in up to their limit of 20,000.
         *
         * @throws IllegalArgumentException outside 10 to 100,000
         */
        public Builder waitingTasks(int tasks) {
            if (tasks < 10 || tasks > 100_000) {
                throw new IllegalArgumentException("waitingTasks must be between 10 and 100,000 (got " + tasks + ")");
            }
            this.waitingTasks = tasks;
            return this;
        }

        /**
         * Measures only these kinds of work (default: all three).
         *
         * @throws IllegalArgumentException if none is given
         */
        public Builder workloads(Workload... kinds) {
            if (kinds.length == 0) {
                throw new IllegalArgumentException("give at least one kind of work, e.g. workloads(Comparison.Workload.IO_BOUND)");
            }
            this.workloads = java.util.EnumSet.copyOf(List.of(kinds));
            return this;
        }

        /** Whether to measure CPython's counterparts too, where python3 is installed (default true). */
        public Builder cpython(boolean cpython) {
            this.cpython = cpython;
            return this;
        }

        /** Where to print a line per measurement as it completes (default System.out). */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Measures every strategy, one after another, printing each as it completes.
         *
         * @throws java.util.concurrent.CancellationException if the thread is interrupted
         *     (whatever was running is stopped)
         */
        public Comparison run() {
            return new Measurement(this).run();
        }
    }

    /** One run of the comparison. */
    private static final class Measurement {
        private final Builder settings;
        private final List<Row> rows = new ArrayList<>();
        private final String java = Run.javaRuntime();
        private final Optional<CPython> python;

        Measurement(Builder settings) {
            this.settings = settings;
            this.python = settings.cpython ? CPython.find() : Optional.empty();
        }

        Comparison run() {
            int w = settings.workers;
            long sleepMillis = settings.sleep.toMillis();
            if (settings.workloads.contains(Workload.CPU_BOUND)) {
                cpuBound(w);
            }
            if (settings.workloads.contains(Workload.IO_BOUND)) {
                ioBound(w, sleepMillis);
            }
            if (settings.workloads.contains(Workload.MANY_WAITING)) {
                manyWaiting(sleepMillis);
            }
            Machine machine = Machine.describe();
            String description = String.format(Locale.ROOT, "%d CPU%s, Java %s%s", machine.hardwareThreads(), machine.hardwareThreads() == 1 ? "" : "s",
                    machine.javaVersion(), python.map(p -> ", CPython " + p.version() + " (" + p.gilLabel() + ")").orElse(", no CPython"));
            return new Comparison(rows, description, LocalDate.now().toString());
        }

        /** Every worker counts. */
        private void cpuBound(int w) {
            Task count = Task.count(settings.maxCount);
            String counting = String.format(Locale.ROOT, "%d x count(%,d)", w, settings.maxCount);
            Runner.run(Strategy.THREADS, w, Task.count(Math.min(settings.maxCount, 100_000_000L))); // JIT warm-up
            double sequential = add(Workload.CPU_BOUND, "sequential", java, counting, 0,
                    () -> Runner.run(Strategy.SEQUENTIAL, w, count).wallMillis());
            for (Strategy strategy : List.of(Strategy.PROCESSES, Strategy.THREADS, Strategy.GIL_THREADS, Strategy.VIRTUAL_THREADS)) {
                add(Workload.CPU_BOUND, name(strategy), java, counting, sequential, () -> Runner.run(strategy, w, count).wallMillis());
            }
            for (Pool.Kind kind : ONE_MACHINE_POOLS) {
                add(Workload.CPU_BOUND, name(kind), java, counting, sequential, () -> {
                    PoolRun run = PoolExperiment.counts(w, settings.maxCount).kind(kind).workers(w).output(quiet()).run();
                    return run.startMillis() + run.wallMillis();
                });
            }
            add(Workload.CPU_BOUND, "event loop", java, counting, sequential, () -> onEventLoop(w, () -> {
                long result = Workloads.count(settings.maxCount);
                if (result != settings.maxCount) {
                    throw new IllegalStateException("count returned " + result);
                }
                return result;
            }));
            python.ifPresent(p -> cpythonCpuBound(p, w));
        }

        /**
         * CPython's counterparts of the CPU-bound rows, each estimated first and skipped (with one
         * line saying so, from {@link CPython#tryRun}) when it would take longer than CPython's
         * time limit; without its sequential run there is no baseline, so the rest are skipped too.
         */
        private void cpythonCpuBound(CPython p, int w) {
            String runtime = runtime(p);
            long n = settings.cpythonMaxCount;
            String small = String.format(Locale.ROOT, "%d x count(%,d)", w, n);
            Optional<Run> sequential = p.tryRun(Strategy.SEQUENTIAL, w, n);
            if (sequential.isEmpty()) {
                System.out.println("CPython's other CPU-bound runs skipped too: their speed-ups need its sequential run.");
                return;
            }
            double pySequential = add(Workload.CPU_BOUND, "sequential", runtime, small, 0, () -> sequential.get().wallMillis());
            for (Strategy strategy : List.of(Strategy.PROCESSES, Strategy.THREADS)) {
                p.tryRun(strategy, w, n).ifPresent(run ->
                        add(Workload.CPU_BOUND, name(strategy), runtime, small, pySequential, run::wallMillis));
            }
            if (p.estimate(Strategy.PROCESSES, w, n).compareTo(p.timeLimit()) <= 0) {
                add(Workload.CPU_BOUND, name(Pool.Kind.PROCESSES), runtime, small, pySequential, () -> {
                    PoolRun run = PoolExperiment.counts(w, n).kind(Pool.Kind.PROCESSES).workers(w).runCPython().orElseThrow();
                    return run.startMillis() + run.wallMillis();
                });
            } else {
                System.out.println("CPython process pool skipped too, for the same reason as its processes.");
            }
        }

        /** "CPython 3.11.7, GIL, fork": what a CPython row's label reads its GIL state and start method from. */
        private static String runtime(CPython p) {
            return "CPython " + p.version() + ", " + p.gilLabel() + ", " + p.defaultStartMethod();
        }

        /** Every worker sleeps. */
        private void ioBound(int w, long sleepMillis) {
            Task nap = Task.sleep(settings.sleep);
            String sleeping = String.format(Locale.ROOT, "%d x sleep(%,d ms)", w, sleepMillis);
            double oneAtATime = (double) w * sleepMillis;
            for (Strategy strategy : Strategy.values()) {
                add(Workload.IO_BOUND, name(strategy), java, sleeping, oneAtATime, () -> Runner.run(strategy, w, nap).wallMillis());
            }
            List<Long> naps = Collections.nCopies(w, sleepMillis);
            for (Pool.Kind kind : ONE_MACHINE_POOLS) {
                add(Workload.IO_BOUND, name(kind), java, sleeping, oneAtATime, () -> {
                    long t0 = System.nanoTime();
                    try (Pool pool = Pool.builder(kind).workers(w).output(quiet()).build()) {
                        List<Long> slept = pool.map(PoolFunctions.sleep(), naps);
                        if (!slept.equals(naps)) {
                            throw new IllegalStateException("the pool returned " + slept);
                        }
                    }
                    return (System.nanoTime() - t0) / 1e6;
                });
            }
            add(Workload.IO_BOUND, "event loop", java, sleeping, oneAtATime,
                    () -> Sleepers.run(Sleepers.Runner.EVENT_LOOP, w, settings.sleep).wallMillis());
            python.ifPresent(p -> add(Workload.IO_BOUND, "event loop", runtime(p), sleeping, oneAtATime,
                    () -> Sleepers.runCPython(w, settings.sleep, 1).orElseThrow().wallMillis()));

        }

        /** Thousands of tasks sleep at once. */
        private void manyWaiting(long sleepMillis) {
            int tasks = settings.waitingTasks;
            String waiting = String.format(Locale.ROOT, "%,d x sleep(%,d ms)", tasks, sleepMillis);
            double allInTurn = (double) tasks * sleepMillis;
            for (Sleepers.Runner runner : Sleepers.Runner.values()) {
                if (tasks <= runner.maxTasks()) {
                    add(Workload.MANY_WAITING, name(runner), java, waiting, allInTurn, () -> {
                        SleepersRun run = Sleepers.run(runner, tasks, settings.sleep);
                        requireAll(run);
                        return run.wallMillis();
                    });
                }
            }
            python.ifPresent(p -> add(Workload.MANY_WAITING, "event loop", runtime(p), waiting, allInTurn, () -> {
                SleepersRun run = Sleepers.runCPython(tasks, settings.sleep, 1).orElseThrow();
                requireAll(run);
                return run.wallMillis();
            }));
        }

        /** The names rows carry, the same for one way of running across kinds of work (so a chart groups them). */
        private static String name(Strategy strategy) {
            return switch (strategy) {
                case SEQUENTIAL -> "sequential";
                case PROCESSES -> "processes";
                case THREADS -> "threads";
                case GIL_THREADS -> "threads under a GIL";
                case VIRTUAL_THREADS -> "virtual threads";
            };
        }

        private static String name(Pool.Kind kind) {
            return switch (kind) {
                case PROCESSES -> "process pool";
                case THREADS -> "thread pool";
                case CLUSTER -> "cluster pool";
            };
        }

        private static String name(Sleepers.Runner runner) {
            return switch (runner) {
                case EVENT_LOOP -> "event loop";
                case VIRTUAL_THREADS -> "virtual threads";
                case PLATFORM_THREADS -> "threads";
            };
        }

        /** Measures one row, prints it, and returns its wall time (the baseline itself when baseline is 0). */
        private double add(Workload workload, String strategy, String runtime, String work, double baseline, Supplier<Double> measure) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("interrupted: the comparison stopped");
            }
            double wall = measure.get();
            Row row = new Row(workload, strategy, runtime, work, wall, baseline > 0 ? baseline : wall);
            rows.add(row);
            settings.out.println(String.format(Locale.ROOT, "%-18s %-26s %-30s %,9.0f ms  %6.2fx", workload.label(), row.label(),
                    work, wall, row.speedUp()));
            return wall;
        }

        private static void requireAll(SleepersRun run) {
            if (run.completed() != run.tasks()) {
                throw new IllegalStateException("only " + run.completed() + " of " + run.tasks() + " sleepers completed");
            }
        }

        private static double onEventLoop(int tasks, Callable<Long> body) {
            long t0 = System.nanoTime();
            // A counting step holds the loop as long as it counts: that is the point here, not worth a report.
            EventLoop.builder().slowStep(Duration.ofMinutes(10)).build().run(() -> {
                List<Callable<Long>> bodies = Collections.nCopies(tasks, body);
                return Async.gather(bodies.stream().map(Async::createTask).toList());
            });
            return (System.nanoTime() - t0) / 1e6;
        }

        private static PrintStream quiet() {
            return new PrintStream(OutputStream.nullOutputStream());
        }
    }
}
