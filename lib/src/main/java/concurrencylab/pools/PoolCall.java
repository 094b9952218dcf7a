package concurrencylab.pools;

import concurrencylab.chart.Bar;
import concurrencylab.chart.Charts;
import concurrencylab.chart.Theme;
import concurrencylab.display.Displayable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;

/**
 * The record of one finished map, imap or imapUnordered call: what was asked, how long it took,
 * how soon the first result came, and which worker ran which task when. Displayed, it draws the
 * timeline; printed, it is one line.
 *
 * @param kind "processes", "threads" or "cluster"
 * @param workers the pool's workers
 * @param mode "map", "imap" or "imap-unordered"
 * @param chunksize inputs per task
 * @param inputs how many inputs the call had
 * @param tasks how many tasks (chunks) they made
 * @param wallMillis from the call until the caller had every result
 * @param firstResultMillis from the call until the caller had the first result
 * @param timeline every task, in the order they finished (the first {@value #TIMELINE_LIMIT}); in a
 *        cluster, a task whose member died appears twice: lost on that member, then run again on another
 */
public record PoolCall(String kind, int workers, String mode, int chunksize, long inputs, long tasks,
                       double wallMillis, double firstResultMillis, List<TaskSpan> timeline) implements Displayable {

    /** Tasks kept per call: enough for any chart, and bounded for huge inputs. */
    public static final int TIMELINE_LIMIT = 10_000;

    public PoolCall {
        timeline = List.copyOf(timeline);
    }

    /**
     * One bar per task on its worker's row. Up to 12 tasks each get a colour and a legend entry
     * ("task 5"); with more, the colour is the worker's. A cluster's lost attempts and their
     * re-runs have a colour and an entry each; then tasks are coloured one each only while every
     * series still gets a colour of its own (six tasks), else by member.
     */
    public JFreeChart timelineChart() {
        if (timeline.isEmpty()) {
            throw new IllegalStateException("this call ran no tasks, so there is no timeline to draw");
        }
        boolean marked = timeline.stream().anyMatch(span -> span.outcome() != TaskSpan.Outcome.RAN);
        long distinctTasks = timeline.stream().mapToInt(TaskSpan::task).distinct().count();
        boolean byTask = distinctTasks <= (marked ? Theme.PALETTE.length - 2 : 12);
        List<Bar> bars = new ArrayList<>();
        // A cluster's lost attempts and their re-runs keep their own colours, whatever the number of tasks.
        timeline.stream().sorted(java.util.Comparator.comparingInt(TaskSpan::task)).forEach(span -> bars.add(
                new Bar(span.worker(), span.startMillis(), span.endMillis(), switch (span.outcome()) {
                    case LOST -> "lost with its member";
                    case RERUN -> "run again on another member";
                    case RAN -> byTask ? "task " + span.task() : (kind.equals("cluster") ? "member " : "worker ") + span.worker();
                })));
        JFreeChart chart = Charts.timeline(String.format(Locale.ROOT, "%s: %,d task%s on a pool of %d %s",
                mode, tasks, tasks == 1 ? "" : "s", workers, kind.equals("cluster") ? "cluster members" : kind),
                kind.equals("cluster") ? "member" : "worker", bars);
        return Charts.subtitle(chart, summaryLine());
    }

    @Override
    public Object toDisplay() {
        return timeline.isEmpty() ? toString() : timelineChart();
    }

    private String summaryLine() {
        return String.format(Locale.ROOT, "%,d input%s in chunks of %,d; %,.1f ms wall, first result after %,.1f ms",
                inputs, inputs == 1 ? "" : "s", chunksize, wallMillis, firstResultMillis);
    }

    /** One line, e.g. "map on 4 threads: 5 inputs in chunks of 1; 410.2 ms wall, first result after 410.2 ms". */
    @Override
    public String toString() {
        return mode + " on " + workers + " " + kind + ": " + summaryLine();
    }
}
