package concurrencylab.deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeadlockDemoTest {

    @Test
    void fromThenToDeadlocksIsStoppedAndLeavesNoThread() {
        TransferRun run = DeadlockDemo.builder(DeadlockDemo.Way.FROM_THEN_TO).build().run();
        assertThat(run.deadlock()).isPresent();
        assertThat(run.finished()).isFalse();
        assertThat(run.threadsLeft()).isEmpty();
        assertThat(run.balancesRight()).isTrue();
        assertThat(run.toDisplay()).isInstanceOf(java.awt.image.BufferedImage.class);
    }

    @Test
    void aRingOfFiveThreadsDeadlocksInACycleOfFive() {
        TransferRun run = DeadlockDemo.builder(DeadlockDemo.Way.FROM_THEN_TO).threads(5).build().run();
        assertThat(run.deadlock().orElseThrow().cycle()).hasSize(5);
        assertThat(run.threadsLeft()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = DeadlockDemo.Way.class, names = {"ONE_ORDER", "TRY_LOCK_RANDOM_BACKOFF", "TRY_LOCK_FIXED_BACKOFF"})
    void theFixesCompleteEveryTransferWithTheBalancesRight(DeadlockDemo.Way way) {
        TransferRun run = DeadlockDemo.builder(way).threads(3).transfers(2_000).giveUp(Duration.ofMinutes(2)).build().run();
        assertThat(run.finished()).isTrue();
        assertThat(run.completedTransfers()).isEqualTo(6_000);
        assertThat(run.balancesRight()).isTrue();
        assertThat(run.deadlock()).isEmpty();
    }

    @Test
    void randomBackOffInStepCompletes() {
        TransferRun run = DeadlockDemo.builder(DeadlockDemo.Way.TRY_LOCK_RANDOM_BACKOFF).transfers(5).inStep(true)
                .backoff(Duration.ofMillis(20)).giveUp(Duration.ofMinutes(2)).build().run();
        assertThat(run.finished()).isTrue();
        assertThat(run.retries()).isPositive();
    }

    @Test
    void interruptingTheCallerStopsTheRunWithinASecondAndLeavesNoThreadBehind() throws Exception {
        Set<String> before = liveThreadNames();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("demo-caller").start(() -> {
            try {
                // fixed back-off in step: a livelock, given ten minutes
                DeadlockDemo.builder(DeadlockDemo.Way.TRY_LOCK_FIXED_BACKOFF).threads(4).transfers(1_000).inStep(true)
                        .backoff(Duration.ofMillis(20)).giveUp(Duration.ofMinutes(10)).build().run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        Set<String> after = liveThreadNames();
        after.removeAll(before);
        assertThat(after).isEmpty();
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void badParametersGetOneClearMessageEach() {
        assertThatThrownBy(() -> DeadlockDemo.builder(DeadlockDemo.Way.ONE_ORDER).threads(1)).hasMessageContaining("threads must be between 2 and 16");
        assertThatThrownBy(() -> DeadlockDemo.builder(DeadlockDemo.Way.ONE_ORDER).transfers(0)).hasMessageContaining("transfers must be between 1");
        assertThatThrownBy(() -> DeadlockDemo.builder(DeadlockDemo.Way.ONE_ORDER).giveUp(Duration.ZERO)).hasMessageContaining("giveUp must be between");
        assertThatThrownBy(() -> DeadlockDemo.builder(DeadlockDemo.Way.ONE_ORDER).backoff(Duration.ofHours(1))).hasMessageContaining("backoff must be between");
    }

    @Test
    void runsSideBySideDrawBothCharts() {
        TransferRun stuck = DeadlockDemo.builder(DeadlockDemo.Way.FROM_THEN_TO).build().run();
        TransferRun ordered = DeadlockDemo.builder(DeadlockDemo.Way.ONE_ORDER).build().run();
        TransferRuns runs = TransferRuns.of(stuck, ordered);
        assertThat(runs.completionChart().getCategoryPlot().getDataset().getColumnCount()).isEqualTo(2);
        assertThat(runs.retriesChart()).isNotNull();
        assertThat(runs.toString()).contains("from, then to").contains("one global order");
    }
}
