package concurrencylab.visibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import concurrencylab.visibility.Outcomes.Expect;
import concurrencylab.visibility.Outcomes.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OutcomesTest {

    private static Outcomes sample(long zeroZero) {
        return new Outcomes("store buffering", "plain fields", List.of(
                new Outcome("0, 0", Expect.ACCEPTABLE_INTERESTING, "reordered", zeroZero),
                new Outcome("1, 0", Expect.ACCEPTABLE, "in order", 10)), 10 + zeroZero, Duration.ofMillis(5), 2, null);
    }

    @Test
    void countsThatDoNotAddUpToTheRoundsAreRefused() {
        assertThatThrownBy(() -> new Outcomes("t", "v", List.of(new Outcome("a", Expect.ACCEPTABLE, "m", 3)), 4,
                Duration.ZERO, 1, null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("4 rounds");
    }

    @Test
    void countNamesAnOutcome() {
        assertThat(sample(3).count("0, 0")).isEqualTo(3);
        assertThatThrownBy(() -> sample(3).count("9, 9")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interestingAddsTheReorderingsSeen() {
        assertThat(sample(3).interesting()).isEqualTo(3);
        assertThat(sample(3).forbidden()).isZero();
    }

    @Test
    void toStringIsOneLineWithEachCount() {
        assertThat(sample(3).toString()).doesNotContain("\n").contains("[0, 0] 3").contains("[1, 0] 10").contains("13 rounds");
    }

    @Test
    void theTableShowsAnInterestingOutcomeThatWasSeenInBold() {
        assertThat(Outcomes.table(List.of(sample(3))).html()).contains("<b>3</b>").contains("ACCEPTABLE_INTERESTING");
        assertThat(Outcomes.table(List.of(sample(0))).html()).doesNotContain("<b>0</b>");
    }
}
