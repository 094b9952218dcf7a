package concurrencylab.amdahl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AmdahlTest {

    @Test
    void withNoSerialPartTheSpeedUpIsTheNumberOfWorkers() {
        assertThat(Amdahl.speedUp(0, 8)).isEqualTo(8.0);
    }

    @Test
    void withAllOfItSerialMoreWorkersGiveNothing() {
        assertThat(Amdahl.speedUp(1, 8)).isEqualTo(1.0);
    }

    @Test
    void theSpeedUpApproachesOneOverTheSerialFractionAndNeverPassesIt() {
        assertThat(Amdahl.speedUp(0.1, 4)).isCloseTo(1 / 0.325, within(1e-12));
        assertThat(Amdahl.speedUp(0.1, 1e9)).isLessThan(Amdahl.limit(0.1)).isCloseTo(10, within(1e-6));
    }

    @Test
    void gustafsonsScaledSpeedUpGrowsInAStraightLine() {
        assertThat(Amdahl.scaledSpeedUp(0.1, 1)).isCloseTo(1, within(1e-12));
        assertThat(Amdahl.scaledSpeedUp(0.1, 4)).isCloseTo(3.7, within(1e-12));
        assertThat(Amdahl.scaledSpeedUp(0.1, 100)).isCloseTo(90.1, within(1e-9));
    }

    @Test
    void theImpliedSerialFractionGivesBackTheFractionOfAnAmdahlSpeedUp() {
        assertThat(Amdahl.impliedSerialFraction(Amdahl.speedUp(0.2, 4), 4)).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void aFractionOutsideZeroToOneIsRefusedWithWhatItMeans() {
        assertThatThrownBy(() -> Amdahl.speedUp(1.5, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1").hasMessageContaining("share of one worker's time");
        assertThatThrownBy(() -> Amdahl.speedUp(Double.NaN, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amdahl.speedUp(0.1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers must be at least 1");
    }
}
