package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceRunsTest {

    @Test
    void theShippedRunsCoverEveryStrategyAtTheArticlesCount() {
        ReferenceRuns reference = ReferenceRuns.load();

        Runs runs = reference.runs(100_000_000L);

        assertThat(runs.list()).filteredOn(r -> !r.isCPython()).extracting(Run::strategy)
                .containsExactly(Strategy.values());
        assertThat(runs.list()).allSatisfy(r -> assertThat(r.workers()).isEqualTo(ReferenceRuns.WORKERS));
        assertThat(reference.machine()).contains("CPU");
    }

    @Test
    void theChartSaysItIsNotThisMachine() {
        var chart = ReferenceRuns.load().chart(100_000_000L);

        assertThat(chart.getTitle().getText()).startsWith("Reference, not this machine");
    }

    @Test
    void aCountThatWasNotMeasuredIsAnErrorListingTheOnesThatWere() {
        assertThatThrownBy(() -> ReferenceRuns.load().chart(42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("measured at [10000000, 100000000, 1000000000], not at 42");
    }

    @Test
    void theNearestMeasuredCountIsChosenOnALogScale() {
        assertThat(ReferenceRuns.nearestCount(100_000_000L)).isEqualTo(100_000_000L);
        assertThat(ReferenceRuns.nearestCount(3_000_000L)).isEqualTo(10_000_000L);
        assertThat(ReferenceRuns.nearestCount(400_000_000L)).isEqualTo(1_000_000_000L);
        assertThat(ReferenceRuns.nearestCount(1)).isEqualTo(10_000_000L);
    }

    @Test
    void writtenRunsReadBackTheSame(@TempDir Path folder) throws Exception {
        Run run = Runner.run(Strategy.THREADS, 2, Task.count(1_000));
        ReferenceRuns written = new ReferenceRuns("a test machine", "2026-01-01", List.of(run));

        written.write(folder.resolve("r.json"));
        ReferenceRuns read = ReferenceRuns.load(folder.resolve("r.json"));

        assertThat(read.runs()).hasSize(1);
        assertThat(read.runs().get(0).results()).isEqualTo(run.results());
        assertThat(read.runs().get(0).wallMillis()).isCloseTo(run.wallMillis(), org.assertj.core.data.Offset.offset(0.01));
    }
}
