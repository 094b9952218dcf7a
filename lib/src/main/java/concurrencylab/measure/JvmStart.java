package concurrencylab.measure;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import concurrencylab.runners.ChildJvms;
import concurrencylab.runners.Runner;
import concurrencylab.workloads.CountMain;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Why a child JVM takes tens of milliseconds to start, and what the lab's startup archive
 * saves: lesson 02's counting program ({@link CountMain}, counting to 1) started as the lab
 * starts its children, with the archive {@code ./lab build} made for this jar and this JDK, and
 * without it, each timed from start to exit; and, from one more run of each with
 * {@code -Xlog:class+load}, how many classes the JVM loaded and where it found them.
 *
 * <p>Before {@code main} runs, a JVM loads about a thousand classes. Those in the JDK's own
 * class-data archive, and with the lab's archive most of ours, are mapped from a file already
 * parsed and checked; every other one is read (from the JDK's modules or a jar) and parsed, and
 * verified unless the JDK's own boot loader loads it. Finding ours without the lab's small jar
 * of its own classes means opening the helper jar, 70 MB with the lab's libraries inside; the
 * "with" figure has both the archive and that small jar. Neither holds compiled code: the
 * program still starts interpreted and the JIT compiles what runs often (on JDK 25 sooner, as the
 * cache carries profiles from the run that made it).
 *
 * <p>Samples alternate between the two, after one unmeasured run of each (which also reads
 * the files into memory); each figure is a median. Interrupting the calling thread stops the
 * child that is running and ends the call with a
 * {@link java.util.concurrent.CancellationException}.
 *
 * <pre>{@code
 * JvmStart start = JvmStart.measure(5);
 * Display.show(start);
 * }</pre>
 *
 * @param samples how many starts of each kind were timed
 * @param archived whether this jar had an archive on this JDK (when not, only "without" was measured)
 * @param withArchiveMillis median milliseconds from start to exit with the archive (NaN without one)
 * @param withoutArchiveMillis median milliseconds from start to exit without it
 * @param withArchive where the classes came from, with the archive (all zero without one)
 * @param withoutArchive where the classes came from, without it
 */
public record JvmStart(int samples, boolean archived, double withArchiveMillis, double withoutArchiveMillis,
                       Classes withArchive, Classes withoutArchive) implements Displayable {

    /** Most starts of each kind one measurement may time. */
    public static final int MAX_SAMPLES = 20;

    /**
     * The classes one JVM loaded on its way to the end of {@code main}.
     *
     * @param mapped mapped ready-made from a class-data archive (the JDK's own, or the lab's)
     * @param read loaded one by one: read from the JDK's modules or a jar (or made at run time) and parsed
     */
    public record Classes(int mapped, int read) {
        /** Every class it loaded. */
        public int total() {
            return mapped + read;
        }
    }

    /**
     * Times {@code samples} starts with the archive and as many without.
     *
     * @param samples starts of each kind, 1 to {@value #MAX_SAMPLES}
     * @throws IllegalArgumentException if {@code samples} is out of range, before anything starts
     * @throws IllegalStateException if a child JVM fails
     */
    public static JvmStart measure(int samples) {
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "samples must be between 1 and %d (got %,d): each one starts two JVMs, so 3 to 5 is plenty",
                    MAX_SAMPLES, samples));
        }
        List<String> with = ChildJvms.command(Runner.DEFAULT_CHILD_HEAP_MB, CountMain.class);
        List<String> without = ChildJvms.commandWithoutArchive(Runner.DEFAULT_CHILD_HEAP_MB, CountMain.class);
        boolean archived = with.stream().anyMatch(o -> o.startsWith("-XX:AOTCache=") || o.startsWith("-XX:SharedArchiveFile="));
        run(without);
        if (archived) {
            run(with);
        }
        double[] withMillis = new double[archived ? samples : 0];
        double[] withoutMillis = new double[samples];
        for (int i = 0; i < samples; i++) {
            withoutMillis[i] = run(without);
            if (archived) {
                withMillis[i] = run(with);
            }
        }
        return new JvmStart(samples, archived, archived ? median(withMillis) : Double.NaN, median(withoutMillis),
                archived ? classes(with) : new Classes(0, 0), classes(without));
    }

    /** Milliseconds from start to exit of one child that counts to 1, checked for its line. */
    private static double run(List<String> command) {
        List<String> counting = new ArrayList<>(command);
        counting.add("1");
        long start = System.nanoTime();
        String out = ChildJvms.outputOf(counting, "the counting program");
        double millis = (System.nanoTime() - start) / 1e6;
        if (!out.contains("Finished counting to 1 ")) {
            throw new IllegalStateException("the counting program printed " + out.strip() + " instead of its count");
        }
        return millis;
    }

    /** One more run, with the JVM logging every class it loads (on standard output) and where from. */
    private static Classes classes(List<String> command) {
        List<String> logged = new ArrayList<>(command);
        logged.add(1, "-Xlog:class+load=info:stdout");
        logged.add("1");
        int mapped = 0;
        int read = 0;
        for (String line : ChildJvms.outputOf(logged, "the counting program").lines().toList()) {
            if (line.contains(" source: shared objects file")) {
                mapped++;
            } else if (line.contains(" source: ")) {
                read++;
            }
        }
        if (mapped + read == 0) {
            throw new IllegalStateException("the counting program's JVM logged no class loading");
        }
        return new Classes(mapped, read);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** How many times faster a start is with the archive (NaN without one). */
    public double speedup() {
        return withoutArchiveMillis / withArchiveMillis;
    }

    /** The two medians as bars. */
    public JFreeChart chart() {
        Map<String, Double> bars = new LinkedHashMap<>();
        bars.put("without the archive", withoutArchiveMillis);
        if (archived) {
            bars.put("with the archive", withArchiveMillis);
        }
        JFreeChart chart = Charts.bars("Starting a child JVM that counts to 1, until it exits", "milliseconds", bars, false);
        return Charts.subtitle(chart, archived
                ? String.format(Locale.ROOT, "median of %d each; classes loaded one by one: %,d without, %,d with",
                        samples, withoutArchive.read(), withArchive.read())
                : "no archive for this jar on this JDK (./lab build makes one)");
    }

    /** One row per kind of start: its median and where its classes came from. */
    public Table table() {
        List<String> kinds = new ArrayList<>(List.of("without the archive"));
        List<Double> millis = new ArrayList<>(List.of(Math.round(withoutArchiveMillis * 10) / 10.0));
        List<Integer> mapped = new ArrayList<>(List.of(withoutArchive.mapped()));
        List<Integer> read = new ArrayList<>(List.of(withoutArchive.read()));
        if (archived) {
            kinds.add("with the archive");
            millis.add(Math.round(withArchiveMillis * 10) / 10.0);
            mapped.add(withArchive.mapped());
            read.add(withArchive.read());
        }
        return Table.create("Starting a child JVM",
                StringColumn.create("start", kinds),
                DoubleColumn.create("median ms", millis),
                IntColumn.create("classes mapped from an archive", mapped.stream().mapToInt(Integer::intValue).toArray()),
                IntColumn.create("classes loaded one by one", read.stream().mapToInt(Integer::intValue).toArray()));
    }

    @Override
    public Object toDisplay() {
        return table();
    }

    @Override
    public String toString() {
        return archived
                ? String.format(Locale.ROOT, "child JVM start (median of %d): %.0f ms without the archive, %.0f ms with it (%.1fx)",
                        samples, withoutArchiveMillis, withArchiveMillis, speedup())
                : String.format(Locale.ROOT, "child JVM start (median of %d): %.0f ms; no archive for this jar on this JDK",
                        samples, withoutArchiveMillis);
    }
}
