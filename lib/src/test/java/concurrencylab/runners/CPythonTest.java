package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs where a python3 exists (CI has one); skipped, and says so, elsewhere. */
class CPythonTest {

    private static Optional<CPython> python;

    @BeforeAll
    static void findPython() {
        python = CPython.find();
    }

    @Test
    void cpythonThreadsCountExactlyAndJoinOurRunsAsCPython() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        Run run = python.get().run(Strategy.THREADS, 2, 200_000);

        assertThat(run.results()).containsExactly(200_000L, 200_000L);
        assertThat(run.runtime()).startsWith("CPython 3.").endsWith(", " + python.get().gilLabel());
        assertThat(run.label()).isEqualTo("threads (CPython, " + python.get().gilLabel() + ")");
        assertThat(run.timeline()).extracting(Span::worker).containsExactly(1, 2);
        assertThat(Runs.of(run).table().stringColumn("runtime").get(0)).startsWith("CPython");
    }

    @Test
    void cpythonProcessesUseTheMainGuardAndReturn() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        Run run = python.get().run(Strategy.PROCESSES, 2, 100_000);

        assertThat(run.results()).containsExactly(100_000L, 100_000L);
        assertThat(run.strategy()).isEqualTo(Strategy.PROCESSES);
        assertThat(run.label()).isEqualTo("processes (CPython, " + python.get().defaultStartMethod() + ")");
    }

    @Test
    void theInterpreterSaysWhetherItHasTheGilAndHowItStartsProcesses() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");
        CPython p = python.get();

        assertThat(p.gilLabel()).isIn("GIL", "no GIL");
        assertThat(p.gilEnabled()).isEqualTo(p.gilLabel().equals("GIL"));
        assertThat(p.startMethods()).contains(p.defaultStartMethod()).contains("spawn");
        assertThat(p.toString()).contains(p.gilLabel()).contains("start method " + p.defaultStartMethod());
    }

    @Test
    void processesCanBeStartedBySpawnWhichReimportsTheProgramUnderItsGuard() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        Run run = python.get().run(Strategy.PROCESSES, 2, 10_000, "spawn");

        assertThat(run.results()).containsExactly(10_000L, 10_000L);
        assertThat(run.label()).isEqualTo("processes (CPython, spawn)");
    }

    @Test
    void anUnknownStartMethodIsRefusedBeforeAnythingRuns() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        assertThatThrownBy(() -> python.get().run(Strategy.PROCESSES, 2, 1_000, "vfork"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startMethod must be one of");
    }

    @Test
    void aRunThatWouldTakeHoursIsSkippedWithItsEstimate() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");
        CPython p = python.get();

        assertThat(p.countsPerSecond()).isGreaterThan(100_000);
        assertThat(p.estimate(Strategy.THREADS, 4, 1_000_000_000_000L)).isGreaterThan(java.time.Duration.ofHours(1));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(printed, true));
        Optional<Run> run;
        try {
            run = p.tryRun(Strategy.THREADS, 4, 1_000_000_000_000L);
        } finally {
            System.setOut(out);
        }
        assertThat(run).isEmpty();
        assertThat(printed.toString()).startsWith("CPython threads skipped: 4 x count(1,000,000,000,000) would take about ")
                .contains("beyond the 60 s limit");
    }

    @Test
    void aShortRunWithinTheLimitRuns() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        assertThat(python.get().tryRun(Strategy.SEQUENTIAL, 1, 1_000)).hasValueSatisfying(
                run -> assertThat(run.results()).containsExactly(1_000L));
    }

    @Test
    void aTimeLimitOutsideASecondToADayIsRefused() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        assertThatThrownBy(() -> python.get().timeLimit(java.time.Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 second and 1 day");
    }

    @Test
    void cpythonHasNoVirtualThreads() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        assertThatThrownBy(() -> python.get().run(Strategy.VIRTUAL_THREADS, 2, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CPython runs only sequential, processes and threads (got virtual-threads)");
    }
}
