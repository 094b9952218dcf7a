package concurrencylab.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LabLockTest {

    @Test
    void aThreadWaitingInLockEndsWhenInterruptedAndKeepsItsInterruptStatus() throws Exception {
        LabLock lock = new LabLock("Alex's lock");
        lock.lock();
        try {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    lock.lock();
                } catch (Throwable t) {
                    thrown.set(t);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            while (!lock.hasQueuedThread(waiter)) {
                Thread.sleep(1);
            }
            waiter.interrupt();
            waiter.join(Duration.ofSeconds(5));
            assertThat(waiter.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(CancellationException.class).hasMessageContaining("Alex's lock");
            assertThat(stillInterrupted.get()).isTrue();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void tryLockInAnInterruptedThreadThrowsInsteadOfTrying() {
        LabLock lock = new LabLock("Sam's lock");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(lock::tryLock).isInstanceOf(CancellationException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void afterTheHandshakeIsCancelledLocksRefuseToBeTakenButTheOwnerCanStillRelease() {
        Handshake handshake = Handshake.once(1, Duration.ZERO);
        LabLock lock = new LabLock("Alex's lock", handshake);
        lock.lock();
        handshake.cancel();
        assertThatThrownBy(lock::lock).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> lock.tryLock(1, java.util.concurrent.TimeUnit.MILLISECONDS)).isInstanceOf(CancellationException.class);
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void itRemembersItsOwnerAndEachThreadsFailedTries() throws Exception {
        LabLock lock = new LabLock("Alex's lock");
        lock.lock();
        try {
            Thread other = Thread.ofPlatform().start(() -> {
                lock.tryLock();
                lock.tryLock();
            });
            other.join();
            assertThat(lock.owner()).contains(Thread.currentThread());
            assertThat(lock.failedTries(other)).isEqualTo(2);
            assertThat(lock.toString()).contains("Alex's lock").contains("held by " + Thread.currentThread().getName());
        } finally {
            lock.unlock();
        }
        assertThat(lock.owner()).isEmpty();
    }

    @Test
    void aBlankNameIsRefused() {
        assertThatThrownBy(() -> new LabLock(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a name");
    }
}
