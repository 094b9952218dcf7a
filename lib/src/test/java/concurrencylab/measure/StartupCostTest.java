package concurrencylab.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StartupCostTest {

    @Test
    void measuresAPositiveMedianForEachKindOfWorker() {
        StartupCost cost = StartupCost.measure(20, 1);

        assertThat(cost.platformThreadMicros()).isPositive();
        assertThat(cost.virtualThreadMicros()).isPositive();
        assertThat(cost.jvmMicros()).isPositive();
        assertThat(cost.table().rowCount()).isEqualTo(3);
        assertThat(cost.chart().getTitle().getText()).isEqualTo("Starting one worker and waiting for it");
    }

    @Test
    void zeroThreadSamplesIsRejectedBeforeAnythingStarts() {
        assertThatThrownBy(() -> StartupCost.measure(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("threadSamples must be between 1 and 100,000 (got 0)");
    }

    @Test
    void tooManyJvmsIsRejectedWithTheLimit() {
        assertThatThrownBy(() -> StartupCost.measure(10, 21))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jvmSamples must be between 1 and 20 (got 21)");
    }

    @Test
    void interruptingTheCallerStopsTheMeasurementAndLeavesNoChildJvm() throws Exception {
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            caller.set(Thread.currentThread());
            try {
                StartupCost.measure(1, 20);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Thread.sleep(300); // inside the JVM starts by now
        thread.interrupt();

        Throwable thrown = outcome.get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(thread.join(Duration.ofSeconds(1))).isTrue();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(StartupCost.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(StartupCost.median(new double[] {5, 1, 3})).isEqualTo(3);
    }
}
