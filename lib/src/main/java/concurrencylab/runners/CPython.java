package concurrencylab.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * CPython beside Java: runs the lab's own Python program (shipped in the jar), which counts the
 * way the article's programs do, and returns its run in the same form as ours, so that both
 * join one table and one chart.
 *
 * <p>Only the strategies CPython has are offered: sequential, processes (multiprocessing) and
 * threads (threading). When no {@code python3} is installed, {@link #find()} says so and a
 * lesson goes on without it.
 *
 * <p>Each run says what ran it, so that a table row reads "threads (CPython, GIL)" or
 * "processes (CPython, forkserver)": whether this interpreter runs with the GIL
 * ({@link #gilEnabled()}: false only on a free-threaded build, 3.13+, running without it), and
 * which start method multiprocessing used ({@link #defaultStartMethod()}: fork on Linux up to
 * 3.13, forkserver from 3.14, spawn on macOS and Windows; or the one asked for).
 *
 * <p>CPython counts tens of times slower than Java, so a count a learner types for Java may
 * take CPython hours. {@link #tryRun} first estimates the run from a short calibration
 * ({@link #estimate}) and skips it, with one line saying how long it would take, when that is
 * beyond the time limit (a minute unless {@link #timeLimit(Duration)} says otherwise);
 * {@link #run} runs whatever it is given.
 *
 * <pre>{@code
 * Optional<CPython> python = CPython.find();
 * python.flatMap(p -> p.tryRun(Strategy.THREADS, 4, MAX_COUNT)).ifPresent(Display::show);
 * }</pre>
 */
public final class CPython {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long {@link #tryRun} lets a run take unless told otherwise. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(1);

    // Printed by the interpreter itself: version, GIL state, build, start methods.
    private static final String PROBE = "import json, multiprocessing as m, platform, sys, sysconfig; "
            + "g = getattr(sys, '_is_gil_enabled', None); "
            + "print(json.dumps({'version': platform.python_version(), 'gil': True if g is None else bool(g()), "
            + "'freeThreaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')), "
            + "'startMethod': m.get_start_method(), 'startMethods': m.get_all_start_methods()}))";

    private final String command;
    private final String version;
    private final boolean gil;
    private final boolean freeThreadedBuild;
    private final String defaultStartMethod;
    private final List<String> startMethods;
    private final Duration timeLimit;
    private final AtomicLong countsPerSecond;

    private CPython(String command, String version, boolean gil, boolean freeThreadedBuild, String defaultStartMethod,
                    List<String> startMethods, Duration timeLimit, AtomicLong countsPerSecond) {
        this.command = command;
        this.version = version;
        this.gil = gil;
        this.freeThreadedBuild = freeThreadedBuild;
        this.defaultStartMethod = defaultStartMethod;
        this.startMethods = List.copyOf(startMethods);
        this.timeLimit = timeLimit;
        this.countsPerSecond = countsPerSecond;
    }

    /** The first {@code python3} (or {@code python}, if it is Python 3) on the PATH, if any. */
    public static Optional<CPython> find() {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process process = new ProcessBuilder(candidate, "-c", PROBE).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && out.startsWith("{")) {
                    JsonNode facts = JSON.readTree(out);
                    List<String> methods = new ArrayList<>();
                    facts.get("startMethods").forEach(m -> methods.add(m.asText()));
                    return Optional.of(new CPython(candidate, facts.get("version").asText(), facts.get("gil").asBoolean(),
                            facts.get("freeThreaded").asBoolean(), facts.get("startMethod").asText(), methods,
                            DEFAULT_TIME_LIMIT, new AtomicLong()));
                }
            } catch (IOException e) {
                // Not installed under this name.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The Python version, e.g. "3.11.2". */
    public String version() {
        return version;
    }

    /**
     * True if this interpreter's threads take turns under the global interpreter lock: always
     * before 3.13, and on the standard build; false on a free-threaded build (3.13t, 3.14t)
     * running without it, whose threads count in parallel.
     */
    public boolean gilEnabled() {
        return gil;
    }

    /** True for a free-threaded build (configured with --disable-gil), whatever its GIL does now. */
    public boolean freeThreadedBuild() {
        return freeThreadedBuild;
    }

    /** "GIL" or "no GIL": how rows and tables label this interpreter's threads. */
    public String gilLabel() {
        return gil ? "GIL" : "no GIL";
    }

    /**
     * How multiprocessing starts a process here when not told: "fork" (Linux up to 3.13),
     * "forkserver" (Linux from 3.14), "spawn" (macOS, Windows).
     */
    public String defaultStartMethod() {
        return defaultStartMethod;
    }

    /** The start methods this platform offers, the default first (e.g. fork, spawn, forkserver). */
    public List<String> startMethods() {
        return startMethods;
    }

    /** The same interpreter with another limit for {@link #tryRun} (between a second and a day). */
    public CPython timeLimit(Duration limit) {
        if (limit == null || limit.compareTo(Duration.ofSeconds(1)) < 0 || limit.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the CPython time limit must be between 1 second and 1 day (got " + limit + ")");
        }
        return new CPython(command, version, gil, freeThreadedBuild, defaultStartMethod, startMethods, limit, countsPerSecond);
    }

    /** The limit {@link #tryRun} holds runs to (a minute unless set). */
    public Duration timeLimit() {
        return timeLimit;
    }

    /**
     * How many times a second one CPython thread adds 1 here, measured once (about 0.3 s of
     * counting) and remembered.
     */
    public long countsPerSecond() {
        long rate = countsPerSecond.get();
        if (rate == 0) {
            JsonNode json = readJson(runProgram("count.py", List.of("--calibrate")), "count.py --calibrate");
            rate = Math.max(1, json.get("countsPerSecond").asLong());
            countsPerSecond.set(rate);
        }
        return rate;
    }

    /**
     * About how long {@code run(strategy, workers, maxCount)} would take on this machine: the
     * counting at {@link #countsPerSecond()}, spread over the CPUs where CPython runs it in
     * parallel (processes; threads only without the GIL), plus process start-up.
     *
     * @throws IllegalArgumentException for a strategy CPython does not have, or bad numbers
     */
    public Duration estimate(Strategy strategy, int workers, long maxCount) {
        requireStrategy(strategy);
        Runner.requireWorkers(strategy, workers);
        Task.count(maxCount);
        boolean parallel = strategy == Strategy.PROCESSES || (strategy == Strategy.THREADS && !gil);
        int cpus = Runtime.getRuntime().availableProcessors();
        double rounds = parallel ? Math.ceil((double) workers / Math.min(workers, cpus)) : workers;
        return estimateCounting(rounds * maxCount, strategy == Strategy.PROCESSES ? workers : 0);
    }

    /**
     * About how long CPython takes to make {@code countsInSeries} additions one after another
     * (what is left once the work is divided among the CPUs that run at once), plus starting
     * {@code processes} processes; for callers that shape the work themselves, such as a pool.
     */
    public Duration estimateCounting(double countsInSeries, int processes) {
        double seconds = countsInSeries / countsPerSecond() + 0.1 * Math.max(0, processes) + 0.1;
        return Duration.ofMillis((long) Math.ceil(Math.min(seconds, 1e12) * 1000));
    }

    /**
     * Runs as {@link #run(Strategy, int, long)} if the {@link #estimate} is within the
     * {@link #timeLimit()}; otherwise runs nothing, prints one line saying how long the run would
     * take and how to run it anyway, and returns empty.
     */
    public Optional<Run> tryRun(Strategy strategy, int workers, long maxCount) {
        Duration estimate = estimate(strategy, workers, maxCount);
        if (estimate.compareTo(timeLimit) > 0) {
            System.out.println(skipMessage(strategy, workers, maxCount, estimate));
            return Optional.empty();
        }
        return Optional.of(run(strategy, workers, maxCount));
    }

    String skipMessage(Strategy strategy, int workers, long maxCount, Duration estimate) {
        return String.format(Locale.ROOT, "CPython %s skipped: %d x count(%,d) would take about %s here "
                        + "(%,d counts a second), beyond the %s limit. Lower the CPython count, or run it anyway "
                        + "with python.timeLimit(Duration.ofHours(...)) or python.run(...).",
                strategy.label(), workers, maxCount, human(estimate), countsPerSecond(), human(timeLimit));
    }

    /** A duration as a person says it: "40 s", "12 min", "3.5 h", "2.0 days". */
    public static String human(Duration d) {
        double s = d.toMillis() / 1000.0;
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", Math.max(1, s));
        }
        if (s < 7200) {
            return String.format(Locale.ROOT, "%.0f min", s / 60);
        }
        if (s < 172_800) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", s / 86_400);
    }

    private static void requireStrategy(Strategy strategy) {
        if (strategy != Strategy.SEQUENTIAL && strategy != Strategy.PROCESSES && strategy != Strategy.THREADS) {
            throw new IllegalArgumentException("CPython runs only sequential, processes and threads (got "
                    + strategy.label() + "): its threads already have a real GIL");
        }
    }

    /**
     * Runs N CPython workers that each count to {@code maxCount}, and waits for them.
     *
     * @param strategy SEQUENTIAL, PROCESSES or THREADS
     * @throws IllegalArgumentException for another strategy or a bad count, before anything starts
     * @throws IllegalStateException if the Python program fails (its error output is in the message)
     * @throws CancellationException if the calling thread is interrupted; Python is stopped first
     */
    public Run run(Strategy strategy, int workers, long maxCount) {
        return run(strategy, workers, maxCount, null);
    }

    /**
     * As {@link #run(Strategy, int, long)}, with processes started by the given multiprocessing
     * start method ("fork", "forkserver" or "spawn"; null for this platform's default).
     *
     * @throws IllegalArgumentException for a start method this platform does not offer
     */
    public Run run(Strategy strategy, int workers, long maxCount, String startMethod) {
        requireStrategy(strategy);
        Runner.requireWorkers(strategy, workers);
        Task task = Task.count(maxCount);
        List<String> args = new ArrayList<>(List.of("--strategy", strategy.label(),
                "--workers", Integer.toString(workers), "--max-count", Long.toString(maxCount)));
        if (startMethod != null) {
            if (!startMethods.contains(startMethod)) {
                throw new IllegalArgumentException("startMethod must be one of " + startMethods
                        + " on this platform (got \"" + startMethod + "\")");
            }
            args.addAll(List.of("--start-method", startMethod));
        }
        return parse(runProgram("count.py", args), task);
    }

    /**
     * Runs one of the lab's Python programs (shipped in the jar under concurrencylab/cpython/)
     * with the given arguments, waits for it, and returns what it printed on standard output.
     *
     * @throws IllegalStateException if the program fails (its error output is in the message)
     * @throws CancellationException if the calling thread is interrupted; Python is stopped first
     */
    public String runProgram(String program, List<String> arguments) {
        List<String> args = new java.util.ArrayList<>(List.of(command, script(program).toString()));
        args.addAll(arguments);
        return ChildJvms.outputOf(args, "the CPython program " + program);
    }

    private static JsonNode readJson(String output, String program) {
        try {
            return JSON.readTree(output);
        } catch (IOException e) {
            throw new IllegalStateException("the CPython program " + program
                    + " printed something other than its JSON result: " + output.strip(), e);
        }
    }

    private static Run parse(String output, Task task) {
        Run run;
        try {
            run = Run.fromSummary(JSON.readTree(output));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the CPython program printed something other than its JSON result: "
                    + output.strip(), e);
        }
        for (long result : run.results()) {
            if (result != task.expectedResult()) {
                throw new IllegalStateException("a CPython worker returned " + result + ", not " + task.expectedResult());
            }
        }
        return run;
    }

    /** The module every program imports; unpacked beside each of them. */
    private static final String SHARED_MODULE = "lab_python.py";

    /** A Python program of the lab's, copied once out of the jar into one temporary folder. */
    private static Path script(String name) {
        SCRIPTS_LOCK.lock();
        try {
            Path script = SCRIPTS.get(name);
            if (script == null) {
                if (folder == null) {
                    folder = Files.createTempDirectory("concurrency-lab-cpython");
                    folder.toFile().deleteOnExit();
                    unpack(SHARED_MODULE);
                }
                script = unpack(name);
                SCRIPTS.put(name, script);
            }
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the CPython program: " + e.getMessage(), e);
        } finally {
            SCRIPTS_LOCK.unlock();
        }
    }

    private static Path unpack(String name) throws IOException {
        try (InputStream in = CPython.class.getResourceAsStream("/concurrencylab/cpython/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the helper jar");
            }
            Path file = folder.resolve(name);
            Files.copy(in, file);
            file.toFile().deleteOnExit();
            return file;
        }
    }

    // A lock rather than synchronized: a virtual thread may unpack a script (no pinning on JDK 21).
    private static final ReentrantLock SCRIPTS_LOCK = new ReentrantLock();
    private static final java.util.Map<String, Path> SCRIPTS = new java.util.HashMap<>();
    private static Path folder;

    @Override
    public String toString() {
        return "CPython " + version + " (" + command + ", " + gilLabel() + ", start method " + defaultStartMethod + ")";
    }
}
