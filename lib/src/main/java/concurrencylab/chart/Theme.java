package concurrencylab.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The lab's chart look: white background, light grid, flat bars, no shadows, and a palette
 * that colour-blind readers can tell apart (Okabe and Ito's).
 */
public final class Theme {

    /** Okabe-Ito colours, in the order series receive them. */
    public static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)
    };

    static final Color GRID = new Color(0xDDDDDD);
    static final Color TEXT = new Color(0x222222);

    private static final StandardChartTheme THEME = build();

    private Theme() {}

    /** Applies the lab's look to a chart and returns it. */
    public static JFreeChart apply(JFreeChart chart) {
        THEME.apply(chart);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        return chart;
    }

    private static StandardChartTheme build() {
        StandardChartTheme theme = new StandardChartTheme("Concurrency Lab", false);
        String family = Font.SANS_SERIF;
        theme.setExtraLargeFont(new Font(family, Font.BOLD, 17));
        theme.setLargeFont(new Font(family, Font.BOLD, 13));
        theme.setRegularFont(new Font(family, Font.PLAIN, 12));
        theme.setSmallFont(new Font(family, Font.PLAIN, 11));
        theme.setTitlePaint(TEXT);
        theme.setSubtitlePaint(TEXT);
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setPlotOutlinePaint(Color.WHITE);
        theme.setLegendBackgroundPaint(Color.WHITE);
        theme.setLegendItemPaint(TEXT);
        theme.setDomainGridlinePaint(GRID);
        theme.setRangeGridlinePaint(GRID);
        theme.setAxisLabelPaint(TEXT);
        theme.setTickLabelPaint(TEXT);
        theme.setItemLabelPaint(TEXT);
        theme.setShadowVisible(false);
        theme.setBarPainter(new StandardBarPainter());
        theme.setXYBarPainter(new StandardXYBarPainter());
        theme.setDrawingSupplier(new DefaultDrawingSupplier(
                PALETTE.clone(),
                PALETTE.clone(),
                new Paint[] {Color.WHITE},
                new java.awt.Stroke[] {new BasicStroke(2.0f)},
                new java.awt.Stroke[] {new BasicStroke(1.0f)},
                DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        return theme;
    }

    /** Bars without gradient or shadow, a little apart. */
    static void flatBars(BarRenderer renderer) {
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.05);
        renderer.setMaximumBarWidth(0.12);
    }
}
