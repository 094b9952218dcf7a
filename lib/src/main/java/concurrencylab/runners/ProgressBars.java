package concurrencylab.runners;

import concurrencylab.display.Display;
import concurrencylab.display.Html;
import concurrencylab.display.LiveDisplay;
import java.util.Locale;

/**
 * Live progress of a run: in a notebook, one bar per worker, redrawn in place about ten times a
 * second; outside Jupyter, one line of text a second and a last one at the end. Runs with more
 * than {@value #MAX_BARS} workers show a single bar for all of them.
 *
 * <p>Use it through {@link Runner.Builder#showProgress()}.
 */
public final class ProgressBars implements ProgressListener {

    /** Most bars drawn; more workers share one. */
    public static final int MAX_BARS = 8;
    private static final long TEXT_PERIOD_NANOS = 1_000_000_000L;

    private final String title;
    private final boolean notebook;
    private final LiveDisplay display;
    private long lastText = System.nanoTime();

    private ProgressBars(String title, int workers) {
        this.title = title;
        this.notebook = Display.inNotebook();
        this.display = Display.live(render(new long[workers], 1, false));
    }

    /** Shows empty bars for a run that is about to start. */
    public static ProgressBars start(String title, int workers) {
        return new ProgressBars(title, workers);
    }

    @Override
    public void update(long[] done, long total, boolean finished) {
        if (!notebook && !finished && System.nanoTime() - lastText < TEXT_PERIOD_NANOS) {
            return;
        }
        lastText = System.nanoTime();
        display.update(render(done, total, finished));
    }

    private Html render(long[] done, long total, boolean finished) {
        StringBuilder html = new StringBuilder("<div><b>").append(Html.escape(title)).append("</b><table>");
        StringBuilder text = new StringBuilder(title).append(":");
        if (done.length <= MAX_BARS) {
            for (int w = 0; w < done.length; w++) {
                bar(html, text, "worker " + (w + 1), done[w], total);
            }
        } else {
            long sum = 0;
            for (long d : done) {
                sum += d;
            }
            bar(html, text, done.length + " workers", sum, total * done.length);
        }
        html.append("</table>").append(finished ? "done" : "").append("</div>");
        return new Html(html.toString(), text.append(finished ? " (done)" : "").toString());
    }

    private static void bar(StringBuilder html, StringBuilder text, String label, long done, long total) {
        double percent = total > 0 ? Math.min(100, 100.0 * done / total) : 0;
        html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td><progress value=\"%.1f\" max=\"100\""
                + " style=\"width:260px\"></progress></td><td style=\"text-align:right\">%.0f%%</td></tr>",
                label, percent, percent));
        text.append(String.format(Locale.ROOT, " %s %.0f%%,", label, percent));
    }
}
