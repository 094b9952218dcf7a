package concurrencylab.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import concurrencylab.chart.Charts;
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

/**
 * Runs measured once on a multi-core machine and shipped in the jar, so that a learner on a
 * one-CPU session (Binder gives one) can see parallel speed-ups beside their own numbers. Every
 * chart and table made from them says so, and names the machine and the date.
 *
 * <p>They are made by {@code java -jar concurrency-lab.jar reference --output FILE} and kept in
 * {@value #RESOURCE}.
 *
 * @param machine the machine they were measured on, in one line
 * @param date when
 * @param runs every run, Java's and CPython's
 */
public record ReferenceRuns(String machine, String date, List<Run> runs) {

    /** Where the shipped reference runs live inside the jar. */
    public static final String RESOURCE = "/concurrencylab/reference/reference-runs.json";

    /** Counts the reference set is measured at. */
    public static final List<Long> MAX_COUNTS = List.of(10_000_000L, 100_000_000L, 1_000_000_000L);
    /** Workers in every reference run, as in the article. */
    public static final int WORKERS = 4;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the list. */
    public ReferenceRuns {
        runs = List.copyOf(runs);
    }

    /** The reference runs shipped in the jar. */
    public static ReferenceRuns load() {
        try (InputStream in = ReferenceRuns.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the helper jar holds no reference runs (" + RESOURCE + ")");
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the reference runs: " + e.getMessage(), e);
        }
    }

    /** Reference runs written by {@link #write(Path)} to a file. */
    public static ReferenceRuns load(Path file) {
        try {
            return parse(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read reference runs from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Of the counts the reference runs were measured at, the one nearest {@code maxCount} (on a log scale). */
    public static long nearestCount(long maxCount) {
        return MAX_COUNTS.stream()
                .min(java.util.Comparator.comparingDouble(c -> Math.abs(Math.log((double) c / Math.max(1, maxCount)))))
                .orElseThrow();
    }

    /** The reference runs of {@code count(maxCount)}, Java's then CPython's, if any. */
    public Runs runs(long maxCount) {
        return Runs.of(runs.stream()
                .filter(r -> r.task() instanceof Task.Count c && c.maxCount() == maxCount).toList());
    }

    /** Wall and CPU time of the reference runs at {@code maxCount}, labelled as reference. */
    public JFreeChart chart(long maxCount) {
        Runs selected = runs(maxCount);
        if (selected.list().isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the reference runs were measured at %s, not at %,d", MAX_COUNTS, maxCount));
        }
        JFreeChart chart = selected.chart();
        chart.setTitle(String.format(Locale.ROOT, "Reference, not this machine: %d workers x count(%,d)", WORKERS, maxCount));
        return Charts.subtitle(chart, "measured on " + machine + ", " + date);
    }

    /**
     * Measures the reference set on this machine: every strategy at every count in
     * {@link #MAX_COUNTS} with {@value #WORKERS} workers, and CPython's three strategies at the
     * counts below a billion when python3 exists.
     */
    public static ReferenceRuns measure() {
        List<Run> runs = new ArrayList<>();
        Runner.run(Strategy.SEQUENTIAL, 1, Task.count(MAX_COUNTS.get(MAX_COUNTS.size() - 1))); // JIT warm-up
        for (long maxCount : MAX_COUNTS) {
            for (Strategy strategy : Strategy.values()) {
                runs.add(Runner.run(strategy, WORKERS, Task.count(maxCount)));
            }
        }
        Optional<CPython> python = CPython.find();
        python.ifPresent(p -> {
            for (long maxCount : MAX_COUNTS.subList(0, 2)) {
                for (Strategy strategy : List.of(Strategy.SEQUENTIAL, Strategy.PROCESSES, Strategy.THREADS)) {
                    runs.add(p.run(strategy, WORKERS, maxCount));
                }
            }
        });
        Machine machine = Machine.describe();
        String description = String.format(Locale.ROOT, "a %d-CPU %s machine (%s, %s)", machine.hardwareThreads(),
                System.getProperty("os.name"), "Java " + machine.javaVersion(),
                python.map(CPython::toString).orElse("no CPython"));
        return new ReferenceRuns(description, LocalDate.now().toString(), runs);
    }

    /** Writes these runs as JSON, in the form {@link #load()} reads. */
    public Path write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("date", date);
        json.put("runs", runs.stream().map(Run::summary).toList());
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

    private static ReferenceRuns parse(JsonNode json) {
        List<Run> runs = new ArrayList<>();
        json.get("runs").forEach(run -> runs.add(Run.fromSummary(run)));
        return new ReferenceRuns(json.get("machine").asText(), json.get("date").asText(), runs);
    }

    @Override
    public String toString() {
        return runs.size() + " reference runs measured on " + machine + ", " + date;
    }
}
