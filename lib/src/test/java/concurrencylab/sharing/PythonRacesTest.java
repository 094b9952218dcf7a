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
        // A lost add needs a switch between a thread's read and its write, and CPython switches
        // threads every 5 ms: a run short enough to fit in a few intervals (CPython 3.13 does
        // 4 x 300,000 adds in 40 ms) can, rarely, lose none. A million adds each spans dozens of
        // switches; three runs all exact would mean the read and the write no longer interleave.
        String python = python();
        PythonRaces.Result result = null;
        for (int run = 0; run < 3 && (result == null || result.lost() == 0); run++) {
            result = PythonRaces.run(python, PythonRaces.Way.CALL, 4, 1_000_000);
        }

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
