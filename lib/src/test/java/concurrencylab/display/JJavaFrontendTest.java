package concurrencylab.display;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.StandInJJavaKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JJava's display path, driven through JJava's own kernel classes (jjava-jupyter 1.0-a6): the lab
 * finds the running kernel as JJava exposes it and publishes MIME bundles through its display
 * stream, as the kernel does when a cell calls {@code display(...)}.
 */
class JJavaFrontendTest {

    private StandInJJavaKernel kernel;

    @BeforeEach
    void startKernel() {
        kernel = new StandInJJavaKernel().start();
        Frontends.set(null);
    }

    @AfterEach
    void stopKernel() {
        kernel.stop();
        Frontends.set(null);
    }

    @Test
    void theRunningJJavaKernelIsFoundWhereJJavaKeepsIt() {
        Frontend found = Frontends.detect();

        assertThat(found).isInstanceOf(SpencerParkFrontend.class);
        assertThat(found.name()).isEqualTo("JJava");
        assertThat(Display.kernelName()).isEqualTo("JJava");
        assertThat(Display.inNotebook()).isTrue();
    }

    @Test
    void htmlReachesTheFrontEndAsOneBundleWithATextStandIn() {
        Display.show(Html.of("<b>4</b> cores"));

        assertThat(kernel.published).hasSize(1);
        PublishDisplayData sent = (PublishDisplayData) kernel.published.get(0);
        assertThat(sent.getData(MIMEType.TEXT_HTML)).isEqualTo("<b>4</b> cores");
        assertThat(sent.getData(MIMEType.TEXT_PLAIN)).isEqualTo("4 cores");
    }

    @Test
    void anImageReachesTheFrontEndAsBase64Png() {
        Display.show(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB));

        DisplayData sent = (DisplayData) kernel.published.get(0);
        byte[] png = Base64.getDecoder().decode((String) sent.getData(MIMEType.IMAGE_PNG));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(sent.getData(MIMEType.TEXT_PLAIN)).isEqualTo("image 3x2");
    }

    @Test
    void aLiveDisplayIsReplacedInPlaceUnderItsDisplayId() {
        LiveDisplay bar = Display.live(Html.of("<p>0%</p>"));
        bar.update(Html.of("<p>50%</p>"));
        bar.update(Html.of("<p>100%</p>"));

        List<Object> sent = List.copyOf(kernel.published);
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0)).isInstanceOf(PublishDisplayData.class);
        assertThat(((DisplayData) sent.get(0)).getDisplayId()).isEqualTo(bar.id());
        for (Object update : sent.subList(1, 3)) {
            assertThat(update).isInstanceOf(PublishUpdateDisplayData.class);
            assertThat(((DisplayData) update).getDisplayId()).isEqualTo(bar.id());
        }
        assertThat(((DisplayData) sent.get(2)).getData(MIMEType.TEXT_HTML)).isEqualTo("<p>100%</p>");
    }

    @Test
    void jjavaClassesWithoutARunningKernelAreNotAFrontEnd() {
        kernel.stop();

        assertThat(SpencerParkFrontend.lookUp(SpencerParkFrontend.JJAVA)).isNull();
        kernel = new StandInJJavaKernel().start(); // for stopKernel
    }
}
