package concurrencylab.runners;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Several runs side by side: a table (one row per run) that can be saved as CSV, and a chart of
 * wall and CPU time per run. Immutable: {@link #and(Run)} returns a new collection.
 *
 * <pre>{@code
 * Runs runs = Runs.of(Runner.run(Strategy.SEQUENTIAL, 4, task), Runner.run(Strategy.THREADS, 4, task));
 * Display.show(runs);               // the chart
 * Display.show(runs.table());       // the table
 * runs.writeCsv(Path.of("build/runs.csv"));
 * }</pre>
 */
public final class Runs implements Displayable, Iterable<Run> {

    private final List<Run> runs;

    private Runs(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    /** The given runs, in order. */
    public static Runs of(Run... runs) {
        return new Runs(List.of(runs));
    }

    /** The given runs, in order. */
    public static Runs of(List<Run> runs) {
        return new Runs(runs);
    }

    /** These runs and one more. */
    public Runs and(Run run) {
        List<Run> more = new ArrayList<>(runs);
        more.add(java.util.Objects.requireNonNull(run, "run"));
        return new Runs(more);
    }

    /** The runs, in order. */
    public List<Run> list() {
        return runs;
    }

    @Override
    public Iterator<Run> iterator() {
        return runs.iterator();
    }

    /**
     * How many times faster than the sequential run of the same task, workers and runtime this
     * run was, or NaN when the collection holds no such sequential run.
     */
    public double speedUp(Run run) {
        return runs.stream()
                .filter(r -> r.strategy() == Strategy.SEQUENTIAL && r.workers() == run.workers()
                        && r.task().equals(run.task()) && sameInterpreter(r.runtime(), run.runtime()))
                .findFirst()
                .map(sequential -> sequential.wallMillis() / run.wallMillis())
                .orElse(Double.NaN);
    }

    /**
     * True for two runtimes of one interpreter: "CPython 3.11.7, GIL" (its sequential run) and
     * "CPython 3.11.7, GIL, fork" (its processes) are one, the start method only says how the
     * processes started.
     */
    private static boolean sameInterpreter(String a, String b) {
        return interpreter(a).equals(interpreter(b));
    }

    private static String interpreter(String runtime) {
        String[] parts = runtime.split(", ");
        return parts.length > 2 ? parts[0] + ", " + parts[1] : runtime;
    }

    /**
     * One row per run: strategy, workers, task, wall and CPU milliseconds, CPU over wall, speed-up
     * over the sequential run (when there is one) and the median child JVM start-up.
     */
    public Table table() {
        StringColumn strategy = StringColumn.create("strategy");
        StringColumn runtime = StringColumn.create("runtime");
        IntColumn workers = IntColumn.create("workers");
        StringColumn task = StringColumn.create("task");
        DoubleColumn wall = DoubleColumn.create("wall ms");
        DoubleColumn cpu = DoubleColumn.create("CPU ms");
        DoubleColumn parallelism = DoubleColumn.create("CPU / wall");
        DoubleColumn speedUp = DoubleColumn.create("speed-up");
        DoubleColumn jvmStart = DoubleColumn.create("JVM start ms");
        for (Run run : runs) {
            strategy.append(run.strategy().label());
            runtime.append(run.runtime());
            workers.append(run.workers());
            task.append(run.task().describe());
            wall.append(round(run.wallMillis()));
            cpu.append(round(run.cpuMillis()));
            parallelism.append(round(run.parallelism()));
            double s = speedUp(run);
            if (Double.isNaN(s)) {
                speedUp.appendMissing();
            } else {
                speedUp.append(round(s));
            }
            if (run.jvmStartMillis().isEmpty()) {
                jvmStart.appendMissing();
            } else {
                jvmStart.append(round(run.medianJvmStartMillis()));
            }
        }
        return Table.create("Runs", strategy, runtime, workers, task, wall, cpu, parallelism, speedUp, jvmStart);
    }

    /** Saves {@link #table()} as CSV, creating the folder if needed, and returns the file. */
    public Path writeCsv(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            table().write().csv(file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Wall and CPU time per run, side by side, each labelled with its strategy, runtime and
     * workers; on a logarithmic axis when the times span more than a factor of 50.
     */
    public JFreeChart chart() {
        if (runs.isEmpty()) {
            throw new IllegalStateException("Runs.chart: there is no run to chart yet");
        }
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        for (Run run : runs) {
            String label = run.label() + " x" + run.workers();
            while (values.containsKey(label)) {
                label += " ";
            }
            Map<String, Double> bars = new LinkedHashMap<>();
            bars.put("wall time", run.wallMillis());
            bars.put("CPU time", run.cpuMillis());
            values.put(label, bars);
        }
        return Charts.groupedBars("Wall and CPU time of each run", "milliseconds", values);
    }

    @Override
    public Object toDisplay() {
        return chart();
    }

    @Override
    public String toString() {
        return runs.size() + " run" + (runs.size() == 1 ? "" : "s") + ": " + String.join("; ",
                runs.stream().map(r -> String.format(Locale.ROOT, "%s x%d %,.0f ms", r.label(),
                        r.workers(), r.wallMillis())).toList());
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
