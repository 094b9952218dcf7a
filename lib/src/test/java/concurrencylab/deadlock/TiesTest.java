package concurrencylab.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TiesTest {

    @Test
    void twoDistinctObjectsWithTheSameIdentityHashCodeTurnUp() {
        Ties.Tie<Object> tie = Ties.sameIdentityHash(Object::new, Ties.MAX_LIMIT).orElseThrow();
        assertThat(tie.first()).isNotSameAs(tie.second());
        assertThat(System.identityHashCode(tie.first())).isEqualTo(System.identityHashCode(tie.second()));
        assertThat(tie.made()).isLessThanOrEqualTo(Ties.MAX_LIMIT);
    }

    @Test
    void aLimitOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Ties.sameIdentityHash(Object::new, 1)).hasMessageContaining("between 2 and");
    }
}
