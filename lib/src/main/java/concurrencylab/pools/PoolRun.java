package concurrencylab.pools;

import com.fasterxml.jackson.databind.JsonNode;
import concurrencylab.display.Displayable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The record of one {@link PoolExperiment}: a pool started, one call over the whole input, and
 * what it cost. The same fields as {@code java -jar concurrency-lab.jar pool --json} prints,
 * and as the lab's CPython program prints for {@code multiprocessing.Pool}, so the two read
 * alike. Displayed, it draws its timeline (when it has one); printed, it is one line.
 *
 * @param runtime "Java 25.0.1" or "CPython 3.11.2"
 * @param kind "processes" or "threads"
 * @param workers the pool's workers
 * @param mode "map", "imap" or "imap-unordered"
 * @param chunksize inputs per task
 * @param tasks inputs (the name the command line uses: K in {@code --tasks K} or {@code --squares K})
 * @param workload "squares" or "count"
 * @param maxCount for "count", how far each input counts; else 0
 * @param startMillis pool start-up, until every worker was ready
 * @param wallMillis the call, until the caller had every result
 * @param firstResultMillis the call, until the caller had the first result
 * @param resultsChecksum the sum of all results, checked against the expected sum
 * @param peakHeapMB the most heap (Java) or resident memory (CPython) the calling process used
 * @param timeline every task (of the last call), for runs of at most 1,000 inputs; else empty
 * @param wallMillisEach with repeated calls on one pool, each call's wall time (wallMillis and
 *     firstResultMillis are then medians); else the one call's
 */
public record PoolRun(String runtime, String kind, int workers, String mode, int chunksize, long tasks, String workload,
                      long maxCount, double startMillis, double wallMillis, double firstResultMillis,
                      BigInteger resultsChecksum, double peakHeapMB, List<TaskSpan> timeline, List<Double> wallMillisEach)
        implements Displayable {

    public PoolRun {
        timeline = List.copyOf(timeline);
        wallMillisEach = List.copyOf(wallMillisEach);
    }

    /** True for a run of the lab's Python program. */
    public boolean isCPython() {
        return runtime.startsWith("CPython");
    }

    /**
     * E.g. "processes x 2, imap, chunksize 1" or, for CPython, "processes x 2, imap, chunksize 1
     * (CPython, forkserver)": the start method for processes, GIL or no GIL for threads.
     */
    public String label() {
        return kind + " x " + workers + ", " + mode + ", chunksize " + String.format(Locale.ROOT, "%,d", chunksize)
                + cpythonMark();
    }

    /** " (CPython, fork)" / " (CPython, GIL)" for a CPython run ("(CPython)" if it did not say); "" for Java. */
    String cpythonMark() {
        return isCPython() ? " (" + implementation() + ")" : "";
    }

    /**
     * What ran the pool, as charts name it: "Java", or for CPython "CPython, fork" (the start
     * method, for processes), "CPython, GIL" (for threads), "CPython" if the run did not say.
     */
    public String implementation() {
        if (!isCPython()) {
            return "Java";
        }
        String[] parts = runtime.split(", ");   // "CPython 3.14.0, GIL, forkserver"
        String detail = kind.equals("processes") && parts.length > 2 ? ", " + parts[2]
                : kind.equals("threads") && parts.length > 1 ? ", " + parts[1] : "";
        return "CPython" + detail;
    }

    /** Inputs handled per second over the whole call. */
    public double throughputPerSecond() {
        return wallMillis > 0 ? tasks / (wallMillis / 1e3) : 0;
    }

    /** True for the run shipped with the lab from another machine (see {@link #reference()}). */
    public boolean isReference() {
        return runtime.contains(REFERENCE_MARK);
    }

    /** The call as a {@link PoolCall}, whose chart is the timeline. */
    public PoolCall call() {
        long chunks = timeline.isEmpty() ? (tasks + chunksize - 1) / chunksize : timeline.size();
        return new PoolCall(kind + cpythonMark() + (isReference() ? ", " + runtime : ""), workers, mode,
                chunksize, tasks, chunks, wallMillis, firstResultMillis, timeline);
    }

    /** Where the reference run is shipped in the jar. */
    public static final String REFERENCE_RESOURCE = "/concurrencylab/reference/pool-reference.json";
    private static final String REFERENCE_MARK = "reference run";

    /**
     * The article's pool program (five counts of 400,000,000 on a pool of four worker JVMs) as
     * measured on a machine with several CPUs, shipped with the lab for sessions that have only
     * one: its runtime says where and when it ran. Re-measure with
     * {@code java -jar concurrency-lab.jar pool --workers 4 --tasks 5 --max-count 400000000 --json}.
     *
     * @throws IllegalStateException if the jar lacks it
     */
    public static PoolRun reference() {
        try (java.io.InputStream in = PoolRun.class.getResourceAsStream(REFERENCE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the helper jar has no " + REFERENCE_RESOURCE);
            }
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            PoolRun run = fromSummary(json.get("run"));
            return new PoolRun(REFERENCE_MARK + " on " + json.get("machine").asText() + ", " + json.get("date").asText()
                    + ", not this machine", run.kind, run.workers, run.mode, run.chunksize, run.tasks, run.workload,
                    run.maxCount, run.startMillis, run.wallMillis, run.firstResultMillis, run.resultsChecksum,
                    run.peakHeapMB, run.timeline, run.wallMillisEach);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read " + REFERENCE_RESOURCE, e);
        }
    }

    @Override
    public Object toDisplay() {
        return timeline.isEmpty() ? toString() : call().timelineChart();
    }

    /** The fields a machine reads: what {@code pool --json} prints. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runtime", runtime);
        json.put("kind", kind);
        json.put("workers", workers);
        json.put("mode", mode);
        json.put("chunksize", chunksize);
        json.put("tasks", tasks);
        json.put("workload", workload);
        json.put("maxCount", workload.equals("count") ? maxCount : null);
        json.put("startMillis", round(startMillis));
        json.put("wallMillis", round(wallMillis));
        json.put("firstResultMillis", round(firstResultMillis));
        json.put("resultsChecksum", resultsChecksum);
        json.put("peakHeapMB", round(peakHeapMB));
        json.put("wallMillisEach", wallMillisEach.stream().map(PoolRun::round).toList());
        json.put("timeline", timeline.stream().map(span -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("task", span.task());
            entry.put("firstInput", span.firstInput());
            entry.put("inputs", span.inputs());
            entry.put("worker", span.worker());
            entry.put("startMillis", round(span.startMillis()));
            entry.put("endMillis", round(span.endMillis()));
            return entry;
        }).toList());
        return json;
    }

    /**
     * Reads a run back from what {@code pool --json} or the lab's CPython program printed (the
     * Python program's timeline has one entry per input, numbered from 0, and its memory is the
     * resident set, in {@code peakRssMB}).
     */
    public static PoolRun fromSummary(JsonNode json) {
        boolean python = json.has("python");
        List<TaskSpan> spans = new ArrayList<>();
        for (JsonNode span : json.get("timeline")) {
            long first = span.has("firstInput") ? span.get("firstInput").asLong() : span.get("task").asLong();
            int task = python ? (int) first + 1 : span.get("task").asInt();
            spans.add(new TaskSpan(task, first, span.has("inputs") ? span.get("inputs").asInt() : 1,
                    span.get("worker").asInt(), span.get("startMillis").asDouble(), span.get("endMillis").asDouble()));
        }
        JsonNode memory = python ? json.get("peakRssMB") : json.get("peakHeapMB");
        List<Double> each = new ArrayList<>();
        if (json.has("wallMillisEach")) {
            json.get("wallMillisEach").forEach(ms -> each.add(ms.asDouble()));
        } else {
            each.add(json.get("wallMillis").asDouble());
        }
        String runtime = json.has("runtime") ? json.get("runtime").asText() : "CPython " + json.get("python").asText();
        return new PoolRun(runtime,
                json.get("kind").asText(), json.get("workers").asInt(), json.get("mode").asText(),
                json.get("chunksize").asInt(), json.get("tasks").asLong(), json.get("workload").asText(),
                json.get("maxCount").isNull() ? 0 : json.get("maxCount").asLong(), json.get("startMillis").asDouble(),
                json.get("wallMillis").asDouble(), json.get("firstResultMillis").asDouble(),
                json.get("resultsChecksum").bigIntegerValue(), memory == null ? 0 : memory.asDouble(), spans, each);
    }

    /** One line, e.g. "processes, map, chunksize 125,000: 1,000,000 squares on 2 workers in 41.2 ms (start-up 210.4 ms)". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d %s on %d worker%s in %,.1f ms%s, first result after %,.1f ms"
                        + " (start-up %,.1f ms, peak %s %,.0f MB)",
                label(), tasks, workload.equals("count") ? String.format(Locale.ROOT, "x count(%,d)", maxCount) : "squares",
                workers, workers == 1 ? "" : "s", wallMillis,
                wallMillisEach.size() > 1 ? " (median of " + wallMillisEach.size() + " calls)" : "", firstResultMillis,
                startMillis, isCPython() ? "memory" : "heap", peakHeapMB);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
