package concurrencylab.chart;

import java.awt.BasicStroke;
import java.awt.Font;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Factories for the lab's charts, already themed.
 *
 * <pre>{@code
 * JFreeChart chart = Charts.bars("Start-up cost", "microseconds",
 *         Map.of("thread", 60.0, "JVM", 90_000.0), true);
 * }</pre>
 */
public final class Charts {

    private Charts() {}

    /**
     * Horizontal bars, one per entry, in the map's iteration order, each labelled with its value.
     *
     * @param title the chart's title
     * @param valueLabel the label of the value axis, with its unit
     * @param values label to value; every value must be positive when {@code logScale} is set
     * @param logScale true for a logarithmic value axis, for values that differ by orders of magnitude
     * @throws IllegalArgumentException if values is empty, or holds a non-positive value on a log scale
     */
    public static JFreeChart bars(String title, String valueLabel, Map<String, Double> values, boolean logScale) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Charts.bars needs at least one value to draw");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            double value = entry.getValue();
            if (logScale && !(value > 0)) {
                throw new IllegalArgumentException("Charts.bars: '" + entry.getKey() + "' is " + value
                        + ", and a logarithmic axis shows only positive values");
            }
            min = Math.min(min, value);
            max = Math.max(max, value);
            data.addValue(value, valueLabel, entry.getKey());
        }

        ValueAxis axis;
        if (logScale) {
            LogAxis log = new LogAxis(valueLabel);
            log.setBase(10);
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            log.setSmallestValue(Math.min(1e-3, min / 2));
            // One grid line per power of ten, so that "each line is ten times the last" holds.
            log.setTickUnit(new NumberTickUnit(1));
            log.setRange(Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max)) + 0.3));
            axis = log;
        } else {
            NumberAxis linear = new NumberAxis(valueLabel);
            linear.setUpperMargin(0.15);
            axis = linear;
        }

        BarRenderer renderer = new BarRenderer();
        Theme.flatBars(renderer);
        renderer.setMaximumBarWidth(0.18);
        renderer.setSeriesPaint(0, Theme.PALETTE[0]);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", labels(min)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        if (logScale) {
            // Bars on a log axis grow from its lower bound, not from zero.
            renderer.setBase(axis.getLowerBound());
        }

        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), axis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeGridlinesVisible(true);
        plot.setDomainGridlinesVisible(false);

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        return Theme.apply(chart);
    }

    /** Timeline series whose name starts with this are overheads, drawn in grey. */
    public static final String OVERHEAD_PREFIX = "(overhead) ";

    /**
     * A timeline: one row per worker (named {@code rowLabel} 1, 2, ...), time running left to
     * right, and a bar for each stretch a worker was busy, coloured by its series; series named
     * with {@link #OVERHEAD_PREFIX} are grey, and the legend shows them without the prefix.
     *
     * @throws IllegalArgumentException if there are no bars
     */
    public static JFreeChart timeline(String title, String rowLabel, List<Bar> bars) {
        int rows = bars.stream().mapToInt(Bar::row).max().orElse(0);
        return timeline(title, java.util.Arrays.asList(rowNames(rowLabel, rows)).subList(1, rows + 1), bars);
    }

    /**
     * {@link #timeline(String, String, List)} with a name for each row: {@code rowNames.get(0)}
     * for row 1, and so on ("producer", "consumer 1", ...).
     *
     * @throws IllegalArgumentException if there are no bars, or a bar's row has no name
     */
    public static JFreeChart timeline(String title, List<String> rowNames, List<Bar> bars) {
        Objects.requireNonNull(bars, "bars");
        Objects.requireNonNull(rowNames, "rowNames");
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("Charts.timeline needs at least one bar to draw");
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        Map<String, XYIntervalSeries> series = new LinkedHashMap<>();
        // Series (and so the legend) in the order of the first row each appears on.
        bars.stream().sorted(java.util.Comparator.comparingInt(Bar::row))
                .forEach(bar -> series.computeIfAbsent(bar.series(),
                        name -> new XYIntervalSeries(name.startsWith(OVERHEAD_PREFIX) ? name.substring(OVERHEAD_PREFIX.length()) : name)));
        int rows = 0;
        for (Bar bar : bars) {
            XYIntervalSeries s = series.get(bar.series());
            // x is the row (drawn as a band 0.7 high), y is time: the plot is turned on its side.
            s.add(bar.row(), bar.row() - 0.35, bar.row() + 0.35, bar.startMillis(), bar.startMillis(), bar.endMillis());
            rows = Math.max(rows, bar.row());
        }
        series.values().forEach(data::addSeries);

        if (rows > rowNames.size()) {
            throw new IllegalArgumentException("a bar is on row " + rows + " but only " + rowNames.size() + " rows have names");
        }
        String[] names = new String[rows + 1];
        names[0] = "";
        for (int i = 1; i <= rows; i++) {
            names[i] = rowNames.get(i - 1);
        }
        SymbolAxis rowAxis = new SymbolAxis(null, names);
        rowAxis.setInverted(true);
        rowAxis.setGridBandsVisible(false);
        rowAxis.setRange(0.4, rows + 0.6);
        NumberAxis timeAxis = new NumberAxis("milliseconds since the run started");
        timeAxis.setAutoRangeIncludesZero(true);

        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlinePaint(java.awt.Color.WHITE);
        XYPlot plot = new XYPlot(data, rowAxis, timeAxis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDomainGridlinesVisible(false);
        JFreeChart chart = Theme.apply(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.size() <= 12));
        // Colours after the theme, which would otherwise reset them.
        int colour = 0;
        int index = 0;
        for (String name : series.keySet()) {
            // Overheads (a JVM starting, a task waiting) in grey, so that the work stands out.
            boolean overhead = name.startsWith(OVERHEAD_PREFIX);
            renderer.setSeriesPaint(index++, overhead ? new java.awt.Color(0xBBBBBB)
                    : Theme.PALETTE[colour++ % Theme.PALETTE.length]);
        }
        return chart;
    }

    private static String[] rowNames(String rowLabel, int rows) {
        String[] names = new String[rows + 1];
        names[0] = "";
        for (int i = 1; i <= rows; i++) {
            names[i] = rowLabel + " " + i;
        }
        return names;
    }

    /**
     * Grouped bars: for each category (a run), one bar per series (wall time, CPU time), in the
     * maps' iteration order; the first series' bars carry their value. When the values span more
     * than a factor of 50 (Java against CPython), the axis is logarithmic so that all bars show.
     *
     * @param values category to (series to value)
     * @throws IllegalArgumentException if there are no values
     */
    public static JFreeChart groupedBars(String title, String valueLabel, Map<String, Map<String, Double>> values) {
        Objects.requireNonNull(values, "values");
        double low = values.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                .filter(v -> v > 0).min().orElse(1);
        double high = values.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                .max().orElse(1);
        boolean logScale = high / low > 50;
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Charts.groupedBars needs at least one category to draw");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.MAX_VALUE;
        for (Map.Entry<String, Map<String, Double>> category : values.entrySet()) {
            for (Map.Entry<String, Double> value : category.getValue().entrySet()) {
                data.addValue(value.getValue(), value.getKey(), category.getKey());
                min = Math.min(min, value.getValue());
            }
        }
        ValueAxis axis;
        BarRenderer renderer = new BarRenderer();
        if (logScale) {
            LogAxis log = new LogAxis(valueLabel + " (log scale)");
            log.setBase(10);
            log.setTickUnit(new NumberTickUnit(1));
            log.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            log.setRange(Math.pow(10, Math.floor(Math.log10(low))), Math.pow(10, Math.ceil(Math.log10(high)) + 0.4));
            renderer.setBase(log.getLowerBound());
            axis = log;
        } else {
            NumberAxis linear = new NumberAxis(valueLabel);
            linear.setUpperMargin(0.15);
            axis = linear;
        }
        Theme.flatBars(renderer);
        renderer.setMaximumBarWidth(0.12);
        renderer.setSeriesItemLabelGenerator(0, new StandardCategoryItemLabelGenerator("{2}", labels(min)));
        renderer.setSeriesItemLabelsVisible(0, true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, Theme.PALETTE[i % Theme.PALETTE.length]);
        }
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        CategoryAxis categories = new CategoryAxis();
        categories.setCategoryMargin(0.25);
        CategoryPlot plot = new CategoryPlot(data, categories, axis, renderer);
        // Sideways, so that a category's name fits on one line.
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeGridlinesVisible(true);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        return Theme.apply(chart);
    }

    /**
     * Lines through points, one per series; a series whose name starts with "ideal" is drawn
     * dashed and grey, as the reference the others are measured against.
     *
     * @param series name to points, each point {x, y}
     * @throws IllegalArgumentException if there are no series
     */
    public static JFreeChart lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        Objects.requireNonNull(series, "series");
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Charts.lines needs at least one series to draw");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
            XYSeries line = new XYSeries(entry.getKey(), false, true);
            entry.getValue().forEach(point -> line.add(point[0], point[1]));
            data.addSeries(line);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        JFreeChart chart = Theme.apply(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
        // Series styles after the theme, which would otherwise reset them.
        int colour = 0;
        int index = 0;
        for (String name : series.keySet()) {
            if (name.startsWith("ideal")) {
                renderer.setSeriesPaint(index, new java.awt.Color(0x888888));
                renderer.setSeriesStroke(index, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10f, new float[] {6f, 4f}, 0f));
                renderer.setSeriesShapesVisible(index, false);
            } else {
                renderer.setSeriesPaint(index, Theme.PALETTE[colour++ % Theme.PALETTE.length]);
                renderer.setSeriesStroke(index, new BasicStroke(2.2f));
            }
            index++;
        }
        return chart;
    }

    /** Adds a smaller line under the title: the machine, the parameters, the caveat. */
    public static JFreeChart subtitle(JFreeChart chart, String text) {
        TextTitle subtitle = new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        subtitle.setPaint(Theme.TEXT);
        chart.addSubtitle(subtitle);
        return chart;
    }

    /** Bar labels: whole numbers with thousands separators, and one decimal when values are small. */
    static NumberFormat labels(double smallest) {
        return new DecimalFormat(smallest >= 100 ? "#,##0" : smallest >= 1 ? "#,##0.#" : "#,##0.###");
    }
}
