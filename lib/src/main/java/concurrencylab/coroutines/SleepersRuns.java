package concurrencylab.coroutines;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Many-sleepers runs to compare, e.g. every runner at several task counts: a table (displayed)
 * and grouped bars of one measure, one group per task count, one bar per runner.
 *
 * <pre>{@code
 * SleepersRuns runs = SleepersRuns.of(List.of(
 *         Sleepers.run(Sleepers.Runner.EVENT_LOOP, 10_000, Duration.ofSeconds(1)),
 *         Sleepers.run(Sleepers.Runner.VIRTUAL_THREADS, 10_000, Duration.ofSeconds(1))));
 * Display.show(runs);                                        // the table
 * Display.show(runs.chart(SleepersRuns.Measure.OVERHEAD));   // what the runners cost beyond the sleep
 * }</pre>
 */
public final class SleepersRuns implements Displayable {

    /** What a chart compares. */
    public enum Measure {
        /** From starting the first sleeper to the end of the last (ms). */
        WALL("wall time", "milliseconds", SleepersRun::wallMillis),
        /** Wall time beyond the sleep itself: starting, switching and waking (ms). */
        OVERHEAD("time beyond the sleep itself", "milliseconds", SleepersRun::overheadMillis),
        /** Peak heap (Java) or peak resident memory (CPython), in MB. */
        PEAK_MEMORY("peak memory (Java: heap; CPython: whole process)", "MB", SleepersRun::peakHeapMB);

        final String title;
        final String unit;
        final ToDoubleFunction<SleepersRun> value;

        Measure(String title, String unit, ToDoubleFunction<SleepersRun> value) {
            this.title = title;
            this.unit = unit;
            this.value = value;
        }
    }

    private final List<SleepersRun> runs;

    private SleepersRuns(List<SleepersRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The runs, in the order given (null entries are refused). */
    public static SleepersRuns of(List<SleepersRun> runs) {
        return new SleepersRuns(Objects.requireNonNull(runs, "runs"));
    }

    /** These runs and one more. */
    public SleepersRuns and(SleepersRun run) {
        List<SleepersRun> more = new ArrayList<>(runs);
        more.add(Objects.requireNonNull(run, "run"));
        return new SleepersRuns(more);
    }

    /** The runs, in order. */
    public List<SleepersRun> runs() {
        return runs;
    }

    /** One row per run: runner, runtime, tasks, sleep, wall time, overhead, peak memory, completed. */
    public Table table() {
        StringColumn runner = StringColumn.create("runner");
        StringColumn runtime = StringColumn.create("runtime");
        IntColumn tasks = IntColumn.create("tasks");
        DoubleColumn sleep = DoubleColumn.create("sleep ms");
        DoubleColumn wall = DoubleColumn.create("wall ms");
        DoubleColumn overhead = DoubleColumn.create("beyond the sleep ms");
        DoubleColumn memory = DoubleColumn.create("peak memory MB");
        IntColumn completed = IntColumn.create("completed");
        IntColumn repeats = IntColumn.create("runs (median)");
        for (SleepersRun run : runs) {
            runner.append(run.label());
            runtime.append(run.runtime());
            tasks.append(run.tasks());
            sleep.append(run.sleepMillis());
            wall.append(round(run.wallMillis()));
            overhead.append(round(run.overheadMillis()));
            memory.append(round(run.peakHeapMB()));
            completed.append(run.completed());
            repeats.append(run.wallMillisEach().size());
        }
        return Table.create("Many sleepers", runner, runtime, tasks, sleep, wall, overhead, memory, completed, repeats);
    }

    /**
     * Grouped bars of one measure: one group per task count (smallest first), one bar per runner
     * in the order the runs were given. A runner missing at some count (platform threads above
     * their limit) simply has no bar there.
     *
     * @throws IllegalStateException if there are no runs
     */
    public JFreeChart chart(Measure measure) {
        Objects.requireNonNull(measure, "measure");
        if (runs.isEmpty()) {
            throw new IllegalStateException("there are no runs to chart: add some with SleepersRuns.of(...)");
        }
        List<String> runners = runs.stream().map(SleepersRun::label).distinct().toList();
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        runs.stream().sorted(Comparator.comparingInt(SleepersRun::tasks)).forEach(run -> groups
                .computeIfAbsent(String.format(Locale.ROOT, "%,d tasks", run.tasks()), k -> new LinkedHashMap<>())
                .merge(run.label(), measure.value.applyAsDouble(run), Math::max));
        // Every group lists the runners in one order, so that each runner keeps its colour.
        Map<String, Map<String, Double>> ordered = new LinkedHashMap<>();
        groups.forEach((group, values) -> {
            Map<String, Double> inOrder = new LinkedHashMap<>();
            runners.stream().filter(values::containsKey).forEach(r -> inOrder.put(r, values.get(r)));
            ordered.put(group, inOrder);
        });
        List<Long> sleeps = runs.stream().map(SleepersRun::sleepMillis).distinct().toList();
        String sleep = sleeps.size() == 1 ? String.format(Locale.ROOT, " (each sleeps %,d ms)", sleeps.get(0)) : "";
        return Charts.groupedBars("Many sleepers: " + measure.title + sleep, measure.unit, ordered);
    }

    @Override
    public Object toDisplay() {
        return table();
    }

    @Override
    public String toString() {
        return runs.size() + " sleepers run" + (runs.size() == 1 ? "" : "s");
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
