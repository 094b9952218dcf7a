package concurrencylab.display;

import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.html.HtmlWriteOptions;

/**
 * Shows a result in the notebook, whichever Java kernel runs it.
 *
 * <p>The three Java kernels we support each have their own display call (IJava and JJava:
 * {@code display(obj, "text/html")}; rapaio: {@code display("text/html", obj)}), and calling
 * the wrong one fails only when the cell runs. {@code Display.show} finds the kernel once and
 * uses its call. In a kernel whose display API it cannot find, the first output says so, naming
 * the kernel and what was looked for, and everything is printed as text. Outside Jupyter (jshell, the command line, tests) it writes the image or page
 * to a numbered file under {@code build/display} (set the system property
 * {@code concurrencylab.display.dir} to move it) and prints one line saying what it wrote.
 *
 * <table class="striped">
 * <caption>What each kind of value becomes</caption>
 * <thead><tr><th>value</th><th>shown as</th></tr></thead>
 * <tbody>
 * <tr><td>JFreeChart</td><td>a PNG image, {@value #CHART_WIDTH} x {@value #CHART_HEIGHT} pixels</td></tr>
 * <tr><td>BufferedImage</td><td>a PNG image</td></tr>
 * <tr><td>Tablesaw {@code Table}</td><td>an HTML table</td></tr>
 * <tr><td>{@link Html}</td><td>its HTML</td></tr>
 * <tr><td>{@link Displayable}</td><td>whatever its {@code toDisplay()} returns</td></tr>
 * <tr><td>anything else</td><td>its {@code toString()}, printed</td></tr>
 * </tbody>
 * </table>
 *
 * <p>{@code show} returns nothing, so a cell that ends with it shows the result and no stray
 * display id. It does not keep a reference to what it showed.
 *
 * <pre>{@code
 * Display.show(Machine.describe());          // a table of this machine
 * Display.show(Html.of("<b>done</b>"));
 * }</pre>
 */
public final class Display {

    /** Width in pixels of a chart shown without a size. */
    public static final int CHART_WIDTH = 760;
    /** Height in pixels of a chart shown without a size. */
    public static final int CHART_HEIGHT = 420;

    private static final int MAX_NESTING = 8;

    private Display() {}

    /**
     * Shows a value in the notebook (or, outside Jupyter, writes it to a file and prints a line).
     *
     * @param value a chart, image, table, {@link Html}, {@link Displayable} or any object
     * @throws NullPointerException if value is null
     */
    public static void show(Object value) {
        Objects.requireNonNull(value, "Display.show needs a value to show, and got null");
        Frontends.current().show(reduce(value, 0));
    }

    /**
     * Shows a chart at the given size in pixels.
     *
     * @throws IllegalArgumentException if a size is not between 100 and 4000 pixels
     */
    public static void show(JFreeChart chart, int width, int height) {
        Objects.requireNonNull(chart, "Display.show needs a chart to show, and got null");
        checkSize("width", width);
        checkSize("height", height);
        Frontends.current().show(chartImage(chart, width, height));
    }

    /**
     * Shows a value that can then be replaced in place with {@link LiveDisplay#update}.
     *
     * @throws NullPointerException if value is null
     */
    public static LiveDisplay live(Object value) {
        Objects.requireNonNull(value, "Display.live needs a value to show first, and got null");
        Frontend frontend = Frontends.current();
        return new LiveDisplay(frontend, frontend.showUpdatable(reduce(value, 0)));
    }

    /** Shows an HTML fragment as rendered HTML. */
    public static void html(String html) {
        show(Html.of(Objects.requireNonNull(html, "Display.html needs markup, and got null")));
    }

    /**
     * The name of the Java kernel this code runs in ("rapaio", "IJava", "JJava"), or
     * "no Jupyter kernel" when it runs elsewhere. A kernel whose display API the lab cannot reach
     * is named after its main class or jar, with "(display API not found)".
     */
    public static String kernelName() {
        return Frontends.current().name();
    }

    /**
     * True when {@link #show(Object)} draws in a notebook; false when it writes files (outside
     * Jupyter) or prints text (in a kernel whose display API the lab cannot reach).
     */
    public static boolean inNotebook() {
        return Frontends.current().inNotebook();
    }

    /** Renders a Tablesaw table as an HTML {@code <table>}, escaping its text. */
    public static String tableHtml(Table table) {
        Objects.requireNonNull(table, "table");
        StringWriter html = new StringWriter();
        try {
            table.write().usingOptions(HtmlWriteOptions.builder(html).escapeText(true).build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return html.toString();
    }

    static Shown reduce(Object value, int depth) {
        if (depth > MAX_NESTING) {
            throw new IllegalStateException("Display.show: " + value.getClass().getName()
                    + ".toDisplay() keeps returning Displayable values; return a chart, table or Html instead");
        }
        return switch (value) {
            case JFreeChart chart -> chartImage(chart, CHART_WIDTH, CHART_HEIGHT);
            case BufferedImage image -> new Shown.Image(image,
                    "image " + image.getWidth() + "x" + image.getHeight());
            case Table table -> new Shown.Markup(tableHtml(table), summarise(table), table.printAll());
            case Html html -> new Shown.Markup(html.html(), html.summary(), Html.plainText(html.html()));
            case Displayable displayable -> {
                Object inner = displayable.toDisplay();
                if (inner == null || inner == displayable) {
                    throw new IllegalStateException("Display.show: " + value.getClass().getName()
                            + ".toDisplay() must return something to show, not " + (inner == null ? "null" : "itself"));
                }
                yield reduce(inner, depth + 1);
            }
            default -> new Shown.Text(String.valueOf(value));
        };
    }

    private static Shown.Image chartImage(JFreeChart chart, int width, int height) {
        String title = chart.getTitle() != null ? chart.getTitle().getText() : "chart";
        return new Shown.Image(chart.createBufferedImage(width, height), "chart: " + title);
    }

    private static String summarise(Table table) {
        String name = table.name() == null || table.name().isBlank() ? "table" : table.name();
        return name + " (" + table.rowCount() + " rows x " + table.columnCount() + " columns)";
    }

    private static void checkSize(String name, int pixels) {
        if (pixels < 100 || pixels > 4000) {
            throw new IllegalArgumentException("Display.show: " + name + " must be between 100 and 4000 pixels (got "
                    + pixels + "); the default chart is " + CHART_WIDTH + " x " + CHART_HEIGHT);
        }
    }
}
