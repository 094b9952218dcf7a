package concurrencylab.display;

import java.util.Objects;

/**
 * An output that can be replaced in place while a cell runs: a progress bar, a counter, a chart
 * that grows. In Jupyter it uses the kernel's update-display; outside Jupyter each
 * {@link #update} prints the new value's one-line summary instead.
 *
 * <p>Updates may come from any thread while the cell that created the display is running.
 *
 * <pre>{@code
 * LiveDisplay status = Display.live(Html.of("starting"));
 * status.update(Html.of("<b>half way</b>"));
 * }</pre>
 */
public final class LiveDisplay {

    private final Frontend frontend;
    private final String id;

    LiveDisplay(Frontend frontend, String id) {
        this.frontend = frontend;
        this.id = id;
    }

    /** Replaces what this display shows with {@code value} (any value {@link Display#show} takes). */
    public void update(Object value) {
        Objects.requireNonNull(value, "LiveDisplay.update needs a value to show, and got null");
        frontend.update(id, Display.reduce(value, 0));
    }

    /** The display id the kernel knows this output by. */
    public String id() {
        return id;
    }
}
