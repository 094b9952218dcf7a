package concurrencylab.display;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import concurrencylab.chart.Charts;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void useFiles() {
        Frontends.set(new FileFrontend(folder, new PrintStream(printed, true, StandardCharsets.UTF_8)));
    }

    @AfterEach
    void detectAgain() {
        Frontends.set(null);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void outsideJupyterAChartBecomesAPngFileAndOneLine() throws Exception {
        Display.show(Charts.bars("Two bars", "ms", Map.of("a", 1.0, "b", 2.0), false));

        Path png = folder.resolve("display-001.png");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Display.CHART_WIDTH);
        assertThat(image.getHeight()).isEqualTo(Display.CHART_HEIGHT);
        assertThat(printed()).isEqualTo("[image 760x420] chart: Two bars -> " + png + System.lineSeparator());
    }

    @Test
    void outsideJupyterATableBecomesAnHtmlFileWithItsEscapedCells() throws Exception {
        Table table = Table.create("runs", StringColumn.create("strategy", "threads <4>"), IntColumn.create("workers", new int[] {4}));

        Display.show(table);

        String html = Files.readString(folder.resolve("display-001.html"));
        assertThat(html).contains("<table").contains("threads &lt;4&gt;").contains("<td>4</td>");
        assertThat(printed()).startsWith("[html] runs (1 rows x 2 columns) -> ");
    }

    @Test
    void plainValuesArePrintedAsText() {
        Display.show(42);

        assertThat(printed()).isEqualTo("42" + System.lineSeparator());
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void aDisplayableIsShownAsWhatItReturns() {
        Displayable markup = () -> Html.of("<b>bold</b> move");

        Display.show(markup);

        assertThat(printed()).startsWith("[html] bold move -> ");
    }

    @Test
    void aDisplayableThatReturnsItselfIsAnErrorNamingItsClass() {
        Displayable loop = new Displayable() {
            @Override
            public Object toDisplay() {
                return this;
            }
        };

        assertThatThrownBy(() -> Display.show(loop))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("toDisplay() must return something to show, not itself");
    }

    @Test
    void nullIsRejectedWithAMessage() {
        assertThatThrownBy(() -> Display.show(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Display.show needs a value");
    }

    @Test
    void aChartSizeOutOfRangeNamesTheParameter() {
        var chart = Charts.bars("c", "ms", Map.of("a", 1.0), false);

        assertThatThrownBy(() -> Display.show(chart, 50, 300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width must be between 100 and 4000 pixels (got 50)");
    }

    @Test
    void htmlEscapingCoversTheFiveSpecialCharacters() {
        assertThat(Html.escape("<a href=\"x\">Tom & 'Jerry'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    }

    @Test
    void outsideJupyterALiveDisplayPrintsEachUpdateAsALine() {
        LiveDisplay live = Display.live("starting");
        live.update("half way");
        live.update("done");

        assertThat(printed().lines()).containsExactly("starting", "half way", "done");
    }

    @Test
    void withoutAKernelTheFrontEndSaysSo() {
        Frontends.set(null);

        assertThat(Display.kernelName()).isEqualTo("no Jupyter kernel");
        assertThat(Display.inNotebook()).isFalse();
    }
}
