package concurrencylab.display;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside a Jupyter kernel whose display API the lab cannot reach, the first output says so once
 * and the rest is text; the names the detector looks for are real in the artifacts they target.
 */
class KernelDetectionTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void captureOut() {
        originalOut = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOut() {
        System.setOut(originalOut);
        Frontends.set(null);
    }

    private Path connectionFile() throws Exception {
        return Files.writeString(folder.resolve("kernel-1234.json"),
                "{\"shell_port\": 50001, \"iopub_port\": 50002, \"transport\": \"tcp\", \"key\": \"x\"}");
    }

    @Test
    void aJvmStartedWithAConnectionFileIsAKernelNamedAfterItsJar() throws Exception {
        String file = connectionFile().toString();

        Optional<KernelProcess> kernel = KernelProcess.of(
                List.of("-Xmx512m", "-jar", "/opt/k/jjava.jar", file), "/opt/k/jjava.jar " + file);

        assertThat(kernel).contains(new KernelProcess("jjava.jar"));
        assertThat(KernelProcess.of(List.of("-cp", "x", file), "org.example.SomeKernel " + file))
                .contains(new KernelProcess("org.example.SomeKernel"));
    }

    @Test
    void otherJvmsAreNotKernels() throws Exception {
        Path notConnection = Files.writeString(folder.resolve("settings.json"), "{\"size\": 3}");

        assertThat(KernelProcess.of(List.of("-jar", "lab.jar", "pool", "--json"), "lab.jar pool --json")).isEmpty();
        assertThat(KernelProcess.of(List.of(notConnection.toString()), "Main " + notConnection)).isEmpty();
        assertThat(KernelProcess.of(List.of(folder.resolve("gone.json").toString()), "Main gone.json")).isEmpty();
        assertThat(KernelProcess.of(List.of(folder.toString() + "/.json"), "Main")).isEmpty();
    }

    @Test
    void thisTestJvmIsNotAKernelSoDetectionWritesFiles() {
        assertThat(KernelProcess.current()).isEmpty();
        assertThat(Frontends.detect()).isInstanceOf(FileFrontend.class);
    }

    @Test
    void anUnreachableKernelSaysSoOnceNamingWhatWasLookedForThenPrintsText() {
        Frontend text = Frontends.detect(Optional.of(new KernelProcess("jjava.jar")), "org.example.NoGlobal",
                List.of(new SpencerParkFrontend.Entry("JJava", "org.example.NoKernel", "kernel")));
        Frontends.set(text);

        Display.show(Html.of("<p>Right:</p><p>4 &lt; 8 workers</p>"));
        Display.show(tech.tablesaw.api.Table.create("runs",
                tech.tablesaw.api.IntColumn.create("workers", new int[] {1, 2})));
        Display.show(new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB));

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out.split("Concurrency Lab: ", -1)).hasSize(2);
        assertThat(out).contains("Java kernel (jjava.jar)", "org.example.NoGlobal", "org.example.NoKernel.kernel()",
                "./lab --kernel ijava");
        assertThat(out).contains("Right:\n4 < 8 workers");
        assertThat(out).contains("runs", "workers", "1", "2");
        assertThat(out).contains("[image 4x3: an image, not shown]");
        assertThat(Display.inNotebook()).isFalse();
        assertThat(Display.kernelName()).isEqualTo("jjava.jar (display API not found)");
    }

    @Test
    void aLiveDisplayWithoutADisplayApiPrintsEachValue() {
        Frontends.set(new TextFrontend("some.Kernel", "nothing"));

        LiveDisplay live = Display.live(Html.of("0%"));
        live.update(Html.of("100%"));

        assertThat(printed.toString(StandardCharsets.UTF_8)).endsWith("0%\n100%\n");
    }

    /** JJava 1.0-a6 onward: the running kernel is {@code BaseKernel.notebookKernel()} in jjava-jupyter. */
    @Test
    void jjavaNamesExistInJJavasOwnArtifact() throws Exception {
        Class<?> kernel = Class.forName(SpencerParkFrontend.JJAVA.className());
        assertThat(kernel.getProtectionDomain().getCodeSource().getLocation().getPath()).contains("jjava-jupyter");
        assertDisplayApi(kernel, SpencerParkFrontend.JJAVA.method());
    }

    /** IJava 1.3.0's kernel is a base kernel of jupyter-jvm-basekernel 2.3.0; its entry class is in IJava's jar. */
    @Test
    void ijavasDisplayApiExistsInTheBaseKernelItIsBuiltOn() throws Exception {
        Class<?> base = Class.forName("io.github.spencerpark.jupyter.kernel.BaseKernel");
        assertThat(base.getProtectionDomain().getCodeSource().getLocation().getPath()).contains("jupyter-jvm-basekernel");
        assertDisplayApi(base, null);
    }

    /** What SpencerParkFrontend calls, by name: the static way in, display, getIO().display.updateDisplay, DisplayData. */
    private static void assertDisplayApi(Class<?> kernel, String staticMethod) throws Exception {
        if (staticMethod != null) {
            Method instance = kernel.getMethod(staticMethod);
            assertThat(Modifier.isStatic(instance.getModifiers())).isTrue();
            assertThat(kernel).isAssignableFrom(instance.getReturnType());
        }
        Method display = List.of(kernel.getMethods()).stream()
                .filter(m -> m.getName().equals("display") && m.getParameterCount() == 1
                        && m.getParameterTypes()[0].getSimpleName().equals("DisplayData"))
                .findFirst().orElseThrow();
        Class<?> bundle = display.getParameterTypes()[0];
        assertThat(bundle.getConstructor()).isNotNull();
        assertThat(bundle.getMethod("putData", String.class, Object.class)).isNotNull();
        assertThat(bundle.getMethod("setDisplayId", String.class)).isNotNull();
        Field stream = kernel.getMethod("getIO").getReturnType().getField("display");
        assertThat(stream.getType().getMethod("updateDisplay", String.class, bundle)).isNotNull();
    }
}
