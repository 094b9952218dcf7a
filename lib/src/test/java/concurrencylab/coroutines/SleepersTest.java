package concurrencylab.coroutines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SleepersTest {

    @ParameterizedTest
    @EnumSource(Sleepers.Runner.class)
    void manySleepersOverlapInsteadOfAddingUp(Sleepers.Runner runner) {
        SleepersRun run = Sleepers.run(runner, 2_000, Duration.ofMillis(200));
        assertThat(run.completed()).isEqualTo(2_000);
        assertThat(run.wallMillis()).as("about one sleep, not 2,000").isBetween(195.0, 200.0 * 10);
        assertThat(run.runner()).isEqualTo(runner.label());
    }

    @Test
    void repeatsReportTheMedianAndEachRun() {
        SleepersRun run = Sleepers.run(Sleepers.Runner.EVENT_LOOP, 100, Duration.ofMillis(20), 3);
        assertThat(run.wallMillisEach()).hasSize(3);
        assertThat(run.wallMillis()).isIn(run.wallMillisEach().toArray());
    }

    @Test
    void badParametersGetOneClearMessageEach() {
        assertThatThrownBy(() -> Sleepers.run(Sleepers.Runner.VIRTUAL_THREADS, 0, Duration.ofMillis(1)))
                .hasMessage("tasks must be between 1 and 10,000,000 for virtual-threads (got 0)");
        assertThatThrownBy(() -> Sleepers.run(Sleepers.Runner.PLATFORM_THREADS, 100_000, Duration.ofMillis(1)))
                .hasMessageContaining("between 1 and 20,000 for platform-threads").hasMessageContaining("use virtual-threads");
        assertThatThrownBy(() -> Sleepers.run(Sleepers.Runner.EVENT_LOOP, 10, Duration.ofMillis(-5)))
                .hasMessage("sleep must be between 0 and 60,000 ms (got -5 ms)");
        assertThatThrownBy(() -> Sleepers.Runner.fromName("fibers")).hasMessageContaining("event-loop, virtual-threads or platform-threads");
    }
}
