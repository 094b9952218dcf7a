package concurrencylab.display;

import java.awt.image.BufferedImage;

/** What {@link Display} hands to a front end: already reduced to one of three kinds. */
sealed interface Shown {

    /** A one-line plain-text stand-in, used outside Jupyter and in logs. */
    String summary();

    /** A picture, shown as image/png. */
    record Image(BufferedImage image, String summary) implements Shown {}

    /**
     * An HTML fragment, shown as text/html; {@code text} is its whole plain-text form (a table's
     * rows, a page's words), for kernels that can show only text.
     */
    record Markup(String html, String summary, String text) implements Shown {
        Markup(String html, String summary) {
            this(html, summary, summary);
        }
    }

    /** Plain text, printed. */
    record Text(String text) implements Shown {
        @Override
        public String summary() {
            return text;
        }
    }
}
