package concurrencylab.pools;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Several pool runs to compare: a table (displayed) and a bar chart of any one measure.
 *
 * <pre>{@code
 * PoolRuns runs = PoolRuns.of(processRun, threadRun);
 * Display.show(runs);                                       // the table
 * Display.show(runs.chart(PoolRuns.Measure.WALL));        // bars of wall time
 * }</pre>
 */
public final class PoolRuns implements Displayable {

    /** What a chart compares. */
    public enum Measure {
        /** The call, until the caller had every result (ms). */
        WALL("time for the whole call", "milliseconds", PoolRun::wallMillis),
        /** The call, until the caller had the first result (ms). */
        FIRST_RESULT("time to the first result", "milliseconds", PoolRun::firstResultMillis),
        /** The pool's start-up, until every worker was ready (ms). */
        START_UP("pool start-up", "milliseconds", PoolRun::startMillis),
        /** Peak heap (Java) or resident memory (CPython) of the calling process (MB). */
        PEAK_MEMORY("peak memory of the caller", "MB", PoolRun::peakHeapMB),
        /** Inputs handled per second. */
        THROUGHPUT("inputs per second", "inputs per second", PoolRun::throughputPerSecond);

        final String title;
        final String unit;
        final ToDoubleFunction<PoolRun> value;

        Measure(String title, String unit, ToDoubleFunction<PoolRun> value) {
            this.title = title;
            this.unit = unit;
            this.value = value;
        }
    }

    private final List<PoolRun> runs;

    private PoolRuns(List<PoolRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The runs, in the order given (null entries are refused). */
    public static PoolRuns of(PoolRun... runs) {
        return new PoolRuns(List.of(runs));
    }

    /** The runs, in the order given. */
    public static PoolRuns of(List<PoolRun> runs) {
        return new PoolRuns(runs);
    }

    /** These runs and one more. */
    public PoolRuns and(PoolRun run) {
        List<PoolRun> more = new ArrayList<>(runs);
        more.add(Objects.requireNonNull(run, "run"));
        return new PoolRuns(more);
    }

    /** The runs, in order. */
    public List<PoolRun> runs() {
        return runs;
    }

    /** One row per run: what ran, its start-up, its call, its first result, its memory. */
    public Table table() {
        StringColumn label = StringColumn.create("run");
        StringColumn runtime = StringColumn.create("runtime");
        IntColumn workers = IntColumn.create("workers");
        LongColumn inputs = LongColumn.create("inputs");
        DoubleColumn start = DoubleColumn.create("start-up ms");
        DoubleColumn wall = DoubleColumn.create("call ms");
        DoubleColumn first = DoubleColumn.create("first result ms");
        DoubleColumn memory = DoubleColumn.create("peak memory MB");
        DoubleColumn rate = DoubleColumn.create("inputs / s");
        for (PoolRun run : runs) {
            label.append(run.label());
            runtime.append(run.runtime());
            workers.append(run.workers());
            inputs.append(run.tasks());
            start.append(round(run.startMillis()));
            wall.append(round(run.wallMillis()));
            first.append(round(run.firstResultMillis()));
            memory.append(round(run.peakHeapMB()));
            rate.append(Math.round(run.throughputPerSecond()));
        }
        return Table.create("Pool runs", label, runtime, workers, inputs, start, wall, first, memory, rate);
    }

    /**
     * Bars of one measure, one per run, on a logarithmic axis when the values span more than
     * 50 times (as Java's and CPython's often do).
     */
    public JFreeChart chart(Measure measure) {
        Objects.requireNonNull(measure, "measure");
        if (runs.isEmpty()) {
            throw new IllegalStateException("there are no runs to chart");
        }
        // Name each bar by what differs between the runs; what they share goes in the title.
        List<List<String>> parts = runs.stream().map(PoolRuns::parts).toList();
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < parts.get(0).size(); i++) {
            int at = i;
            if (parts.stream().allMatch(p -> p.get(at).equals(parts.get(0).get(at)))) {
                shared.add(parts.get(0).get(at));
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            List<String> own = parts.get(r).stream().filter(part -> !shared.contains(part) && !part.isEmpty()).toList();
            String name = own.isEmpty() ? runs.get(r).label() : String.join(", ", own);
            values.merge(name, measure.value.applyAsDouble(runs.get(r)), Math::max);
        }
        double max = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double min = values.values().stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(max);
        String common = String.join(", ", shared.stream().filter(part -> !part.isEmpty()).toList());
        return Charts.bars("Pools" + (common.isEmpty() || runs.size() == 1 ? "" : " (" + common + ")") + ": " + measure.title,
                measure.unit, values, max / min > 50);
    }

    /** What describes a run, part by part, for naming bars (CPython's start method included, so that its runs keep apart). */
    private static List<String> parts(PoolRun run) {
        return List.of(run.implementation(), run.kind() + " x " + run.workers(), run.mode(),
                String.format(java.util.Locale.ROOT, "chunksize %,d", run.chunksize()),
                run.workload().equals("count") ? String.format(java.util.Locale.ROOT, "%,d x count(%,d)", run.tasks(), run.maxCount())
                        : String.format(java.util.Locale.ROOT, "%,d squares", run.tasks()));
    }

    /**
     * One group of bars per input size, one bar per kind of call in each (e.g. map against
     * imap): how a measure grows with the input.
     */
    public JFreeChart chartByInputs(Measure measure) {
        Objects.requireNonNull(measure, "measure");
        if (runs.isEmpty()) {
            throw new IllegalStateException("there are no runs to chart");
        }
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        runs.stream().sorted(java.util.Comparator.comparingLong(PoolRun::tasks)).forEach(run -> groups
                .computeIfAbsent(String.format(java.util.Locale.ROOT, "%,d inputs", run.tasks()), k -> new LinkedHashMap<>())
                .merge(run.kind() + ", " + run.mode() + run.cpythonMark(),
                        measure.value.applyAsDouble(run), Math::max));
        return Charts.groupedBars("Pools: " + measure.title + ", by input size", measure.unit, groups);
    }

    @Override
    public Object toDisplay() {
        return table();
    }

    @Override
    public String toString() {
        return runs.size() + " pool run" + (runs.size() == 1 ? "" : "s");
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
