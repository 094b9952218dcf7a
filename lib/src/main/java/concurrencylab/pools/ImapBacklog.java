package concurrencylab.pools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import concurrencylab.runners.CPython;
import concurrencylab.runners.ChildJvms;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How far an {@code imap} runs ahead of a caller that stops reading: the pool squares
 * 0 .. inputs - 1, the caller takes the first result and then reads nothing until the pool has
 * taken no input for half a second (or {@link #PAUSE} has passed), and we note how many inputs
 * the pool had taken by then and how much memory the caller's process holds. Then the caller
 * reads the rest and the results' sum is checked. A run that has not read every result
 * {@link #TIME_LIMIT} after the call stops there (its pool is closed, or terminated in CPython)
 * and says so: {@link #finished()} is false, {@link #resultsRead()} says how far it got, and
 * those results are checked.
 *
 * <p>The lab's {@link Pool#imap} takes at most a window of inputs ahead of its caller
 * (max(1,024, 4 x workers x chunksize)), so it stops early and holds little. CPython's
 * {@code multiprocessing.Pool.imap} has no such bound: its task-handler thread takes every input
 * as fast as the workers do, and the results wait in the caller's memory. The two memory
 * figures are each process's own, and not the same measure: for Java, the live heap (after a
 * full garbage collection) at the end of the wait; for CPython, the resident set then. Each
 * is given with what it was before the call, so {@link #heldMB()} is what the wait added.
 *
 * <pre>{@code
 * List<ImapBacklog> runs = new ArrayList<>();
 * runs.add(ImapBacklog.inFreshJvm(2_000_000, 2, 100));
 * ImapBacklog.cpython(2_000_000, 2, 100).ifPresent(runs::add);
 * Display.show(ImapBacklog.table(runs));
 * }</pre>
 *
 * @param runtime "Java 25.0.1" or "CPython 3.11.7, GIL, fork"
 * @param inputs how many inputs the call was given
 * @param resultsRead how many results the caller read before it stopped (all of them, unless
 *     the run reached {@link #TIME_LIMIT})
 * @param workers the pool's worker processes
 * @param chunksize inputs per task
 * @param waitedMillis how long the caller read nothing
 * @param takenWhileWaiting how many inputs the pool had taken from the input when the wait ended
 * @param memoryBeforeMB the caller's memory just before the call (see {@code memoryKind})
 * @param memoryAfterWaitMB the caller's memory at the end of the wait
 * @param memoryKind what the two memory figures are
 */
public record ImapBacklog(String runtime, long inputs, long resultsRead, int workers, int chunksize, double waitedMillis,
                          long takenWhileWaiting, double memoryBeforeMB, double memoryAfterWaitMB, String memoryKind)
        implements Displayable {

    /** The most inputs a run takes: CPython holds every result, about 40 bytes each, so 5 million is 200 MB. */
    public static final long MAX_INPUTS = 5_000_000L;
    /** The longest the caller waits before it reads on. */
    public static final Duration PAUSE = Duration.ofSeconds(10);
    /** How long after the call a run stops reading, finished or not. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(40);
    /** The wait ends once the pool has taken no input for this long. */
    static final Duration STILL = Duration.ofMillis(500);
    private static final int FRESH_JVM_HEAP_MB = 256;
    private static final String JAVA_MEMORY = "live heap (after a full GC)";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImapBacklog {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(memoryKind, "memoryKind");
    }

    /** True for a run of CPython's pool. */
    public boolean isCPython() {
        return runtime.startsWith("CPython");
    }

    /** True if the caller read every result within {@link #TIME_LIMIT}. */
    public boolean finished() {
        return resultsRead == inputs;
    }

    /** What the wait added to the caller's memory, in MB (never below 0). */
    public double heldMB() {
        return Math.max(0, memoryAfterWaitMB - memoryBeforeMB);
    }

    /** "the lab's Pool.imap (Java 25)" or "multiprocessing.Pool.imap (CPython 3.11.7, GIL, fork)". */
    public String label() {
        return isCPython() ? "multiprocessing.Pool.imap (" + runtime + ")" : "the lab's Pool.imap (" + runtime + ")";
    }

    /**
     * Measures a pool of this JVM's: as described above, with the heap read after
     * {@link System#gc()} (in a JVM run with the serial collector, a full collection). Reads
     * results for at most {@code timeLimit} from the call; the caller then closes the pool.
     *
     * @throws IllegalArgumentException for inputs outside 1 .. {@link #MAX_INPUTS}, a chunksize
     *     below 1, or a pause that is not positive
     * @throws IllegalStateException if the results' sum is wrong
     */
    public static ImapBacklog measure(Pool pool, long inputs, int chunksize, Duration pause, Duration timeLimit) {
        Objects.requireNonNull(pool, "pool");
        requireInputs(inputs);
        Pool.requireChunksize(chunksize);
        if (pause == null || pause.isNegative() || pause.isZero()) {
            throw new IllegalArgumentException("pause must be more than zero (got " + pause + ")");
        }
        if (timeLimit == null || timeLimit.compareTo(pause) < 0) {
            throw new IllegalArgumentException("timeLimit must be at least the pause (got " + timeLimit + ")");
        }
        AtomicLong taken = new AtomicLong();
        Iterable<Long> counted = () -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < inputs;
            }

            @Override
            public Long next() {
                taken.set(next + 1);
                return next++;
            }
        };
        double before = liveHeapMB();
        long t0 = System.nanoTime();
        Iterator<Long> results = pool.imap(PoolFunctions.square(), counted, chunksize).iterator();
        BigInteger sum = BigInteger.valueOf(results.next());
        long wait0 = System.nanoTime();
        long seen = taken.get();
        long stillSince = wait0;
        while (System.nanoTime() - wait0 < pause.toNanos()) {
            sleep(50);
            long now = System.nanoTime();
            if (taken.get() != seen) {
                seen = taken.get();
                stillSince = now;
            } else if (now - stillSince >= STILL.toNanos()) {
                break;
            }
        }
        double waited = (System.nanoTime() - wait0) / 1e6;
        long takenWhileWaiting = taken.get();
        double after = liveHeapMB();
        long read = 1;
        while (results.hasNext()) {
            sum = sum.add(BigInteger.valueOf(results.next()));
            read++;
            if (read % 1000 == 0 && System.nanoTime() - t0 > timeLimit.toNanos()) {
                break;
            }
        }
        // imap keeps input order, so the results read are the squares of 0 .. read - 1.
        BigInteger k = BigInteger.valueOf(read);
        BigInteger expected = k.subtract(BigInteger.ONE).multiply(k).multiply(k.shiftLeft(1).subtract(BigInteger.ONE))
                .divide(BigInteger.valueOf(6));
        if (!sum.equals(expected)) {
            throw new IllegalStateException("the results sum to " + sum + ", not " + expected + ": some result is wrong");
        }
        return new ImapBacklog("Java " + System.getProperty("java.version"), inputs, read, pool.workers(), chunksize, waited,
                takenWhileWaiting, before, after, JAVA_MEMORY);
    }

    /**
     * Measures the lab's process pool in a fresh JVM (a 256 MB heap), so that the kernel's own
     * memory does not count. Waits for it; an interrupt stops it and its workers.
     *
     * @throws IllegalArgumentException for bad inputs, workers or chunksize, before anything starts
     * @throws IllegalStateException if that JVM fails (its message says why)
     */
    public static ImapBacklog inFreshJvm(long inputs, int workers, int chunksize) {
        check(inputs, workers, chunksize);
        List<String> command = ChildJvms.command(FRESH_JVM_HEAP_MB, ImapBacklog.class);
        command.addAll(List.of(Long.toString(ProcessHandle.current().pid()), Long.toString(inputs),
                Integer.toString(workers), Integer.toString(chunksize)));
        return said(fromJson(ChildJvms.outputOf(command, "the fresh JVM measuring imap"), false));
    }

    /**
     * Measures CPython's {@code multiprocessing.Pool.imap} the same way (the lab's program
     * imap_backlog.py, with this platform's default start method), or empty when there is no
     * python3.
     *
     * @throws IllegalArgumentException for bad inputs, workers or chunksize, before anything starts
     * @throws IllegalStateException if the Python program fails (its error output is in the message)
     */
    public static Optional<ImapBacklog> cpython(long inputs, int workers, int chunksize) {
        check(inputs, workers, chunksize);
        return CPython.find().map(python -> said(fromJson(python.runProgram("imap_backlog.py", List.of(
                "--workers", Integer.toString(workers), "--inputs", Long.toString(inputs),
                "--chunksize", Integer.toString(chunksize), "--pause", Long.toString(PAUSE.toSeconds()),
                "--time-limit", Long.toString(TIME_LIMIT.toSeconds()))), true)));
    }

    /** Prints one line for a run that stopped before its end, saying how far it got and what to change. */
    private static ImapBacklog said(ImapBacklog run) {
        if (!run.finished()) {
            System.out.printf(Locale.ROOT, "%s stopped after %s: %,d of %,d results read, at chunksize %,d. "
                            + "Lower the inputs or raise the chunksize to see it to the end.%n", run.label(),
                    CPython.human(TIME_LIMIT), run.resultsRead, run.inputs, run.chunksize);
        }
        return run;
    }

    /** One row per run: what ran, what it was given, how far it ran ahead, and the caller's memory. */
    public static Table table(List<ImapBacklog> runs) {
        StringColumn what = StringColumn.create("run");
        LongColumn inputs = LongColumn.create("inputs");
        LongColumn read = LongColumn.create("results read");
        LongColumn taken = LongColumn.create("inputs taken while we waited");
        DoubleColumn waited = DoubleColumn.create("waited s");
        DoubleColumn before = DoubleColumn.create("memory before MB");
        DoubleColumn after = DoubleColumn.create("memory after the wait MB");
        StringColumn kind = StringColumn.create("memory measured as");
        for (ImapBacklog run : runs) {
            what.append(run.label() + String.format(Locale.ROOT, ", %d workers, chunksize %,d", run.workers, run.chunksize));
            inputs.append(run.inputs);
            read.append(run.resultsRead);
            taken.append(run.takenWhileWaiting);
            waited.append(Math.round(run.waitedMillis / 100) / 10.0);
            before.append(Math.round(run.memoryBeforeMB * 10) / 10.0);
            after.append(Math.round(run.memoryAfterWaitMB * 10) / 10.0);
            kind.append(run.memoryKind);
        }
        return Table.create("imap while the caller reads nothing", what, inputs, read, taken, waited, before, after, kind);
    }

    /** Bars of {@link #heldMB()}, one per run: the memory the caller's process gained while it waited. */
    public static JFreeChart chart(List<ImapBacklog> runs) {
        if (runs.isEmpty()) {
            throw new IllegalStateException("there are no runs to chart");
        }
        Map<String, Double> held = new LinkedHashMap<>();
        for (ImapBacklog run : runs) {
            held.put((run.isCPython() ? "CPython" : "Java") + String.format(Locale.ROOT, ", %,d inputs", run.inputs),
                    run.heldMB());
        }
        return Charts.bars("imap while the caller reads nothing: memory the wait added", "MB", held, false);
    }

    @Override
    public Object toDisplay() {
        return toString();
    }

    /** One line, e.g. "the lab's Pool.imap (Java 25): took 1,100 of 2,000,000 inputs while we waited 0.6 s; ...". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: took %,d of %,d inputs while we waited %.1f s; its caller's %s went "
                        + "from %.1f to %.1f MB", label(), takenWhileWaiting, inputs, waitedMillis / 1000, memoryKind,
                memoryBeforeMB, memoryAfterWaitMB);
    }

    /** The fresh JVM's side: args are the parent's pid, inputs, workers, chunksize; prints one JSON object. */
    public static void main(String[] args) {
        ChildJvms.watchParent(Long.parseLong(args[0]));
        long inputs = Long.parseLong(args[1]);
        int workers = Integer.parseInt(args[2]);
        int chunksize = Integer.parseInt(args[3]);
        ImapBacklog run;
        try (Pool pool = Pool.builder(Pool.Kind.PROCESSES).workers(workers).output(System.err).build()) {
            pool.map(PoolFunctions.square(), List.of(1L, 2L));   // every worker is up before we measure
            run = measure(pool, inputs, chunksize, PAUSE, TIME_LIMIT);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runtime", run.runtime);
        json.put("inputs", run.inputs);
        json.put("resultsRead", run.resultsRead);
        json.put("workers", run.workers);
        json.put("chunksize", run.chunksize);
        json.put("waitedMillis", run.waitedMillis);
        json.put("takenWhileWaiting", run.takenWhileWaiting);
        json.put("memoryBeforeMB", run.memoryBeforeMB);
        json.put("memoryAfterWaitMB", run.memoryAfterWaitMB);
        json.put("memoryKind", run.memoryKind);
        try {
            System.out.println(JSON.writeValueAsString(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImapBacklog fromJson(String output, boolean python) {
        JsonNode json;
        try {
            json = JSON.readTree(output);
        } catch (IOException e) {
            throw new IllegalStateException((python ? "imap_backlog.py" : "the fresh JVM")
                    + " printed something other than its JSON result: " + output.strip(), e);
        }
        return new ImapBacklog(json.get("runtime").asText(), json.get("inputs").asLong(), json.get("resultsRead").asLong(),
                json.get("workers").asInt(),
                json.get("chunksize").asInt(), json.get("waitedMillis").asDouble(), json.get("takenWhileWaiting").asLong(),
                json.get("memoryBeforeMB").asDouble(), json.get("memoryAfterWaitMB").asDouble(),
                json.get("memoryKind").asText());
    }

    private static void check(long inputs, int workers, int chunksize) {
        requireInputs(inputs);
        Pool.builder(Pool.Kind.PROCESSES).workers(workers);
        Pool.requireChunksize(chunksize);
    }

    private static void requireInputs(long inputs) {
        if (inputs < 1 || inputs > MAX_INPUTS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "inputs must be between 1 and %,d (got %,d): "
                    + "CPython's imap would hold every result, about 40 bytes each", MAX_INPUTS, inputs));
        }
    }

    private static double liveHeapMB() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while the caller waited");
        }
    }
}
