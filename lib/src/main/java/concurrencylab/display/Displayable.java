package concurrencylab.display;

/**
 * Something that knows how it looks in a notebook: a result, a machine description, a report.
 *
 * <p>{@link Display#show(Object)} asks for {@link #toDisplay()} and shows what comes back (an
 * {@link Html} fragment, a chart, an image or a table). Implementations keep {@code toString()}
 * as their one-line plain-text summary.
 */
public interface Displayable {

    /**
     * What to show for this object: an {@link Html}, a {@link java.awt.image.BufferedImage},
     * a JFreeChart, a Tablesaw table, or text. Must not return {@code this}.
     */
    Object toDisplay();
}
