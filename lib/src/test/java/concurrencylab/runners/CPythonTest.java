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
        assertThat(run.runtime()).startsWith("CPython 3.");
        assertThat(run.label()).isEqualTo("threads (CPython)");
        assertThat(run.timeline()).extracting(Span::worker).containsExactly(1, 2);
        assertThat(Runs.of(run).table().stringColumn("runtime").get(0)).startsWith("CPython");
    }

    @Test
    void cpythonProcessesUseTheMainGuardAndReturn() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        Run run = python.get().run(Strategy.PROCESSES, 2, 100_000);

        assertThat(run.results()).containsExactly(100_000L, 100_000L);
        assertThat(run.strategy()).isEqualTo(Strategy.PROCESSES);
    }

    @Test
    void cpythonHasNoVirtualThreads() {
        assumeTrue(python.isPresent(), "no python3 on the PATH");

        assertThatThrownBy(() -> python.get().run(Strategy.VIRTUAL_THREADS, 2, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CPython runs only sequential, processes and threads (got virtual-threads)");
    }
}
