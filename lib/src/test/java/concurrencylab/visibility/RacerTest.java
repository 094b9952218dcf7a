package concurrencylab.visibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RacerTest {

    @Test
    void everyRoundIsCountedOnce() {
        Outcomes seen = Racer.publication(Racer.Publish.PLAIN, 100_000, Duration.ofSeconds(30));
        assertThat(seen.rounds()).isEqualTo(100_000);
        assertThat(seen.outcomes().stream().mapToLong(Outcomes.Outcome::count).sum()).isEqualTo(100_000);
        assertThat(seen.stopped()).isNull();
    }

    @Test
    void aPartialLastBatchIsCountedToo() {
        Outcomes seen = Racer.storeBuffering(Racer.Fields.PLAIN, Racer.BATCH + 7, Duration.ofSeconds(30));
        assertThat(seen.rounds()).isEqualTo(Racer.BATCH + 7);
    }

    @Test
    void volatileStoreBufferingNeverEndsZeroZero() {
        Outcomes seen = Racer.storeBuffering(Racer.Fields.VOLATILE, 2_000_000, Duration.ofSeconds(30));
        assertThat(seen.count("0, 0")).isZero();
        assertThat(seen.forbidden()).isZero();
    }

    @Test
    void finalFieldsAreNeverSeenHalfBuilt() {
        Outcomes seen = Racer.publication(Racer.Publish.FINAL, 2_000_000, Duration.ofSeconds(30));
        assertThat(seen.count("some field 0")).isZero();
    }

    @Test
    void aHalfBuiltConfigIsInterestingForPlainFieldsAndForbiddenForFinalOnes() {
        assertThat(Racer.publication(Racer.Publish.PLAIN, 1, Duration.ofSeconds(5)).outcomes().get(2).expect())
                .isEqualTo(Outcomes.Expect.ACCEPTABLE_INTERESTING);
        assertThat(Racer.publication(Racer.Publish.FINAL, 1, Duration.ofSeconds(5)).outcomes().get(2).expect())
                .isEqualTo(Outcomes.Expect.FORBIDDEN);
    }

    @Test
    void theTimeLimitStopsItAndSaysSo() {
        Outcomes seen = Racer.publication(Racer.Publish.PLAIN, Racer.MAX_ROUNDS, Duration.ofMillis(200));
        assertThat(seen.rounds()).isLessThan(Racer.MAX_ROUNDS);
        assertThat(seen.stopped()).isEqualTo("the time limit");
        assertThat(liveThreadNames()).doesNotContain("racer-writer");
    }

    @Test
    void anInterruptStopsItWithinASecondLeavesNoThreadAndKeepsTheInterruptStatus() throws Exception {
        Set<String> before = liveThreadNames();
        AtomicReference<Outcomes> result = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            result.set(Racer.storeBuffering(Racer.Fields.PLAIN, Racer.MAX_ROUNDS, Duration.ofMinutes(5)));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        }, "racer-caller");
        caller.start();
        Thread.sleep(300);
        long interrupted = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat((System.nanoTime() - interrupted) / 1_000_000).isLessThan(1_000);
        assertThat(result.get().stopped()).isEqualTo("an interrupt");
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(liveThreadNames()).isSubsetOf(before);
    }

    @Test
    void roundsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> Racer.publication(Racer.Publish.PLAIN, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
        assertThatThrownBy(() -> Racer.storeBuffering(Racer.Fields.PLAIN, 10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time limit");
    }

    static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
