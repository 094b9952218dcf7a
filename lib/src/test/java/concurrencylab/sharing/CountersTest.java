package concurrencylab.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CountersTest {

    @ParameterizedTest
    @EnumSource(value = CounterKind.class, names = "RACY", mode = EnumSource.Mode.EXCLUDE)
    void everyExactKindCountsEveryIncrementOnFourThreads(CounterKind kind) {
        CounterRun run = Counters.run(kind, 4, 3L * Counters.CHUNK + 11);

        assertThat(run.total()).isEqualTo(4 * (3L * Counters.CHUNK + 11));
        assertThat(run.lost()).isZero();
    }

    @Test
    void theRacyCounterNeverCountsMoreThanItWasGivenNorLessThanOneThreadsWorth() {
        CounterRun run = Counters.run(CounterKind.RACY, 4, 200_000);

        assertThat(run.total()).isBetween(1L, 800_000L);
        assertThat(run.lost()).isEqualTo(800_000L - run.total());
    }

    @Test
    void oneThreadLosesNothingEvenWhenRacy() {
        assertThat(Counters.run(CounterKind.RACY, 1, 100_000).lost()).isZero();
    }

    @Test
    void theLostUpdateExperimentRunsTheRacyCounterAtEachThreadCount() {
        CounterRuns runs = Counters.lostUpdates(List.of(1, 2, 3), 10_000);

        assertThat(runs.runs()).extracting(CounterRun::threads).containsExactly(1, 2, 3);
        assertThat(runs.runs()).allMatch(r -> r.kind() == CounterKind.RACY);
        assertThat(runs.toDisplay()).isInstanceOf(org.jfree.chart.JFreeChart.class);
    }

    @Test
    void theContentionExperimentMeasuresEveryKindAtEveryThreadCount() {
        CounterRuns runs = Counters.contention(List.of(CounterKind.ATOMIC_LONG, CounterKind.PER_THREAD), List.of(1, 2), 10_000, 2);

        assertThat(runs.runs()).hasSize(4);
        assertThat(runs.find(CounterKind.PER_THREAD, 2)).isPresent();
        assertThat(runs.runs()).noneMatch(CounterRun::firstCall);
        assertThat(runs.throughputChart().getXYPlot().getRangeAxis()).isInstanceOf(org.jfree.chart.axis.LogAxis.class);
    }

    @Test
    void threadCountsGoUpByOneToEightThenDoubleAndEndAtTheMost() {
        assertThat(Counters.threadCounts(4)).containsExactly(1, 2, 3, 4);
        assertThat(Counters.threadCounts(1)).containsExactly(1);
        assertThat(Counters.threadCounts(96)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64, 96);
    }

    @Test
    void badParametersAreRefusedWithOneMessageEach() {
        assertThatThrownBy(() -> Counters.run(CounterKind.RACY, 0, 10)).hasMessageContaining("threads must be from 1");
        assertThatThrownBy(() -> Counters.run(CounterKind.RACY, 2, 0)).hasMessageContaining("increments per thread must be at least 1");
        assertThatThrownBy(() -> Counters.run(CounterKind.RACY, 2, Long.MAX_VALUE)).hasMessageContaining("must fit in a long");
        assertThatThrownBy(() -> Counters.threadCounts(0)).hasMessageContaining("from 1 to");
        assertThatThrownBy(() -> CounterKind.fromName("volatile")).hasMessageContaining("use racy, synchronized");
    }

    @Test
    void kindsAreFoundByTheirNamesAndLabels() {
        assertThat(CounterKind.fromName("atomic-long")).isEqualTo(CounterKind.ATOMIC_LONG);
        assertThat(CounterKind.fromName("LongAdder")).isEqualTo(CounterKind.LONG_ADDER);
        assertThat(CounterKind.fromName("per_thread")).isEqualTo(CounterKind.PER_THREAD);
    }

    @ParameterizedTest
    @EnumSource(value = CounterKind.class, names = {"RACY", "SYNCHRONIZED", "REENTRANT_LOCK"})
    void interruptingTheCallerStopsEveryCountingThreadWithinASecond(CounterKind kind) throws Exception {
        Set<String> before = liveThreadNames();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                Counters.run(kind, 4, 1_000_000_000_000L);    // hours of counting, if nothing stopped it
            } catch (Throwable e) {
                failure.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class);
        assertThat(flagKept.get()).isTrue();
        assertThat(liveThreadNames()).filteredOn(n -> n.startsWith("counter-")).isSubsetOf(before);
    }

    static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
