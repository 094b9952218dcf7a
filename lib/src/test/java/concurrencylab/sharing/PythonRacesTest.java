package concurrencylab.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PythonRacesTest {

    private static String python() {
        List<String> found = PythonRaces.interpreters();
        assumeTrue(!found.isEmpty(), "no python3 on the PATH");
        return found.get(0);
    }

    @Test
    void aCallBetweenTheReadAndTheWriteLosesAddsInCPython() {
        PythonRaces.Result result = PythonRaces.run(python(), PythonRaces.Way.CALL, 4, 300_000);

        assertThat(result.lost()).isPositive();
        assertThat(result.label()).startsWith("CPython 3.").containsAnyOf("(GIL)", "(no GIL)");
    }

    @Test
    void theLockedWayIsExactInCPython() {
        assertThat(PythonRaces.run(python(), PythonRaces.Way.LOCKED, 3, 50_000).lost()).isZero();
    }

    @Test
    void aRunPastItsLimitIsStoppedAndSaysSo() {
        String python = python();
        assertThatThrownBy(() -> PythonRaces.run(python, PythonRaces.Way.CALL, 8, PythonRaces.MAX_ADDS, Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was stopped");
    }

    @Test
    void interruptingTheCallerStopsPythonWithinASecond() throws Exception {
        String python = python();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                PythonRaces.run(python, PythonRaces.Way.CALL, 8, PythonRaces.MAX_ADDS);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(500);
        long before = ProcessHandle.current().descendants().count();
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class);
        Thread.sleep(200);
        assertThat(ProcessHandle.current().descendants().count()).isLessThan(Math.max(1, before));
    }

    @Test
    void badParametersAreRefusedBeforePythonStarts() {
        assertThatThrownBy(() -> PythonRaces.run("python3", PythonRaces.Way.CALL, 0, 1)).hasMessageContaining("threads must be from 1");
        assertThatThrownBy(() -> PythonRaces.run("python3", PythonRaces.Way.CALL, 1, 0)).hasMessageContaining("adds per thread");
    }
}
