package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import concurrencylab.runners.CPython;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CPython's multiprocessing.Pool beside ours; runs where a python3 exists (CI has one). */
class CPythonPoolTest {

    private static final Optional<CPython> PYTHON = CPython.find();

    @Test
    void cpythonsPoolMapsInOrderAndSaysHowItStartedItsWorkers() {
        assumeTrue(PYTHON.isPresent(), "no python3 on the PATH");

        PoolRun run = PoolExperiment.squares(1_000).workers(2).runCPython("spawn").orElseThrow();

        assertThat(run.isCPython()).isTrue();
        assertThat(run.tasks()).isEqualTo(1_000);
        assertThat(run.label()).endsWith("(CPython, spawn)");
    }

    @Test
    void cpythonsThreadPoolIsLabelledWithTheGilState() {
        assumeTrue(PYTHON.isPresent(), "no python3 on the PATH");

        PoolRun run = PoolExperiment.squares(100).kind(Pool.Kind.THREADS).workers(2).runCPython().orElseThrow();

        assertThat(run.label()).endsWith("(CPython, " + PYTHON.get().gilLabel() + ")");
    }

    @Test
    void aCountThatWouldTakeCPythonHoursIsSkippedNotRun() {
        assumeTrue(PYTHON.isPresent(), "no python3 on the PATH");

        assertThat(PoolExperiment.counts(8, 1_000_000_000_000L).workers(2).runCPython()).isEmpty();
    }

    @Test
    void aClusterHasNoCPythonCounterpartSoNothingRuns() {
        assertThat(PoolExperiment.squares(10).kind(Pool.Kind.CLUSTER).workers(2).runCPython()).isEmpty();
    }

    @Test
    void anUnknownStartMethodIsRefused() {
        assumeTrue(PYTHON.isPresent(), "no python3 on the PATH");

        assertThatThrownBy(() -> PoolExperiment.squares(10).workers(2).runCPython("vfork"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startMethod must be one of");
    }
}
