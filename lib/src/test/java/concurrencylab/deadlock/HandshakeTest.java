package concurrencylab.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void oppositeOrdersDeadlockEveryTime() {
        for (int i = 0; i < 20; i++) {
            TransferRun run = DeadlockDemo.builder(DeadlockDemo.Way.FROM_THEN_TO).hold(Duration.ofSeconds(5)).build().run();
            assertThat(run.deadlock()).as("run %d", i).isPresent();
            assertThat(run.completedTransfers()).isZero();
        }
    }

    @Test
    void oneOrderCompletesWithoutWaitingForTheBound() {
        Handshake handshake = Handshake.once(2, Duration.ofSeconds(30));
        LabLock a = new LabLock("A", handshake), b = new LabLock("B", handshake);
        Runnable ordered = () -> {
            a.lock();
            try {
                b.lock();
                b.unlock();
            } finally {
                a.unlock();
            }
        };
        long start = System.nanoTime();
        Thread one = Thread.ofPlatform().start(ordered), two = Thread.ofPlatform().start(ordered);
        assertThat(joined(one, two)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(handshake.boundReached()).isZero();
    }

    @Test
    void aPartyThatHasEndedCountsAsArrived() throws Exception {
        Handshake handshake = Handshake.once(2, Duration.ofMillis(200));
        LabLock a = new LabLock("A", handshake);
        Thread first = Thread.ofPlatform().start(() -> {
            a.lock();
            a.unlock();
        });
        first.join(Duration.ofSeconds(60));
        Thread second = Thread.ofPlatform().start(() -> {
            a.lock();
            a.unlock();
        });
        second.join(Duration.ofSeconds(60));
        assertThat(first.isAlive() || second.isAlive()).isFalse();
        assertThat(handshake.boundReached()).isEqualTo(1);   // only the first waited, for a party that had not come yet
    }

    @Test
    void aHoldEndsWhenTheHeldThreadIsInterrupted() throws Exception {
        Handshake handshake = Handshake.once(2, Duration.ofSeconds(30));
        LabLock a = new LabLock("A", handshake);
        Thread held = Thread.ofPlatform().start(() -> {
            a.lock();
            a.unlock();
        });
        while (handshake.holds() == 0) {
            Thread.sleep(1);
        }
        held.interrupt();
        held.join(Duration.ofSeconds(5));
        assertThat(held.isAlive()).isFalse();
        assertThat(a.isLocked()).isFalse();
    }

    @Test
    void badArgumentsAreRefusedWithTheirRange() {
        assertThatThrownBy(() -> Handshake.once(0, Duration.ZERO)).hasMessageContaining("between 1 and 1,000 parties");
        assertThatThrownBy(() -> Handshake.inStep(2, Duration.ofMinutes(2))).hasMessageContaining("between 0 and a minute");
    }

    private static boolean joined(Thread... threads) {
        try {
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
