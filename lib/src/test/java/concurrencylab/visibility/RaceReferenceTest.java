package concurrencylab.visibility;

import static org.assertj.core.api.Assertions.assertThat;

import concurrencylab.display.Html;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RaceReferenceTest {

    @Test
    void theShippedReferenceHoldsEveryRaceOnSeveralCpus() {
        RaceReference reference = RaceReference.load();
        assertThat(reference.runs()).hasSize(Racer.Publish.values().length + Racer.Fields.values().length);
        assertThat(reference.runs()).allMatch(o -> o.cpus() > 1);
        assertThat(reference.machine()).isNotBlank();
        assertThat(reference.date()).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    @Test
    void theShippedReferenceSawNothingForbidden() {
        assertThat(RaceReference.load().runs()).allMatch(o -> o.forbidden() == 0);
    }

    @Test
    void itShowsAsATableLabelledWithTheMachineAndDate() {
        RaceReference reference = RaceReference.load();
        Html shown = (Html) reference.toDisplay();
        assertThat(shown.html()).contains(reference.machine()).contains(reference.date()).contains("store buffering");
    }

    @Test
    void whatItWritesItReadsBack(@TempDir Path dir) throws Exception {
        RaceReference reference = new RaceReference("a test machine", "2026-01-01",
                List.of(Racer.storeBuffering(Racer.Fields.PLAIN, 1_000, java.time.Duration.ofSeconds(5))));
        Path file = reference.write(dir.resolve("r.json"));
        assertThat(Files.readString(file)).contains("\"0, 0\"").contains("a test machine");
    }
}
