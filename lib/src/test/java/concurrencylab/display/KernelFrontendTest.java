package concurrencylab.display;

import static org.assertj.core.api.Assertions.assertThat;

import concurrencylab.display.fake.FakeIJavaDisplay;
import concurrencylab.display.fake.FakeIJavaKernel;
import concurrencylab.display.fake.FakeRapaioGlobal;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel front ends call each kernel's display API with its own argument order. */
class KernelFrontendTest {

    private static final String RAPAIO = FakeRapaioGlobal.class.getName();
    private static final String IJAVA_DISPLAY = FakeIJavaDisplay.class.getName();
    private static final String IJAVA_KERNEL = FakeIJavaKernel.class.getName();

    @AfterEach
    void reset() {
        FakeRapaioGlobal.CALLS.clear();
        FakeIJavaDisplay.CALLS.clear();
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
    void ijavaGetsTheHtmlBeforeItsMimeType() {
        FakeIJavaKernel.instance = new Object();
        Frontend ijava = SpencerParkFrontend.lookUp("IJava", IJAVA_DISPLAY, IJAVA_KERNEL);

        ijava.show(new Shown.Markup("<i>y</i>", "y"));

        assertThat(ijava.name()).isEqualTo("IJava");
        assertThat(FakeIJavaDisplay.CALLS).containsExactly(List.of("<i>y</i>", List.of("text/html")));
    }

    @Test
    void ijavaClassesWithoutARunningKernelAreNotAFrontEnd() {
        assertThat(SpencerParkFrontend.lookUp("IJava", IJAVA_DISPLAY, IJAVA_KERNEL)).isNull();
    }

    @Test
    void missingKernelClassesAreNotAFrontEnd() {
        assertThat(RapaioFrontend.lookUp("org.example.NoSuchGlobal")).isNull();
        assertThat(SpencerParkFrontend.lookUp("JJava", "org.example.NoDisplay", IJAVA_KERNEL)).isNull();
    }

    @Test
    void outsideAKernelDetectionFallsBackToFiles() {
        assertThat(Frontends.detect()).isInstanceOf(FileFrontend.class);
    }
}
