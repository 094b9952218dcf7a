package concurrencylab.display;

import java.util.Objects;

/**
 * A fragment of HTML to show as {@code text/html}, with a plain-text summary for places that
 * cannot render HTML.
 *
 * <p>Strings are shown as plain text by {@link Display#show(Object)}; wrap one in {@code Html}
 * to have it rendered instead: {@code Display.show(Html.of("<b>4</b> cores"))}.
 *
 * @param html the markup, as it will be inserted in the page
 * @param summary one line of plain text that stands for it outside Jupyter
 */
public record Html(String html, String summary) {

    /** Rejects a null fragment or summary. */
    public Html {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(summary, "summary");
    }

    /** An HTML fragment whose plain-text stand-in is its text with the tags removed. */
    public static Html of(String html) {
        return new Html(html, stripTags(html));
    }

    /** Escapes the five characters that HTML gives a meaning to, so that text shows as typed. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String stripTags(String html) {
        String text = html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    /** The whole text of a fragment, a line for each block (paragraph, row, item, break), as a reader sees it. */
    static String plainText(String html) {
        String lines = html.replaceAll("(?i)<br\\s*/?>|</(p|div|tr|li|h[1-6]|table|ul|ol)>", "\n");
        StringBuilder out = new StringBuilder();
        for (String line : lines.split("\n")) {
            String text = line.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
            if (!text.isEmpty()) {
                out.append(out.isEmpty() ? "" : "\n").append(text);
            }
        }
        return out.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    @Override
    public String toString() {
        return summary;
    }
}
