package concurrencylab.producers;

import concurrencylab.chart.Bar;
import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;

/**
 * The record of one producer-and-consumers run: every command the producer read, every look a
 * polling consumer took at the flag, and every count; displayed, its timeline.
 *
 * @param style how the consumers waited
 * @param threads "platform" or "virtual"
 * @param consumers how many consumers
 * @param tickMillis the tick
 * @param counts how far each consumer counted
 * @param wallMillis the whole run
 * @param wastedWakeUps looks at the flag that found it unset (0 when waiting on a latch)
 * @param events what happened, in ms since the run began
 */
public record ProducerConsumerRun(ProducerConsumer.Style style, String threads, int consumers, long tickMillis, int counts,
                                  double wallMillis, long wastedWakeUps, List<Event> events) implements Displayable {

    public ProducerConsumerRun {
        events = List.copyOf(events);
    }

    /**
     * One thing that happened.
     *
     * @param who 0 for the producer, k for consumer k
     * @param what the command read, "poll" for a look at the flag, or the number counted
     * @param startMillis when it began
     * @param endMillis when it ended
     */
    public record Event(int who, String what, double startMillis, double endMillis) {}

    /** The counts consumer {@code k} made, in order. */
    public List<Event> countsOf(int consumer) {
        return events.stream().filter(e -> e.who() == consumer && !e.what().equals("poll")).toList();
    }

    /** When the producer read "Start", or -1 if it never did. */
    public double startedMillis() {
        return events.stream().filter(e -> e.who() == 0 && e.what().strip().equalsIgnoreCase("start"))
                .mapToDouble(Event::startMillis).findFirst().orElse(-1);
    }

    /**
     * The timeline: the producer's commands on the top row, then one row per consumer with a
     * mark for each count, and, when polling, a grey mark for each wasted look at the flag.
     */
    public JFreeChart timelineChart() {
        double width = Math.max(wallMillis / 150, 0.5);
        List<Bar> bars = new ArrayList<>();
        for (Event event : events) {
            String series = event.who() == 0 ? "producer's commands"
                    : event.what().equals("poll") ? Charts.OVERHEAD_PREFIX + "wasted wake-ups" : "counts";
            bars.add(new Bar(event.who() + 1, event.startMillis(), Math.max(event.endMillis(), event.startMillis() + width), series));
        }
        JFreeChart chart = Charts.timeline(String.format(Locale.ROOT, "Producer and %d consumer%s, %s", consumers,
                consumers == 1 ? "" : "s", style == ProducerConsumer.Style.POLLING ? "polling a flag" : "waiting on a latch"),
                rowNames(), bars);
        return Charts.subtitle(chart, String.format(Locale.ROOT, "tick %,d ms; %,d wasted wake-ups", tickMillis, wastedWakeUps));
    }

    private List<String> rowNames() {
        List<String> names = new ArrayList<>(List.of("producer"));
        for (int k = 1; k <= consumers; k++) {
            names.add("consumer " + k);
        }
        return names;
    }

    @Override
    public Object toDisplay() {
        return timelineChart();
    }

    /** One line: style, consumers, counts, wasted wake-ups, wall time. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s on %s threads: %,d consumer%s counted to %d at a %,d ms tick in %,.0f ms;"
                        + " %,d wasted wake-up%s", style.name().toLowerCase(Locale.ROOT), threads, consumers,
                consumers == 1 ? "" : "s", counts - 1, tickMillis, wallMillis, wastedWakeUps, wastedWakeUps == 1 ? "" : "s");
    }
}
