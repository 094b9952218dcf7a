package concurrencylab.runners;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A scaling sweep: the same task on 1, 2, ... N workers with one strategy, each run's speed-up
 * over doing that many tasks one after another, against its upper bound.
 *
 * <p>Up to 8 workers the sweep tries every count; beyond, it doubles (1, 2, 4, 8, ...) and adds
 * the number of CPUs and N itself ({@link #workerCounts}), so that a machine with 48 CPUs
 * sweeps a dozen points rather than 96.
 *
 * <p>The baseline is one task on one worker (the median of three runs, after a warm-up run
 * that lets the JIT compile the loop); W tasks one after another would take W times as long.
 * The ideal speed-up with C CPUs is min(W, C): W while there are CPUs to spare; beyond that the
 * operating system shares the C CPUs among the W workers, so the speed-up stays at C. It is an
 * upper bound, not a forecast: C counts hardware threads, and two hyperthreads share one core,
 * hybrid chips mix fast and slow cores, and a chip runs one core faster (turbo) than all of them,
 * so measured speed-ups fall short of it.
 *
 * @param strategy the strategy swept
 * @param task what each worker did
 * @param cpus CPUs available during the sweep
 * @param oneWorkerMillis the baseline: one task on one worker
 * @param runs one run per worker count, from 1 worker up
 */
public record Scaling(Strategy strategy, Task task, int cpus, double oneWorkerMillis, List<Run> runs)
        implements Displayable {

    /** Copies the list of runs. */
    public Scaling {
        runs = List.copyOf(runs);
    }

    /** The most workers a sweep goes up to. */
    public static final int MAX_WORKERS = 1024;

    /**
     * Runs the sweep from 1 to {@code maxWorkers} workers, at the counts {@link #workerCounts}
     * gives.
     *
     * @param maxWorkers the largest number of workers, from 1 to {@value #MAX_WORKERS} (twice the
     *     CPUs is a good choice)
     * @throws IllegalArgumentException if maxWorkers is out of range, before anything runs
     */
    public static Scaling sweep(Strategy strategy, Task task, int maxWorkers) {
        if (maxWorkers < 1 || maxWorkers > MAX_WORKERS) {
            throw new IllegalArgumentException("maxWorkers must be between 1 and " + MAX_WORKERS + " (got " + maxWorkers
                    + "): twice the CPUs (" + 2 * Runtime.getRuntime().availableProcessors() + " here) shows the plateau");
        }
        Runner.requireWorkers(strategy, maxWorkers);
        int cpus = Runtime.getRuntime().availableProcessors();
        Runner.run(Strategy.SEQUENTIAL, 1, task); // warm-up: let the JIT compile the work first
        double[] baseline = new double[3];
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = Runner.run(Strategy.SEQUENTIAL, 1, task).wallMillis();
        }
        Arrays.sort(baseline);
        List<Run> runs = new ArrayList<>();
        for (int workers : workerCounts(maxWorkers, cpus)) {
            runs.add(Runner.run(strategy, workers, task));
        }
        return new Scaling(strategy, task, cpus, baseline[1], runs);
    }

    /**
     * The worker counts a sweep to {@code maxWorkers} tries on {@code cpus} CPUs, in increasing
     * order: every count up to 8; beyond, the powers of two below {@code maxWorkers}, the number
     * of CPUs (where the speed-up should level off) and {@code maxWorkers} itself. For example
     * 1 to 4 gives [1, 2, 3, 4]; 96 on 48 CPUs gives [1, 2, 4, 8, 16, 32, 48, 64, 96].
     *
     * @throws IllegalArgumentException if maxWorkers or cpus is below 1
     */
    public static List<Integer> workerCounts(int maxWorkers, int cpus) {
        if (maxWorkers < 1 || cpus < 1) {
            throw new IllegalArgumentException("maxWorkers and cpus must be at least 1 (got " + maxWorkers + " and " + cpus + ")");
        }
        java.util.TreeSet<Integer> counts = new java.util.TreeSet<>();
        if (maxWorkers <= 8) {
            for (int w = 1; w <= maxWorkers; w++) {
                counts.add(w);
            }
            return List.copyOf(counts);
        }
        for (int w = 1; w < maxWorkers; w *= 2) {
            counts.add(w);
        }
        if (cpus < maxWorkers) {
            counts.add(cpus);
        }
        counts.add(maxWorkers);
        return List.copyOf(counts);
    }

    /** The legend of the upper-bound line: "ideal (upper bound): min(workers, 2 hardware threads)". */
    String upperBoundLabel() {
        return String.format(Locale.ROOT, "ideal (upper bound): min(workers, %d hardware thread%s)", cpus, cpus == 1 ? "" : "s");
    }

    /** The speed-up of the run with {@code workers} workers: workers x baseline / its wall time. */
    public double speedUp(Run run) {
        return run.workers() * oneWorkerMillis / run.wallMillis();
    }

    /** The best possible speed-up for W workers on this many CPUs: min(W, CPUs). */
    public double ideal(int workers) {
        return Math.min(workers, cpus);
    }

    /** Speed-up against workers, with the upper bound min(workers, CPUs) as a dashed line. */
    public JFreeChart chart() {
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        lines.put(strategy.label(), runs.stream().map(r -> new double[] {r.workers(), speedUp(r)}).toList());
        lines.put(upperBoundLabel(), runs.stream().map(r -> new double[] {r.workers(), ideal(r.workers())}).toList());
        JFreeChart chart = Charts.lines("How " + strategy.label() + " scale", "workers",
                "speed-up over one after another", lines);
        return Charts.subtitle(chart, String.format(Locale.ROOT, "each worker: %s; one alone takes %,.0f ms",
                task.describe(), oneWorkerMillis));
    }

    /** One row per worker count: wall time, speed-up and its upper bound. */
    public Table table() {
        IntColumn workers = IntColumn.create("workers");
        DoubleColumn wall = DoubleColumn.create("wall ms");
        DoubleColumn speedUp = DoubleColumn.create("speed-up");
        DoubleColumn ideal = DoubleColumn.create("upper bound");
        for (Run run : runs) {
            workers.append(run.workers());
            wall.append(Math.round(run.wallMillis() * 10) / 10.0);
            speedUp.append(Math.round(speedUp(run) * 100) / 100.0);
            ideal.append(Math.round(ideal(run.workers()) * 100) / 100.0);
        }
        return Table.create("Scaling of " + strategy.label(), workers, wall, speedUp, ideal);
    }

    @Override
    public Object toDisplay() {
        return chart();
    }

    @Override
    public String toString() {
        Run last = runs.get(runs.size() - 1);
        return String.format(Locale.ROOT, "%s from 1 to %d workers x %s: speed-up %.2f at %d (upper bound %.2f on %d CPUs)",
                strategy.label(), last.workers(), task.describe(), speedUp(last), last.workers(), ideal(last.workers()), cpus);
    }
}
