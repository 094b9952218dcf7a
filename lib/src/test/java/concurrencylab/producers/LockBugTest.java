package concurrencylab.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import concurrencylab.runners.CPython;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.tablesaw.api.Table;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockBugTest {

    private static final Duration GAP = Duration.ofMillis(50);
    private static final Duration TICK = Duration.ofMillis(20);
    private static final Duration GIVE_UP = Duration.ofMillis(1_000);

    @Test
    void theArticlesReleaseEndsThePythonProducerAndTheConsumersNeverStart() {
        assumeTrue(CPython.find().isPresent(), "no python3 on the PATH");
        LockBug.CPythonRun run = LockBug.inCPython(false, GAP, TICK, GIVE_UP, "hello", "Start").orElseThrow();
        assertThat(run.producer()).startsWith("RuntimeError: release unlocked lock");
        assertThat(run.consumers()).hasSize(2).allMatch(c -> c.startsWith("gave up"));
        assertThat(run.consumersStarted()).isFalse();
        assertThat(run.toString()).contains("consumer 2 gave up");
    }

    @Test
    void theFixedProducerSetsTheFlagAfterAnUnknownCommand() {
        assumeTrue(CPython.find().isPresent(), "no python3 on the PATH");
        LockBug.CPythonRun run = LockBug.inCPython(true, GAP, TICK, GIVE_UP, "hello", "Start").orElseThrow();
        assertThat(run.producer()).startsWith("set the flag");
        assertThat(run.consumersStarted()).isTrue();
    }

    @Test
    void pythonsLockHasNoOwnerAndItsRLockHasOne() {
        assumeTrue(CPython.find().isPresent(), "no python3 on the PATH");
        Table table = LockBug.releasesInCPython().orElseThrow();
        assertThat(table.rowCount()).isEqualTo(5);
        assertThat(table.stringColumn(1).get(1)).as("a Lock held by another thread").isEqualTo("released");
        assertThat(table.stringColumn(1).get(2)).as("an RLock held by another thread").startsWith("RuntimeError");
        assertThat(table.stringColumn(1).get(3)).as("a Semaphore(1)").contains("value now 2");
    }

    @Test
    void badDurationsAndNoCommandsGetOneClearMessage() {
        assertThatThrownBy(() -> LockBug.inCPython(false, Duration.ZERO, TICK, GIVE_UP, "Start"))
                .hasMessage("gap must be between 1 ms and 60 s (got 0 ms)");
        assertThatThrownBy(() -> LockBug.inCPython(false, GAP, TICK, Duration.ofMinutes(5), "Start"))
                .hasMessage("giveUp must be between 1 ms and 60 s (got 300000 ms)");
        assertThatThrownBy(() -> LockBug.inCPython(false, GAP, TICK, GIVE_UP))
                .hasMessageContaining("at least one command");
    }
}
