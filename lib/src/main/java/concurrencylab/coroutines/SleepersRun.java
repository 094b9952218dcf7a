package concurrencylab.coroutines;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The record of one many-sleepers run: N tasks that each sleep S ms at the same time, and what
 * it took to start them all and wait for all.
 *
 * @param runner "event-loop", "virtual-threads" or "platform-threads"
 * @param runtime "Java 25.0.1", or "CPython 3.11.2" for asyncio
 * @param tasks how many sleepers
 * @param sleepMillis how long each slept
 * @param wallMillis from starting the first to the end of the last
 * @param peakHeapMB the most heap used meanwhile (for CPython: the process's peak resident memory)
 * @param completed how many ended normally (all of them, in a good run; with repeats, in the last)
 * @param wallMillisEach with repeated runs in one JVM, each one's wall time (wallMillis is then
 *     their median: the first runs include the JIT compiling the scheduler's code); else the one
 */
public record SleepersRun(String runner, String runtime, int tasks, long sleepMillis, double wallMillis, double peakHeapMB,
                          int completed, java.util.List<Double> wallMillisEach) {

    public SleepersRun {
        wallMillisEach = java.util.List.copyOf(wallMillisEach);
    }

    /** Wall time beyond the sleep itself: what starting, switching and waking the sleepers cost. */
    public double overheadMillis() {
        return Math.max(0, wallMillis - sleepMillis);
    }

    /** E.g. "virtual threads", "event loop", or "asyncio (CPython)" for CPython's event loop. */
    public String label() {
        return runtime.startsWith("CPython") ? "asyncio (CPython)" : runner.replace('-', ' ');
    }

    /** The fields a machine reads: what {@code sleepers --json} prints. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runner", runner);
        json.put("runtime", runtime);
        json.put("tasks", tasks);
        json.put("sleepMillis", sleepMillis);
        json.put("wallMillis", Math.round(wallMillis * 100) / 100.0);
        json.put("peakHeapMB", Math.round(peakHeapMB * 10) / 10.0);
        json.put("completed", completed);
        json.put("wallMillisEach", wallMillisEach.stream().map(ms -> Math.round(ms * 100) / 100.0).toList());
        return json;
    }

    /** Reads a run back from {@link #summary()}'s form, or from the lab's asyncio program's. */
    public static SleepersRun fromSummary(JsonNode json) {
        boolean python = json.has("python");
        java.util.List<Double> each = new java.util.ArrayList<>();
        if (json.has("wallMillisEach")) {
            json.get("wallMillisEach").forEach(ms -> each.add(ms.asDouble()));
        } else {
            each.add(json.get("wallMillis").asDouble());
        }
        return new SleepersRun(json.get("runner").asText(), python ? "CPython " + json.get("python").asText()
                : json.get("runtime").asText(), json.get("tasks").asInt(), json.get("sleepMillis").asLong(),
                json.get("wallMillis").asDouble(), (python ? json.get("peakRssMB") : json.get("peakHeapMB")).asDouble(),
                json.get("completed").asInt(), each);
    }

    /** One line: "virtual-threads: 100,000 x sleep(1,000 ms) in 1,104 ms wall, peak heap 212 MB, all completed". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d x sleep(%,d ms) in %,.0f ms wall%s, peak %s %,.0f MB, %s", label(), tasks,
                sleepMillis, wallMillis, wallMillisEach.size() > 1 ? " (median of " + wallMillisEach.size() + " runs)" : "", runtime.startsWith("CPython") ? "memory" : "heap", peakHeapMB,
                completed == tasks ? "all completed" : String.format(Locale.ROOT, "%,d of %,d completed", completed, tasks));
    }
}
