package concurrencylab.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

    @Test
    void countReturnsExactlyMaxCount() {
        assertThat(Workloads.count(1)).isEqualTo(1);
        assertThat(Workloads.count(3 * Workloads.CHUNK + 7)).isEqualTo(3L * Workloads.CHUNK + 7);
    }

    @Test
    void countReachesACheckpointAfterEveryChunkAndAtTheEnd() {
        List<Long> seen = new ArrayList<>();

        Workloads.count(2L * Workloads.CHUNK + 5, seen::add);

        assertThat(seen).containsExactly((long) Workloads.CHUNK, 2L * Workloads.CHUNK, 2L * Workloads.CHUNK + 5);
    }

    @Test
    void anInterruptedCountStopsWithACancellationAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Workloads.count(100L * Workloads.CHUNK))
                    .isInstanceOf(CancellationException.class)
                    .hasMessageContaining("was interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aCountBelowOneIsRejectedWithAnExample() {
        assertThatThrownBy(() -> Workloads.count(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxCount must be at least 1 (got 0)");
    }

    @Test
    void theNaiveCountGivesTheSameAnswer() {
        assertThat(Workloads.naiveCount(12_345)).isEqualTo(12_345);
    }

    @Test
    void aNegativeSleepIsRejected() {
        assertThatThrownBy(() -> Workloads.sleep(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1 hour");
    }
}
