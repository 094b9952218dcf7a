package concurrencylab.chart;

import java.awt.Font;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

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
