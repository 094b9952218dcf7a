package concurrencylab.runners;

import concurrencylab.chart.Bar;
import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * The record of one run: who did what, when, and what it cost.
 *
 * <p>Wall time runs from just before the first worker starts to just after the last one ends,
 * as seen by the caller. CPU time is the processor time the work used: for threads, this JVM's
 * process CPU time over the run (so it also counts the JIT and garbage collector); for child
 * JVMs, the sum of what each child reports for itself just before it exits (their start-up
 * included). With N workers busy in parallel, CPU time is about N times the wall time; with
 * the simulated GIL it stays about equal to it.
 *
 * @param strategy how the workers ran
 * @param runtime what ran them: "Java 25.0.1", or "CPython 3.11.2" for the Python programs
 *     that {@link CPython} runs beside ours
 * @param workers how many workers
 * @param task what each worker did
 * @param results each worker's result, in worker order (a count returns its counter)
 * @param timeline when each worker ran, in worker order
 * @param wallMillis elapsed time of the whole run
 * @param cpuMillis processor time of the whole run
 * @param jvmStartMillis for child JVMs, each one's start-up: from the parent's start() to the
 *     moment the child began its task (the JVM booting and loading our classes); empty for other
 *     strategies
 * @param gilSwitches for the simulated GIL, how often the lock changed hands on request; else -1
 * @param gilSlices for the simulated GIL, each stretch a worker held the lock (the first
 *     5,000); empty for other strategies
 */
public record Run(Strategy strategy, String runtime, int workers, Task task, List<Long> results, List<Span> timeline,
                  double wallMillis, double cpuMillis, List<Double> jvmStartMillis, long gilSwitches,
                  List<Span> gilSlices)
        implements Displayable {

    /** Copies the lists, so that a run never changes once made. */
    public Run {
        java.util.Objects.requireNonNull(runtime, "runtime");
        results = List.copyOf(results);
        timeline = List.copyOf(timeline);
        jvmStartMillis = List.copyOf(jvmStartMillis);
        gilSlices = List.copyOf(gilSlices);
    }

    /** The runtime of runs made in this JVM, e.g. "Java 25.0.1". */
    public static String javaRuntime() {
        return "Java " + System.getProperty("java.version");
    }

    /** True for a run of our Python programs rather than of Java code. */
    public boolean isCPython() {
        return runtime.startsWith("CPython");
    }

    /**
     * "threads", or for a Python run "threads (CPython, GIL)", "threads (CPython, no GIL)",
     * "processes (CPython, forkserver)": how tables and charts name it. (Runs recorded before the
     * programs reported these read "threads (CPython)".)
     */
    public String label() {
        if (!isCPython()) {
            return strategy.label();
        }
        // runtime reads "CPython 3.14.0, no GIL, forkserver": the GIL state matters to threads,
        // the start method to processes.
        String[] parts = runtime.split(", ");
        String detail = "";
        if (strategy == Strategy.THREADS && parts.length > 1) {
            detail = ", " + parts[1];
        } else if (strategy == Strategy.PROCESSES && parts.length > 2) {
            detail = ", " + parts[2];
        }
        return strategy.label() + " (CPython" + detail + ")";
    }

    /** CPU time over wall time: about the number of cores kept busy. */
    public double parallelism() {
        return wallMillis > 0 ? cpuMillis / wallMillis : 0;
    }

    /** The median start-up of the child JVMs, or 0 when the run started none. */
    public double medianJvmStartMillis() {
        if (jvmStartMillis.isEmpty()) {
            return 0;
        }
        double[] sorted = jvmStartMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * When each worker ran, on a common time axis: one bar per worker from its start to its end;
     * under the simulated GIL, one bar per stretch it held the lock, so that the turns show; for
     * child JVMs, a grey bar before each for its start-up (ending when its work began).
     */
    public JFreeChart timelineChart() {
        List<Span> spans = gilSlices.isEmpty() ? timeline : gilSlices;
        List<Bar> bars = new java.util.ArrayList<>();
        for (int i = 0; i < jvmStartMillis.size() && i < timeline.size(); i++) {
            Span span = timeline.get(i);
            bars.add(new Bar(span.worker(), Math.max(0, span.startMillis() - jvmStartMillis.get(i)), span.startMillis(),
                    Charts.OVERHEAD_PREFIX + "JVM start-up"));
        }
        spans.forEach(span -> bars.add(new Bar(span.worker(), span.startMillis(), span.endMillis(), "worker " + span.worker())));
        JFreeChart chart = Charts.timeline(label() + ": who ran when", "worker", bars);
        return Charts.subtitle(chart, String.format(Locale.ROOT, "%d worker%s x %s; %,.0f ms wall, %,.0f ms CPU%s",
                workers, workers == 1 ? "" : "s", task.describe(), wallMillis, cpuMillis,
                gilSlices.isEmpty() ? "" : "; a bar is a stretch holding the GIL"));
    }

    /**
     * One row per worker: its result, when it started and ended, how long it took, and for a
     * child JVM how long the JVM took to start before that.
     */
    public Table table() {
        IntColumn worker = IntColumn.create("worker");
        LongColumn result = LongColumn.create("result");
        DoubleColumn start = DoubleColumn.create("start ms");
        DoubleColumn end = DoubleColumn.create("end ms");
        DoubleColumn took = DoubleColumn.create("ms");
        DoubleColumn jvmStart = DoubleColumn.create("JVM start ms");
        for (int i = 0; i < timeline.size(); i++) {
            Span span = timeline.get(i);
            worker.append(span.worker());
            result.append(results.get(i));
            start.append(round(span.startMillis()));
            end.append(round(span.endMillis()));
            took.append(round(span.millis()));
            if (i < jvmStartMillis.size()) {
                jvmStart.append(round(jvmStartMillis.get(i)));
            }
        }
        Table table = Table.create(toString(), worker, result, start, end, took);
        return jvmStartMillis.isEmpty() ? table : table.addColumns(jvmStart);
    }

    /**
     * Reads a run of {@code count(maxCount)} back from the form {@link #summary()} writes (and
     * the lab's Python program prints). Timelines come back; GIL turns do not.
     */
    public static Run fromSummary(com.fasterxml.jackson.databind.JsonNode json) {
        List<Long> results = new java.util.ArrayList<>();
        json.get("results").forEach(r -> results.add(r.asLong()));
        List<Span> spans = new java.util.ArrayList<>();
        json.get("timeline").forEach(s -> spans.add(new Span(s.get("worker").asInt(),
                s.get("startMillis").asDouble(), s.get("endMillis").asDouble())));
        List<Double> jvmStarts = new java.util.ArrayList<>();
        if (json.has("jvmStartMillis")) {
            json.get("jvmStartMillis").forEach(ms -> jvmStarts.add(ms.asDouble()));
        }
        return new Run(Strategy.fromName(json.get("strategy").asText()), json.get("runtime").asText(),
                json.get("workers").asInt(), Task.count(json.get("maxCount").asLong()), results, spans,
                json.get("wallMillis").asDouble(), json.get("cpuMillis").asDouble(), jvmStarts,
                json.has("gilSwitches") ? json.get("gilSwitches").asLong() : -1, List.of());
    }

    /** The fields a machine reads: what the command line prints with --json. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("strategy", strategy.label());
        json.put("runtime", runtime);
        json.put("workers", workers);
        json.put("task", task.describe());
        if (task instanceof Task.Count count) {
            json.put("maxCount", count.maxCount());
        }
        json.put("wallMillis", round(wallMillis));
        json.put("cpuMillis", round(cpuMillis));
        json.put("results", results);
        json.put("timeline", timeline.stream().map(span -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("worker", span.worker());
            entry.put("startMillis", round(span.startMillis()));
            entry.put("endMillis", round(span.endMillis()));
            return entry;
        }).toList());
        if (!jvmStartMillis.isEmpty()) {
            json.put("jvmStartMillis", jvmStartMillis.stream().map(Run::round).toList());
        }
        if (gilSwitches >= 0) {
            json.put("gilSwitches", gilSwitches);
        }
        return json;
    }

    @Override
    public Object toDisplay() {
        return table();
    }

    /** One line: strategy, workers, task, wall and CPU time. */
    @Override
    public String toString() {
        String line = String.format(Locale.ROOT, "%s: %d worker%s x %s in %,.0f ms wall, %,.0f ms CPU",
                label(), workers, workers == 1 ? "" : "s", task.describe(), wallMillis, cpuMillis);
        if (!jvmStartMillis.isEmpty()) {
            line += String.format(Locale.ROOT, " (JVM start %,.0f ms each, median)", medianJvmStartMillis());
        }
        return line;
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }
}
