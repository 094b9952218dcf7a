package concurrencylab.visibility;

import concurrencylab.display.Displayable;
import concurrencylab.display.Html;
import java.util.List;
import java.util.Optional;

/**
 * Several {@link JitRaceRun}s: {@code Display.show(races)} draws them on one timeline,
 * {@link #table()} lists them, and {@code toString()} gives a line each.
 *
 * @param runs the runs, in the order they ran
 */
public record JitRaces(List<JitRaceRun> runs) implements Displayable {

    /** Copies the list; rejects an empty one. */
    public JitRaces {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("JitRaces needs at least one run");
        }
    }

    /** The run of this loop under this JIT setting, if it ran. */
    public Optional<JitRaceRun> find(JitRace.Loop loop, JitRace.Jit jit) {
        return runs.stream().filter(r -> r.loop() == loop && r.jit() == jit).findFirst();
    }

    /** A table: each run's loop, engines, when C2 compiled the loop, when the flag was written, and what the reader did. */
    public Html table() {
        StringBuilder html = new StringBuilder("<table><thead><tr><th>the reader's loop</th><th>run by</th>"
                + "<th style=\"text-align:right\">C2 compiled it at</th><th style=\"text-align:right\">flag written at</th>"
                + "<th>the reader</th></tr></thead><tbody>");
        for (JitRaceRun run : runs) {
            long c2 = run.c2Millis();
            html.append("<tr><td>").append(Html.escape(run.loop().toString())).append("</td><td>")
                    .append(Html.escape(run.jit().toString())).append("</td><td style=\"text-align:right\">")
                    .append(c2 < 0 ? "never" : c2 + " ms").append("</td><td style=\"text-align:right\">")
                    .append(run.wroteMillis()).append(" ms</td><td>")
                    .append(run.sawWrite() ? Html.escape(run.outcome()) : "<b>" + Html.escape(run.outcome()) + "</b>")
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
        return new Html(html.toString(), runs.size() + " races in fresh JVMs");
    }

    @Override
    public Object toDisplay() {
        return JitRace.chart(runs);
    }

    @Override
    public String toString() {
        return String.join("\n", runs.stream().map(JitRaceRun::toString).toList());
    }
}
