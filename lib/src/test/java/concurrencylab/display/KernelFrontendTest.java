package concurrencylab.display;

import static org.assertj.core.api.Assertions.assertThat;

import concurrencylab.display.fake.FakeIJavaKernel;
import concurrencylab.display.fake.FakeRapaioGlobal;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel front ends call each kernel's display API with its own argument order. */
class KernelFrontendTest {

    private static final String RAPAIO = FakeRapaioGlobal.class.getName();
    private static final SpencerParkFrontend.Entry IJAVA =
            new SpencerParkFrontend.Entry("IJava", FakeIJavaKernel.class.getName(), "getKernelInstance");

    @AfterEach
    void reset() {
        FakeRapaioGlobal.CALLS.clear();
        FakeIJavaKernel.instance = null;
    }

    @Test
    void rapaioGetsTheMimeTypeBeforeTheHtml() {
        Frontend rapaio = RapaioFrontend.lookUp(RAPAIO);

        rapaio.show(new Shown.Markup("<b>x</b>", "x"));

        assertThat(rapaio.name()).isEqualTo("rapaio");
        assertThat(FakeRapaioGlobal.CALLS).containsExactly(List.of("display(String,Object)", "text/html", "<b>x</b>"));
    }

    @Test
    void rapaioRendersAnImageItself() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);

        RapaioFrontend.lookUp(RAPAIO).show(new Shown.Image(image, "i"));

        assertThat(FakeRapaioGlobal.CALLS).containsExactly(List.of("display(Object)", image));
    }

    @Test
    void ijavaGetsABundleWithTheHtmlAndATextStandIn() {
        FakeIJavaKernel.instance = new FakeIJavaKernel();
        Frontend ijava = SpencerParkFrontend.lookUp(IJAVA);

        ijava.show(new Shown.Markup("<i>y</i>", "y"));

        assertThat(ijava.name()).isEqualTo("IJava");
        assertThat(FakeIJavaKernel.instance.displayed).containsExactly(Map.of("text/plain", "y", "text/html", "<i>y</i>"));
    }

    @Test
    void ijavaGetsAnImageAsBase64Png() {
        FakeIJavaKernel.instance = new FakeIJavaKernel();
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);

        SpencerParkFrontend.lookUp(IJAVA).show(new Shown.Image(image, "a picture"));

        Map<String, Object> bundle = FakeIJavaKernel.instance.displayed.get(0);
        byte[] png = Base64.getDecoder().decode((String) bundle.get("image/png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(bundle.get("text/plain")).isEqualTo("a picture");
    }

    @Test
    void ijavaUpdatesADisplayInPlaceThroughItsDisplayStream() {
        FakeIJavaKernel.instance = new FakeIJavaKernel();
        Frontend ijava = SpencerParkFrontend.lookUp(IJAVA);

        String id = ijava.showUpdatable(new Shown.Markup("<p>0%</p>", "0%"));
        ijava.update(id, new Shown.Markup("<p>50%</p>", "50%"));

        assertThat(FakeIJavaKernel.instance.displayIds).containsExactly(id);
        assertThat(FakeIJavaKernel.instance.io.display.updatedIds).containsExactly(id);
        assertThat(FakeIJavaKernel.instance.io.display.updates)
                .containsExactly(Map.of("text/plain", "50%", "text/html", "<p>50%</p>"));
    }

    @Test
    void rapaioUpdatesADisplayWithTheIdItReturned() {
        Frontend rapaio = RapaioFrontend.lookUp(RAPAIO);

        String id = rapaio.showUpdatable(new Shown.Markup("<p>0%</p>", "0%"));
        rapaio.update(id, new Shown.Markup("<p>50%</p>", "50%"));

        assertThat(id).isEqualTo("id-2");
        assertThat(FakeRapaioGlobal.CALLS).containsExactly(
                List.of("display(String,Object)", "text/html", "<p>0%</p>"),
                List.of("updateDisplay(String,String,Object)", "id-2", "text/html", "<p>50%</p>"));
    }

    @Test
    void ijavaClassesWithoutARunningKernelAreNotAFrontEnd() {
        assertThat(SpencerParkFrontend.lookUp(IJAVA)).isNull();
    }

    @Test
    void missingKernelClassesAreNotAFrontEnd() {
        assertThat(RapaioFrontend.lookUp("org.example.NoSuchGlobal")).isNull();
        assertThat(SpencerParkFrontend.lookUp(new SpencerParkFrontend.Entry("JJava", "org.example.NoKernel", "kernel")))
                .isNull();
    }

    @Test
    void outsideAKernelDetectionFallsBackToFiles() {
        assertThat(Frontends.detect()).isInstanceOf(FileFrontend.class);
    }
}
