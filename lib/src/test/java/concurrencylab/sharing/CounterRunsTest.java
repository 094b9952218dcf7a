package concurrencylab.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CounterRunsTest {

    @Test
    void theShippedReferenceHoldsEveryKindAtOneToFourThreadsAndSaysWhereItWasMeasured() {
        CounterRuns reference = CounterRuns.reference();

        assertThat(reference.measuredOn()).contains("2-CPU");
        for (CounterKind kind : CounterKind.values()) {
            assertThat(reference.of(kind)).extracting(CounterRun::threads).containsExactly(1, 2, 3, 4);
        }
        assertThat(reference.runs()).filteredOn(r -> r.kind().exact()).allMatch(r -> r.lost() == 0);
        assertThat(reference.lostChart().getTitle().getText()).startsWith("Reference, not this machine");
    }

    @Test
    void runsWrittenAsJsonReadBackTheSame(@TempDir Path folder) throws Exception {
        CounterRuns runs = new CounterRuns(List.of(new CounterRun(CounterKind.RACY, 2, 100, 150, 1_000, false),
                new CounterRun(CounterKind.LONG_ADDER, 2, 100, 200, 2_000, true)), null);
        Path file = runs.write(folder.resolve("runs.json"), "a test machine");

        String json = Files.readString(file);
        assertThat(json).contains("\"lost\" : 50").contains("a test machine");
    }

    @Test
    void aRunDescribesItselfInOneLine() {
        CounterRun run = new CounterRun(CounterKind.RACY, 2, 1_000, 1_500, 1_000_000, false);

        assertThat(run.toString()).doesNotContain("\n").contains("total 1,500 of 2,000").contains("lost 500 (25.0%)");
        assertThat(run.lostFraction()).isEqualTo(0.25);
    }

    @Test
    void theTableHasARowPerRun() {
        assertThat(CounterRuns.reference().table().rowCount()).isEqualTo(CounterRuns.reference().runs().size());
    }
}
