package concurrencylab.amdahl;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import concurrencylab.runners.Run;
import concurrencylab.runners.Runner;
import concurrencylab.runners.Scaling;
import concurrencylab.runners.Span;
import concurrencylab.runners.Strategy;
import concurrencylab.runners.Task;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A measured speed-up sweep beside the law that predicts it: the same job on 1, 2, ... N
 * workers, the serial part of each run measured, the serial fraction {@code s} taken from the
 * run on one worker, and the speed-ups against Amdahl's curve for that {@code s} (or, for a
 * scaled sweep, Gustafson's line), the ideal line {@code n} and the CPU limit.
 *
 * <p>Three sweeps, each a static factory:
 * <table>
 * <caption>What each sweep measures</caption>
 * <tr><th>factory</th><th>the job</th><th>its serial part, measured</th><th>law</th></tr>
 * <tr><td>{@link #childJvms}</td><td>one count split among n child JVMs</td><td>from the run's start to the
 *     first child's first increment (JVM start-up), and from the last child's last increment to the moment
 *     the caller holds every result (exits, merge)</td><td>Amdahl</td></tr>
 * <tr><td>{@link #sharedLock}</td><td>work items split among n threads, a share of each item done holding
 *     one lock</td><td>the time the lock was held, and waited for</td><td>Amdahl, plus the lock's own bound
 *     min(n, 1/s)</td></tr>
 * <tr><td>{@link #scaledChildJvms}</td><td>n child JVMs each doing one share; one child doing all n shares
 *     is the baseline</td><td>as for childJvms</td><td>Gustafson</td></tr>
 * </table>
 *
 * <p>Contract: parameters are checked before anything starts. Every count a worker makes is
 * checked against what it was asked for (a count the JIT had removed would fail the check, and
 * the sweep with it). The call returns when every thread and child JVM it started has ended;
 * interrupting the calling thread stops them all within about a second, and the call throws
 * {@link java.util.concurrent.CancellationException} with the interrupt flag set. What it does
 * not do: hold a run to a time budget (use {@code Budget.count} on the count first; each run
 * also stops at the runner's 10-minute timeout), or correct for other work on the machine.
 *
 * <p>Speed-up is the one-worker time over the n-worker time (for a scaled sweep, the time one
 * worker took for all n shares over the time n workers took). With C CPUs no speed-up passes C,
 * however small s is: beyond C, workers take turns.
 *
 * <pre>{@code
 * AmdahlSweep jvms = AmdahlSweep.childJvms(3_000_000_000L, 4);
 * jvms.serialFraction();      // e.g. 0.2: JVM start-up and merge, over the one-worker time
 * Display.show(jvms);         // the chart
 * }</pre>
 *
 * @param job what ran, e.g. "count(3,000,000,000) split among child JVMs"
 * @param serialPart what the serial part is and how it was measured on one worker
 * @param law the law drawn beside the measurements
 * @param lockBound true when the serial part is a lock, which other workers can overlap: its bound is min(n, 1/s)
 * @param cpus CPUs available during the sweep
 * @param serialFraction s, measured on one worker
 * @param firstCallMillis the first call, made before the sweep and not used in it (see {@link #firstCall}); -1 if none
 * @param firstCall what that first call was
 * @param points one per worker count, from 1 worker up
 * @param source "" for a sweep measured here, else where and when it was measured (a shipped reference)
 */
public record AmdahlSweep(String job, String serialPart, Law law, boolean lockBound, int cpus, double serialFraction,
                          double firstCallMillis, String firstCall, List<Point> points, String source)
        implements Displayable {

    /** Which law a sweep is drawn against. */
    public enum Law {
        /** Fixed work split n ways: 1 / (s + (1 - s) / n). */
        AMDAHL,
        /** Work grown with the workers: s + (1 - s) n. */
        GUSTAFSON
    }

    /**
     * One run of the sweep.
     *
     * @param workers how many workers
     * @param wallMillis the run's wall time
     * @param baselineMillis the time it is compared with: the one-worker run (or, scaled, one worker doing all n shares)
     * @param serialMillis its serial part, measured: start-up plus merge, or the lock's time held in all
     * @param waitedMillis time the workers spent waiting for the lock, in all; -1 where there is no lock
     */
    public record Point(int workers, double wallMillis, double baselineMillis, double serialMillis, double waitedMillis) {
        /** The measured speed-up: baseline over wall time. */
        public double speedUp() {
            return baselineMillis / wallMillis;
        }
    }

    /** Copies the list; checks that there is at least one point. */
    public AmdahlSweep {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(law, "law");
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a sweep has at least one point");
        }
        source = source == null ? "" : source;
    }

    /** Most workers a shared-lock sweep starts (platform threads). */
    public static final int MAX_LOCK_WORKERS = 256;

    /**
     * Splits one count of {@code totalCount} increments among 1, 2, ... {@code maxWorkers}
     * child JVMs (each counts {@code totalCount / n}, rounded up) and measures each run's serial
     * part: the time before the first child counts and after the last one stops. Before the
     * sweep, one child that counts to 1 is run and timed: a first call, all of it serial.
     *
     * @param totalCount the whole job, from 1,000,000 to {@link Task#MAX_COUNT}
     * @param maxWorkers from 1 to {@link Runner#maxChildJvms()}
     * @throws IllegalArgumentException for a parameter out of range, before anything starts
     */
    public static AmdahlSweep childJvms(long totalCount, int maxWorkers) {
        requireCount("totalCount", totalCount);
        Runner.requireWorkers(Strategy.PROCESSES, maxWorkers);
        int cpus = Runtime.getRuntime().availableProcessors();
        double firstCall = Runner.run(Strategy.PROCESSES, 1, Task.count(1)).wallMillis();
        List<Point> points = new ArrayList<>();
        double[] one = null;
        for (int n : Scaling.workerCounts(maxWorkers, cpus)) {
            Run run = Runner.run(Strategy.PROCESSES, n, Task.count(ceilDiv(totalCount, n)));
            double[] parts = beforeAndAfter(run);
            if (one == null) {
                one = new double[] {parts[0], parts[1], run.wallMillis()};
            }
            points.add(new Point(n, run.wallMillis(), one[2], parts[0] + parts[1], -1));
        }
        String how = String.format(Locale.ROOT, "JVM start-up %,.0f ms + exit and merge %,.0f ms of %,.0f ms on one worker",
                one[0], one[1], one[2]);
        return new AmdahlSweep(String.format(Locale.ROOT, "count(%,d) split among child JVMs", totalCount), how,
                Law.AMDAHL, false, cpus, (one[0] + one[1]) / one[2], firstCall,
                "a child JVM that counts to 1 (every child's count is itself a first call: it starts interpreted)",
                points, "");
    }

    /**
     * Gustafson's sweep: for n = 1, 2, ... {@code maxWorkers}, n child JVMs each count
     * {@code countPerWorker}, against one child JVM counting n times as far alone. The serial
     * fraction is that of the one-worker run.
     *
     * @param countPerWorker one share, from 1,000,000 to {@link Task#MAX_COUNT} / maxWorkers
     * @param maxWorkers from 1 to {@link Runner#maxChildJvms()}
     * @throws IllegalArgumentException for a parameter out of range, before anything starts
     */
    public static AmdahlSweep scaledChildJvms(long countPerWorker, int maxWorkers) {
        Runner.requireWorkers(Strategy.PROCESSES, maxWorkers);
        requireCount("countPerWorker", countPerWorker);
        if (countPerWorker > Task.MAX_COUNT / maxWorkers) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "countPerWorker x maxWorkers must be at most"
                    + " %,d (got %,d x %d): one child counts all the shares alone", Task.MAX_COUNT, countPerWorker, maxWorkers));
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        double firstCall = Runner.run(Strategy.PROCESSES, 1, Task.count(1)).wallMillis();
        List<Point> points = new ArrayList<>();
        double[] one = null;
        for (int n : Scaling.workerCounts(maxWorkers, cpus)) {
            Run alone = Runner.run(Strategy.PROCESSES, 1, Task.count(countPerWorker * n));
            Run together = n == 1 ? alone : Runner.run(Strategy.PROCESSES, n, Task.count(countPerWorker));
            double[] parts = beforeAndAfter(together);
            if (one == null) {
                one = new double[] {parts[0], parts[1], together.wallMillis()};
            }
            points.add(new Point(n, together.wallMillis(), alone.wallMillis(), parts[0] + parts[1], -1));
        }
        String how = String.format(Locale.ROOT, "JVM start-up %,.0f ms + exit and merge %,.0f ms of %,.0f ms on one worker",
                one[0], one[1], one[2]);
        return new AmdahlSweep(String.format(Locale.ROOT, "count(%,d) on each of n child JVMs, against one child"
                + " doing all n shares", countPerWorker), how, Law.GUSTAFSON, false, cpus, (one[0] + one[1]) / one[2],
                firstCall, "a child JVM that counts to 1", points, "");
    }

    /**
     * Splits {@code totalCount} increments into work items of {@value SharedLockRun#ITEM_UNITS}
     * and shares them among 1, 2, ... {@code maxWorkers} platform threads; each item does
     * {@code lockedPercent} % of its counting while holding one lock that all threads share.
     * The serial fraction is the time the lock was held over the one-worker time. A first run on
     * one worker comes before the sweep, so that the JIT has compiled the loop (its time is
     * {@link #firstCallMillis}).
     *
     * @param totalCount from {@value SharedLockRun#ITEM_UNITS} x maxWorkers to {@link Task#MAX_COUNT}
     * @param lockedPercent from 0 to 100
     * @param maxWorkers from 1 to {@value #MAX_LOCK_WORKERS}
     * @throws IllegalArgumentException for a parameter out of range, before anything starts
     */
    public static AmdahlSweep sharedLock(long totalCount, int lockedPercent, int maxWorkers) {
        if (maxWorkers < 1 || maxWorkers > MAX_LOCK_WORKERS) {
            throw new IllegalArgumentException("maxWorkers must be between 1 and " + MAX_LOCK_WORKERS + " (got "
                    + maxWorkers + "): each is a platform thread; twice the CPUs shows the plateau");
        }
        if (lockedPercent < 0 || lockedPercent > 100) {
            throw new IllegalArgumentException("lockedPercent must be between 0 and 100 (got " + lockedPercent
                    + "): the share of each item's work done holding the lock");
        }
        long items = totalCount / SharedLockRun.ITEM_UNITS;
        if (totalCount > Task.MAX_COUNT || items < maxWorkers) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "totalCount must be between %,d (an item of"
                    + " %,d increments for each of the %d workers) and %,d (got %,d)", SharedLockRun.ITEM_UNITS * maxWorkers,
                    SharedLockRun.ITEM_UNITS, maxWorkers, Task.MAX_COUNT, totalCount));
        }
        long inside = SharedLockRun.ITEM_UNITS * lockedPercent / 100;
        long outside = SharedLockRun.ITEM_UNITS - inside;
        int cpus = Runtime.getRuntime().availableProcessors();
        double firstCall = SharedLockRun.run(items, inside, outside, 1).wallMillis;
        List<Point> points = new ArrayList<>();
        SharedLockRun one = null;
        for (int n : Scaling.workerCounts(maxWorkers, cpus)) {
            SharedLockRun run = SharedLockRun.run(items, inside, outside, n);
            if (one == null) {
                one = run;
            }
            points.add(new Point(n, run.wallMillis, one.wallMillis, run.heldMillis, run.waitedMillis));
        }
        String how = String.format(Locale.ROOT, "the lock held %,.0f ms of %,.0f ms on one worker (%d %% of each"
                + " item's counting is done holding it)", one.heldMillis, one.wallMillis, lockedPercent);
        return new AmdahlSweep(String.format(Locale.ROOT, "%,d items of count(%,d), %d %% of each under one shared lock",
                items, SharedLockRun.ITEM_UNITS, lockedPercent), how, Law.AMDAHL, true, cpus,
                Math.min(1, one.heldMillis / one.wallMillis), firstCall,
                "the same job on one thread, run first, while the JIT compiled the loop", points, "");
    }

    /** The same sweep, labelled as measured elsewhere: its chart and table say where and when. */
    public AmdahlSweep measuredOn(String where) {
        return new AmdahlSweep(job, serialPart, law, lockBound, cpus, serialFraction, firstCallMillis, firstCall, points,
                Objects.requireNonNull(where, "where"));
    }

    /** What the sweep's law predicts for n workers with the measured serial fraction (CPUs not counted). */
    public double predicted(double workers) {
        return law == Law.AMDAHL ? Amdahl.speedUp(serialFraction, workers) : Amdahl.scaledSpeedUp(serialFraction, workers);
    }

    /** The law's prediction on this sweep's machine: as if n workers were min(n, CPUs). */
    public double predictedHere(int workers) {
        return predicted(Math.min(workers, cpus));
    }

    /** A lock held s of the time limits the speed-up to min(n, 1/s), the lock being busy all the time. */
    private double bound(double workers) {
        return serialFraction <= 0 ? workers : Math.min(workers, 1 / serialFraction);
    }

    private String lawLabel() {
        return law == Law.AMDAHL
                ? String.format(Locale.ROOT, "Amdahl's law, s = %.2f: 1 / (s + (1 - s) / n)", serialFraction)
                : String.format(Locale.ROOT, "Gustafson's law, s = %.2f: s + (1 - s) n", serialFraction);
    }

    /**
     * Measured speed-up points against the law's curve for the measured s, the ideal line n
     * (dashed), the CPU limit (dotted) and, for a lock, the lock's bound min(n, 1/s).
     */
    public JFreeChart chart() {
        int last = points.get(points.size() - 1).workers();
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        lines.put("measured", points.stream().map(p -> new double[] {p.workers(), p.speedUp()}).toList());
        List<double[]> curve = new ArrayList<>();
        for (double n = 1; n <= last + 1e-9; n += Math.max(0.05, (last - 1) / 100.0)) {
            curve.add(new double[] {n, predicted(n)});
        }
        curve.add(new double[] {last, predicted(last)});
        lines.put(lawLabel(), curve);
        if (lockBound) {
            lines.put("a lock held s of the time: at most min(n, 1/s)", curve.stream()
                    .map(p -> new double[] {p[0], bound(p[0])}).toList());
        }
        lines.put("ideal: n", List.of(new double[] {1, 1}, new double[] {last, last}));
        lines.put(String.format(Locale.ROOT, "CPU limit: %d CPU%s", cpus, cpus == 1 ? "" : "s"),
                List.of(new double[] {1, cpus}, new double[] {last, cpus}));
        String title = (source.isEmpty() ? "" : "Reference, not this machine: ")
                + (law == Law.AMDAHL ? "Amdahl's law, measured" : "Gustafson's law, measured");
        JFreeChart chart = Charts.lines(title, "workers", law == Law.AMDAHL ? "speed-up over one worker"
                : "scaled speed-up", lines);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) ((XYPlot) chart.getPlot()).getRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        for (int i = 1; i < lines.size(); i++) {
            renderer.setSeriesShapesVisible(i, false);
        }
        int limit = lines.size() - 1;
        renderer.setSeriesPaint(limit, new Color(0xB03A2E));
        renderer.setSeriesStroke(limit, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {2f, 3f}, 0f));
        if (lockBound) {
            renderer.setSeriesStroke(2, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {8f, 3f, 2f, 3f}, 0f));
        }
        Charts.subtitle(chart, job + "; serial part: " + serialPart);
        return source.isEmpty() ? chart : Charts.subtitle(chart, "measured on " + source);
    }

    /** One row per worker count: wall time, serial part, speed-up, and what the law predicts. */
    public Table table() {
        IntColumn workers = IntColumn.create("workers");
        DoubleColumn wall = DoubleColumn.create("wall ms");
        DoubleColumn baseline = DoubleColumn.create(law == Law.AMDAHL ? "one worker ms" : "one worker, all shares, ms");
        DoubleColumn serial = DoubleColumn.create(lockBound ? "lock held ms" : "serial part ms");
        DoubleColumn waited = DoubleColumn.create("waited for the lock ms");
        DoubleColumn speedUp = DoubleColumn.create("speed-up");
        DoubleColumn law = DoubleColumn.create(this.law == Law.AMDAHL ? "Amdahl" : "Gustafson");
        DoubleColumn here = DoubleColumn.create("law on " + cpus + " CPU" + (cpus == 1 ? "" : "s"));
        DoubleColumn lockLimit = DoubleColumn.create("lock's bound on " + cpus + " CPU" + (cpus == 1 ? "" : "s"));
        for (Point p : points) {
            workers.append(p.workers());
            wall.append(round(p.wallMillis(), 1));
            baseline.append(round(p.baselineMillis(), 1));
            serial.append(round(p.serialMillis(), 1));
            waited.append(round(p.waitedMillis(), 1));
            speedUp.append(round(p.speedUp(), 2));
            law.append(round(predicted(p.workers()), 2));
            here.append(round(predictedHere(p.workers()), 2));
            lockLimit.append(round(Math.min(cpus, bound(p.workers())), 2));
        }
        String title = (source.isEmpty() ? "" : "Reference (measured on " + source + "): ") + job;
        Table table = Table.create(title, workers, wall, baseline, serial);
        if (lockBound) {
            table.addColumns(waited);
        }
        table.addColumns(speedUp, law, here);
        return lockBound ? table.addColumns(lockLimit) : table;
    }

    @Override
    public Object toDisplay() {
        return chart();
    }

    /** One line: the job, s and how it was measured, the first call, and the last point against the law. */
    @Override
    public String toString() {
        Point top = points.get(points.size() - 1);
        return String.format(Locale.ROOT, "%s%s: s = %.3f (%s); speed-up %.2f at %d workers, %s predicts %.2f"
                        + " (%.2f on %d CPU%s)%s",
                source.isEmpty() ? "" : "reference, measured on " + source + ": ", job, serialFraction, serialPart,
                top.speedUp(), top.workers(), law == Law.AMDAHL ? "Amdahl" : "Gustafson", predicted(top.workers()),
                predictedHere(top.workers()), cpus, cpus == 1 ? "" : "s",
                firstCallMillis < 0 ? "" : String.format(Locale.ROOT, "; first call (%s, not used): %,.0f ms",
                        firstCall, firstCallMillis));
    }

    /** Time before any worker began and after the last one ended, within the run's wall time. */
    static double[] beforeAndAfter(Run run) {
        double first = Double.MAX_VALUE;
        double lastEnd = 0;
        for (Span span : run.timeline()) {
            first = Math.min(first, span.startMillis());
            lastEnd = Math.max(lastEnd, span.endMillis());
        }
        return new double[] {Math.max(0, first), Math.max(0, run.wallMillis() - lastEnd)};
    }

    private static void requireCount(String name, long count) {
        if (count < 1_000_000 || count > Task.MAX_COUNT) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be between 1,000,000 and %,d (got %,d):"
                    + " a few billion is a second or so of counting", name, Task.MAX_COUNT, count));
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static double round(double value, int places) {
        double scale = Math.pow(10, places);
        return Math.round(value * scale) / scale;
    }
}
