package concurrencylab.coroutines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.runners.CPython;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.CategoryDataset;
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
        // In series the 2,000 sleeps take 400 s; overlapped, about one sleep plus the start-up of
        // 2,000 tasks, which on a busy machine (2,000 platform threads) can pass 2 s. A twentieth of
        // the series tells the two apart without timing the start-up.
        assertThat(run.wallMillis()).as("the sleeps overlapped: far less than 2,000 in series").isBetween(195.0, 2_000 * 200.0 / 20);
        assertThat(run.runner()).isEqualTo(runner.label());
    }

    @Test
    void repeatsReportTheMedianAndEachRun() {
        SleepersRun run = Sleepers.run(Sleepers.Runner.EVENT_LOOP, 100, Duration.ofMillis(20), 3);
        assertThat(run.wallMillisEach()).hasSize(3);
        assertThat(run.wallMillis()).isIn(run.wallMillisEach().toArray());
    }

    @Test
    void runsCompareAsATableAndAsBarsGroupedByTaskCount() {
        SleepersRun loop10 = new SleepersRun("event-loop", "Java 25", 10, 100, 105, 3, 10, List.of(105.0));
        SleepersRun loop100 = new SleepersRun("event-loop", "Java 25", 100, 100, 110, 4, 100, List.of(110.0));
        SleepersRun platform10 = new SleepersRun("platform-threads", "Java 25", 10, 100, 120, 5, 10, List.of(120.0));
        SleepersRun python100 = new SleepersRun("event-loop", "CPython 3.11.2", 100, 100, 150, 20, 100, List.of(150.0));
        SleepersRuns runs = SleepersRuns.of(List.of(loop10, platform10, loop100)).and(python100);

        assertThat(runs.table().rowCount()).isEqualTo(4);
        assertThat(runs.table().stringColumn("runner").asList())
                .containsExactly("event loop", "platform threads", "event loop", "asyncio (CPython)");
        assertThat(runs.table().doubleColumn("beyond the sleep ms").asList()).containsExactly(5.0, 20.0, 10.0, 50.0);

        JFreeChart chart = runs.chart(SleepersRuns.Measure.OVERHEAD);
        CategoryDataset data = chart.getCategoryPlot().getDataset();
        assertThat(data.getColumnKeys()).containsExactly("10 tasks", "100 tasks");
        assertThat(data.getRowKeys()).containsExactly("event loop", "platform threads", "asyncio (CPython)");
        assertThat(data.getValue("platform threads", "10 tasks")).isEqualTo(20.0);
        assertThat(data.getValue("platform threads", "100 tasks")).as("no run, no bar").isNull();
        assertThat(data.getValue("asyncio (CPython)", "100 tasks")).isEqualTo(50.0);
        assertThat(chart.getTitle().getText()).contains("each sleeps 100 ms");

        assertThatThrownBy(() -> SleepersRuns.of(List.of()).chart(SleepersRuns.Measure.WALL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no runs");
    }

    @Test
    void asyncioRunsTheSameSleepersAndTimesASwitch() throws Exception {
        Optional<CPython> python = CPython.find();
        assumeTrue(python.isPresent(), "no python3 on the PATH");
        SleepersRun run = Sleepers.runCPython(500, Duration.ofMillis(50), 2).orElseThrow();
        assertThat(run.runtime()).startsWith("CPython 3.");
        assertThat(run.label()).isEqualTo("asyncio (CPython)");
        assertThat(run.completed()).isEqualTo(500);
        assertThat(run.wallMillisEach()).hasSize(2);
        assertThat(run.wallMillis()).as("the sleeps overlap: 500 in series take 25 s").isBetween(50.0, 500 * 50.0 / 10);

        JsonNode switches = new ObjectMapper().readTree(python.get().runProgram("sleepers.py",
                List.of("--switches", "1001", "--repeat", "2")));
        assertThat(switches.get("switches").asInt()).as("whole hand-offs each way").isEqualTo(1000);
        assertThat(switches.get("nanosPerSwitch").asDouble()).isPositive();
        assertThat(switches.get("nanosPerSwitchEach")).hasSize(2);
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
