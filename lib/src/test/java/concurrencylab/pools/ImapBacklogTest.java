package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import concurrencylab.runners.CPython;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How far imap runs ahead of a caller that reads nothing: bounded for the lab's pool, not for CPython's. */
class ImapBacklogTest {

    @Test
    void theLabsImapStopsTakingInputsAtItsWindowWhileTheCallerWaits() {
        try (Pool pool = Pool.threads(2)) {
            ImapBacklog run = ImapBacklog.measure(pool, 200_000, 10, Duration.ofSeconds(10), Duration.ofSeconds(60));

            // The window is max(1,024, 4 x 2 workers x 10); a chunk or two more may be in hand.
            assertThat(run.takenWhileWaiting()).isLessThan(2_000);
            assertThat(run.finished()).isTrue();
            assertThat(run.isCPython()).isFalse();
        }
    }

    @Test
    void cpythonsImapTakesEveryInputWhileTheCallerWaits() {
        assumeTrue(CPython.find().isPresent(), "no python3 on the PATH");

        ImapBacklog run = ImapBacklog.cpython(50_000, 2, 100).orElseThrow();

        assertThat(run.takenWhileWaiting()).isEqualTo(50_000);
        assertThat(run.isCPython()).isTrue();
        assertThat(run.memoryKind()).contains("resident");
    }

    @Test
    void aRunThatReachesItsTimeLimitStopsAndChecksTheResultsItRead() {
        try (Pool pool = Pool.threads(2)) {
            // The wait alone uses up the limit, so the caller stops at its first look at the clock.
            ImapBacklog run = ImapBacklog.measure(pool, 5_000_000, 1, Duration.ofMillis(100), Duration.ofMillis(100));

            assertThat(run.finished()).isFalse();
            assertThat(run.resultsRead()).isEqualTo(1_000);
        }
    }

    @Test
    void tooManyInputsAreRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> ImapBacklog.cpython(ImapBacklog.MAX_INPUTS + 1, 2, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs must be between 1 and 5,000,000");
    }

    @Test
    void theTableHasOneRowPerRunAndSaysWhatEachMemoryFigureIs() {
        ImapBacklog java = new ImapBacklog("Java 25", 1_000, 1_000, 2, 10, 600, 1_040, 3.0, 3.1, "live heap (after a full GC)");
        ImapBacklog python = new ImapBacklog("CPython 3.11.7, GIL, fork", 1_000, 1_000, 2, 10, 600, 1_000, 16, 17,
                "resident set");

        var table = ImapBacklog.table(List.of(java, python));

        assertThat(table.rowCount()).isEqualTo(2);
        assertThat(table.stringColumn("memory measured as").asList())
                .containsExactly("live heap (after a full GC)", "resident set");
        assertThat(python.heldMB()).isEqualTo(1.0);
    }
}
