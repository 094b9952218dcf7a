package concurrencylab.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import concurrencylab.measure.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Counter runs that draw themselves: the lost fraction against threads (the racy runs), and
 * increments per second against threads for each kind, on a log scale.
 *
 * <p>{@link concurrencylab.display.Display#show} draws {@link #lostChart()} when every run is
 * racy and {@link #throughputChart()} otherwise. Runs measured elsewhere carry the machine and
 * date they were measured on ({@link #measuredOn()}), and their charts say so in the title.
 * {@link #reference()} is the set shipped in the jar for one-CPU sessions, measured with
 * {@link #main} on a 2-CPU machine.
 *
 * <pre>{@code
 * CounterRuns runs = Counters.contention(List.of(CounterKind.values()), List.of(1, 2), 1_000_000, 3);
 * Display.show(runs);                         // the throughput chart
 * Display.show(CounterRuns.reference().lostChart());
 * }</pre>
 *
 * @param runs the runs, in the order measured
 * @param measuredOn where and when, for runs not measured in this JVM (null for live runs)
 */
public record CounterRuns(List<CounterRun> runs, String measuredOn) implements Displayable {

    /** Where the shipped reference runs live inside the jar. */
    public static final String RESOURCE = "/concurrencylab/reference/counters-reference.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the list. */
    public CounterRuns {
        runs = List.copyOf(runs);
    }

    /** The runs of one kind, in order. */
    public List<CounterRun> of(CounterKind kind) {
        return runs.stream().filter(r -> r.kind() == kind).toList();
    }

    /** The lost fraction (in per cent) of the racy runs against threads. */
    public JFreeChart lostChart() {
        List<double[]> points = new ArrayList<>();
        for (CounterRun run : of(CounterKind.RACY)) {
            points.add(new double[] {run.threads(), 100 * run.lostFraction()});
        }
        if (points.isEmpty()) {
            throw new IllegalStateException("these runs hold no racy run to chart the lost updates of");
        }
        long increments = of(CounterKind.RACY).get(0).incrementsPerThread();
        JFreeChart chart = Charts.lines(prefix() + "Increments lost by a racy counter",
                "threads, each adding 1 " + String.format(Locale.ROOT, "%,d", increments) + " times",
                "lost, % of the expected total", Map.of(CounterKind.RACY.label(), points));
        double most = points.stream().mapToDouble(p -> p[1]).max().orElse(0);
        org.jfree.chart.axis.NumberAxis y = (org.jfree.chart.axis.NumberAxis) ((XYPlot) chart.getPlot()).getRangeAxis();
        y.setRange(0, Math.min(100, Math.max(10, most * 1.15)));    // 0 lost draws as a line on the floor, not a scale of 1E-9
        return subtitle(chart);
    }

    /** Increments per second (all threads together, log scale) against threads, one line per kind. */
    public JFreeChart throughputChart() {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (CounterRun run : runs) {
            series.computeIfAbsent(run.kind().label(), k -> new ArrayList<>())
                    .add(new double[] {run.threads(), run.incrementsPerSecond() / 1e6});
        }
        if (series.isEmpty()) {
            throw new IllegalStateException("there are no runs to chart");
        }
        JFreeChart chart = Charts.lines(prefix() + "One shared counter: increments per second",
                "threads adding at once", "million increments/s (log scale)", series);
        XYPlot plot = (XYPlot) chart.getPlot();
        LogAxis log = new LogAxis(plot.getRangeAxis().getLabel());
        log.setBase(10);
        log.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
        log.setLabelFont(plot.getRangeAxis().getLabelFont());
        log.setTickLabelFont(plot.getRangeAxis().getTickLabelFont());
        log.setSmallestValue(1e-3);
        log.setTickUnit(new NumberTickUnit(Math.log10(2)));    // ticks in log space: one grid line per doubling
        plot.setRangeAxis(log);
        return subtitle(chart);
    }

    private String prefix() {
        return measuredOn == null ? "" : "Reference, not this machine: ";
    }

    private JFreeChart subtitle(JFreeChart chart) {
        return measuredOn == null ? chart : Charts.subtitle(chart, "measured on " + measuredOn);
    }

    /** One row per run: kind, threads, increments, total, lost, time, rate. */
    public Table table() {
        StringColumn kind = StringColumn.create("counter");
        IntColumn threads = IntColumn.create("threads");
        LongColumn expected = LongColumn.create("expected");
        LongColumn total = LongColumn.create("total");
        LongColumn lost = LongColumn.create("lost");
        DoubleColumn ms = DoubleColumn.create("ms");
        DoubleColumn rate = DoubleColumn.create("million increments/s");
        for (CounterRun run : runs) {
            kind.append(run.kind().label());
            threads.append(run.threads());
            expected.append(run.expected());
            total.append(run.total());
            lost.append(run.lost());
            ms.append(Math.round(run.nanos() / 1e5) / 10.0);
            rate.append(Math.round(run.incrementsPerSecond() / 1e5) / 10.0);
        }
        return Table.create(measuredOn == null ? "Counter runs" : "Reference counter runs (" + measuredOn + ")",
                kind, threads, expected, total, lost, ms, rate);
    }

    @Override
    public Object toDisplay() {
        return runs.stream().allMatch(r -> r.kind() == CounterKind.RACY) ? lostChart() : throughputChart();
    }

    /** The fastest run of {@code kind} over {@code threads}, if measured. */
    public Optional<CounterRun> find(CounterKind kind, int threads) {
        return runs.stream().filter(r -> r.kind() == kind && r.threads() == threads).findFirst();
    }

    /** The reference runs shipped in the jar (lost updates and contention, measured on a 2-CPU machine). */
    public static CounterRuns reference() {
        try (InputStream in = CounterRuns.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the helper jar holds no counter reference runs (" + RESOURCE + ")");
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the counter reference runs: " + e.getMessage(), e);
        }
    }

    /** Writes these runs as JSON, labelled with {@code machine} and today's date, in the form {@link #reference()} reads. */
    public Path write(Path file, String machine) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measuredOn", machine + ", " + LocalDate.now());
        json.put("runs", runs.stream().map(CounterRun::summary).toList());
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static CounterRuns parse(JsonNode json) {
        List<CounterRun> runs = new ArrayList<>();
        for (JsonNode r : json.get("runs")) {
            runs.add(new CounterRun(CounterKind.valueOf(r.get("kind").asText()), r.get("threads").asInt(),
                    r.get("incrementsPerThread").asLong(), r.get("total").asLong(), r.get("nanos").asLong(),
                    r.get("firstCall").asBoolean()));
        }
        return new CounterRuns(runs, json.get("measuredOn").asText());
    }

    /**
     * Measures the reference set on this machine and writes it to the file named by the first
     * argument: the racy counter at 1 to 2 x CPUs threads, 20 million increments each, and every
     * kind at the same thread counts, 5 million each, best of 3. Run it on a quiet machine:
     * {@code java -cp lib/target/concurrency-lab.jar concurrencylab.sharing.CounterRuns FILE}.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CounterRuns FILE (where to write the reference runs as JSON)");
            System.exit(2);
        }
        Machine machine = Machine.describe();
        List<Integer> threads = Counters.threadCounts(2 * machine.hardwareThreads());
        List<CounterRun> all = new ArrayList<>(Counters.lostUpdates(threads, 20_000_000).runs());
        List<CounterKind> exact = List.of(CounterKind.SYNCHRONIZED, CounterKind.REENTRANT_LOCK,
                CounterKind.ATOMIC_LONG, CounterKind.LONG_ADDER, CounterKind.PER_THREAD);
        all.addAll(Counters.contention(exact, threads, 5_000_000, 3).runs());
        String label = String.format(Locale.ROOT, "a %d-CPU %s machine, Java %s", machine.hardwareThreads(),
                System.getProperty("os.name"), machine.javaVersion());
        CounterRuns runs = new CounterRuns(all, label);
        runs.write(Path.of(args[0]), label);
        System.out.println("wrote " + runs + " to " + args[0]);
    }

    @Override
    public String toString() {
        long racy = of(CounterKind.RACY).size();
        return runs.size() + " counter run" + (runs.size() == 1 ? "" : "s") + (racy > 0 ? " (" + racy + " racy)" : "")
                + (measuredOn == null ? "" : ", measured on " + measuredOn);
    }
}
