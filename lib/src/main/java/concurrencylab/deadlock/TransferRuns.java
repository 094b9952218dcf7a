package concurrencylab.deadlock;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;

/**
 * Several {@link TransferRun}s side by side: displayed, a bar chart of the share of transfers
 * each completed before it ended; {@link #retriesChart()} compares how often they backed off.
 *
 * <pre>{@code
 * Display.show(TransferRuns.of(opposite, ordered, backingOff));
 * }</pre>
 *
 * @param runs the runs, in the order they are drawn
 */
public record TransferRuns(List<TransferRun> runs) implements Displayable {

    public TransferRuns {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("TransferRuns needs at least one run");
        }
    }

    /** The runs given, in order. */
    public static TransferRuns of(TransferRun... runs) {
        return new TransferRuns(List.of(runs));
    }

    /** Bars: the percentage of the transfers asked for that each run completed. */
    public JFreeChart completionChart() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (TransferRun run : runs) {
            values.put(run.label(), 100.0 * run.completedTransfers() / run.askedTransfers());
        }
        TransferRun first = runs.get(0);
        return Charts.subtitle(Charts.bars("Transfers completed before the run ended", "% of the transfers asked for",
                values, false), first.threads() + " threads round a ring of accounts; a run that deadlocked or kept retrying was stopped");
    }

    /** Bars: how many times each run's threads failed a tryLock and backed off. */
    public JFreeChart retriesChart() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (TransferRun run : runs) {
            values.put(run.way().label() + (run.finished() ? "" : " (stopped)"), (double) run.retries());
        }
        boolean inStep = runs.stream().anyMatch(TransferRun::inStep);
        return Charts.subtitle(Charts.bars("Retries before the transfers were done", "failed tryLock calls, all threads",
                values, false), (inStep ? "threads kept in step; " : "") + "a run still retrying when it was given up was stopped: marked (stopped)");
    }

    @Override
    public Object toDisplay() {
        return completionChart();
    }

    @Override
    public String toString() {
        return String.join("\n", runs.stream().map(TransferRun::toString).toList());
    }
}
