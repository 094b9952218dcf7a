package concurrencylab.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class RaceTest {

    static final class Racy implements Tally {
        private long total;
        public void add(LongSupplier amount) { total += amount.getAsLong(); }
        public long total() { return total; }
    }

    static final class Locked implements Tally {
        private long total;
        public synchronized void add(LongSupplier amount) { total += amount.getAsLong(); }
        public synchronized long total() { return total; }
    }

    static final class Atomic implements Tally {
        private final AtomicLong total = new AtomicLong();
        public void add(LongSupplier amount) { total.addAndGet(amount.getAsLong()); }
        public long total() { return total.get(); }
    }

    @Test
    void aLockedTallyIsExactWhenEveryAmountYields() {
        Race.RaceRun run = Race.runYielding(new Locked(), 4, 2_000);

        assertThat(run.exact()).isTrue();
        assertThat(run.total()).isEqualTo(8_000);
    }

    @Test
    void anAtomicTallyIsExactWithoutYielding() {
        assertThat(Race.run(new Atomic(), 3, 50_000).exact()).isTrue();
    }

    @Test
    void aReadCallWriteTallyLosesAddsWhenEveryAmountYields() {
        // Between the read and the write, every amount lets the other threads run: on one CPU as on many.
        Race.RaceRun run = Race.runYielding(new Racy(), 4, 2_000);

        assertThat(run.lost()).isPositive();
        assertThat(run.toString()).contains("lost");
    }

    @Test
    void anExceptionFromAddEndsTheRaceAndIsRethrown() {
        Tally failing = new Tally() {
            public void add(LongSupplier amount) { throw new IllegalStateException("no adding today"); }
            public long total() { return 0; }
        };

        assertThatThrownBy(() -> Race.run(failing, 2, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no adding today");
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> Race.run(new Racy(), 0, 1)).hasMessageContaining("threads must be from 1");
        assertThatThrownBy(() -> Race.run(new Racy(), 1, 0)).hasMessageContaining("adds per thread must be from 1");
    }

    @Test
    void interruptingTheCallerStopsTheAddingThreadsWithinASecond() throws Exception {
        Set<String> before = CountersTest.liveThreadNames();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                Race.runYielding(new Locked(), 4, Race.MAX_ADDS);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class).hasMessageNotContaining("except");
        assertThat(CountersTest.liveThreadNames()).filteredOn(n -> n.startsWith("tally-")).isSubsetOf(before);
    }

    @Test
    void anInterruptedRaceWhoseAddNeverReturnsSaysSoWithinASecondOrTwo() throws Exception {
        ReentrantLock neverReleased = new ReentrantLock();
        Tally stuck = new Tally() {
            public void add(LongSupplier amount) { neverReleased.lock(); }   // the second add of anyone blocks for good
            public long total() { return 0; }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                Race.run(stuck, 3, 10);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(failure.get()).isInstanceOf(CancellationException.class).hasMessageContaining("never returned from add");
    }
}
