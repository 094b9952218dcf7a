package concurrencylab.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetTest {

    private static final long GIB = 1L << 30;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** A Binder-like session: 1 CPU, 2 GiB of which 1.5 GiB free, 48 MB child JVMs, a billion counts a second. */
    private Budget binder() {
        return new Budget(1, 2 * GIB, 3 * GIB / 2, new double[] {48, 1}, 8, 1e9, Duration.ofMinutes(1),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aNumberOfChildJvmsThatFitsIsReturnedAsItIsAndNothingIsPrinted() {
        assertThat(binder().childJvms("NUM_PROCESSES", 4)).isEqualTo(4);
        assertThat(printed()).isEmpty();
    }

    @Test
    void tooManyChildJvmsAreCappedToWhatTheRunnerAllowsWithOneLineNamingTheParameter() {
        int started = binder().childJvms("NUM_PROCESSES", 64);

        assertThat(started).isEqualTo(8);
        assertThat(printed()).startsWith("NUM_PROCESSES = 64 is more child JVMs").contains("set NUM_PROCESSES to 8 or fewer")
                .hasLineCount(1);
    }

    @Test
    void whenMemoryIsShortTheCapIsWhatFitsAfterTheReserveAndTheLineSaysSo() {
        Budget tight = new Budget(16, 2 * GIB, 512L << 20, new double[] {48, 1}, 64, 1e9, Duration.ofMinutes(1),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(tight.childJvms("NUM_PROCESSES", 64)).isEqualTo(5);   // (512 - 256) MB / 48 MB
        assertThat(printed()).contains("each takes about 48 MB").contains("room for 5");
    }

    @Test
    void aChildJvmCountBelowOneIsRefused() {
        assertThatThrownBy(() -> binder().childJvms("NUM_PROCESSES", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("NUM_PROCESSES must be at least 1");
    }

    @Test
    void clusterMembersThatFitAreReturnedAsTheyAreAndNothingIsPrinted() {
        assertThat(binder().clusterMembers("MEMBERS", 3)).isEqualTo(3);
        assertThat(printed()).isEmpty();
    }

    @Test
    void moreClusterMembersThanFitAreCappedWithOneLineNamingTheParameterAndTheFix() {
        Budget tight = new Budget(2, 2 * GIB, 1 * GIB, new double[] {48, 1}, 8, 1e9, Duration.ofMinutes(1),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(tight.clusterMembers("MEMBERS", 8)).isEqualTo(3);   // (1024 - 256) MB / 200 MB
        assertThat(printed()).startsWith("MEMBERS = 8 is more cluster members than fit here")
                .contains("room for 3").contains("set MEMBERS to 3 or fewer").hasLineCount(1);
    }

    @Test
    void evenWithNoMemoryFreeOneClusterMemberIsAllowedAndBelowOneIsRefused() {
        Budget none = new Budget(1, 2 * GIB, 0, new double[] {48, 1}, 8, 1e9, Duration.ofMinutes(1),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(none.clusterMembers("MEMBERS", 2)).isEqualTo(1);
        assertThatThrownBy(() -> none.clusterMembers("MEMBERS", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("MEMBERS must be at least 1");
    }

    @Test
    void aCountWithinTheLimitIsReturnedAsItIs() {
        assertThat(binder().count("MAX_COUNT", 100_000_000L, 4, 4)).isEqualTo(100_000_000L);
        assertThat(printed()).isEmpty();
    }

    @Test
    void aCountBeyondTheLimitIsCappedToARoundNumberThatFits() {
        // Four counts share one CPU: each may count to 60 s x 1e9 / 4 = 15 billion, rounded down to 10 billion.
        long count = binder().count("MAX_COUNT", 1_000_000_000_000L, 4, 4);

        assertThat(count).isEqualTo(10_000_000_000L);
        assertThat(binder().estimate(count, 4, 4)).isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(printed()).startsWith("MAX_COUNT = 1,000,000,000,000 is too far").contains("about 67 min")
                .contains("set MAX_COUNT to 10,000,000,000 or less");
    }

    @Test
    void anEstimateCountsRoundsOfWorkersAndCpusShared() {
        Budget fourCpus = new Budget(4, 8 * GIB, 4 * GIB, new double[] {48, 1}, 16, 1e9, Duration.ofMinutes(1), System.out);

        assertThat(fourCpus.estimate(1_000_000_000L, 4, 4)).isEqualTo(Duration.ofSeconds(1));    // one round, in parallel
        assertThat(fourCpus.estimate(1_000_000_000L, 5, 4)).isEqualTo(Duration.ofSeconds(2));    // two rounds
        assertThat(fourCpus.estimate(1_000_000_000L, 8, 8)).isEqualTo(Duration.ofSeconds(2));    // eight share four CPUs
        assertThat(fourCpus.estimate(1_000_000_000L, 3, 1)).isEqualTo(Duration.ofSeconds(3));    // one after another
    }

    @Test
    void roundNumbersAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(Budget.roundDown(0.5)).isEqualTo(1);
        assertThat(Budget.roundDown(1_999)).isEqualTo(1_000);
        assertThat(Budget.roundDown(4_999)).isEqualTo(2_000);
        assertThat(Budget.roundDown(73_000)).isEqualTo(50_000);
    }

    @Test
    void measuringStartsOneChildJvmAndFindsItSmallerThanAGigabyte() {
        Budget here = Budget.measure();

        assertThat(here.childJvmMegabytes()).isBetween(10.0, 1024.0);
        assertThat(here.countsPerSecond()).isPositive();
        assertThat(here.maxChildJvms()).isBetween(1, 64);
    }

    @Test
    void aValueInItsRangeIsKeptSilently() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(printed, true));
        try {
            assertThat(Budget.inRange("NUM_CONSUMERS", 2, 1, 1_000, "why")).isEqualTo(2);
        } finally {
            System.setOut(saved);
        }
        assertThat(printed.toString()).isEmpty();
    }

    @Test
    void aValueOutsideItsRangeIsBroughtToTheNearerEndWithOneLineNamingIt() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(printed, true));
        try {
            assertThat(Budget.inRange("NUM_CONSUMERS", 100_000, 1, 1_000, "each consumer prints every tick")).isEqualTo(1_000);
            assertThat(Budget.inRange("TICK_MS", -5L, 1L, 10_000L, "a tick")).isEqualTo(1L);
        } finally {
            System.setOut(saved);
        }
        assertThat(printed.toString().lines()).containsExactly(
                "NUM_CONSUMERS = 100,000 is outside what this lesson runs here, 1 to 1,000 (each consumer prints every tick): "
                        + "this run uses 1,000. Set NUM_CONSUMERS within that range to run what you ask.",
                "TICK_MS = -5 is outside what this lesson runs here, 1 to 10,000 (a tick): "
                        + "this run uses 1. Set TICK_MS within that range to run what you ask.");
    }
}
