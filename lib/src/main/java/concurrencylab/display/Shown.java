package concurrencylab.display;

import java.awt.image.BufferedImage;

/** What {@link Display} hands to a front end: already reduced to one of three kinds. */
sealed interface Shown {

    /** A one-line plain-text stand-in, used outside Jupyter and in logs. */
    String summary();

    /** A picture, shown as image/png. */
    record Image(BufferedImage image, String summary) implements Shown {}

    /** An HTML fragment, shown as text/html. */
    record Markup(String html, String summary) implements Shown {}

    /** Plain text, printed. */
    record Text(String text) implements Shown {
        @Override
        public String summary() {
            return text;
        }
    }
}
