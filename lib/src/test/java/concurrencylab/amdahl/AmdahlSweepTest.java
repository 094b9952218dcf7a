package concurrencylab.amdahl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmdahlSweepTest {

    /**
     * Live threads by name, less the JDK's shared ones that the first child process brings and
     * that idle out by themselves: the "process reaper" and the common ForkJoinPool's workers.
     */
    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> !n.equals("process reaper") && !n.startsWith("ForkJoinPool.commonPool-worker-"))
                .collect(Collectors.toSet());
    }

    @Test
    void aSharedLockSweepHasOnePointPerWorkerCountAndASerialFractionBetweenZeroAndOne() {
        AmdahlSweep sweep = AmdahlSweep.sharedLock(40_000_000, 50, 3);

        assertThat(sweep.points()).extracting(AmdahlSweep.Point::workers).containsExactly(1, 2, 3);
        assertThat(sweep.serialFraction()).isBetween(0.0, 1.0);
        assertThat(sweep.points().get(0).speedUp()).isEqualTo(1.0);
        assertThat(sweep.lockBound()).isTrue();
        assertThat(sweep.firstCallMillis()).isPositive();
    }

    @Test
    void withNothingUnderTheLockTheLockIsHeldForNoWork() {
        AmdahlSweep sweep = AmdahlSweep.sharedLock(10_000_000, 0, 1);

        assertThat(sweep.serialPart()).contains("0 % of each item");
        assertThat(sweep.serialFraction()).isLessThan(0.5);
    }

    @Test
    void aChildJvmSweepMeasuresStartUpAndMergeAsItsSerialPart() {
        AmdahlSweep sweep = AmdahlSweep.childJvms(10_000_000, 2);

        assertThat(sweep.points()).extracting(AmdahlSweep.Point::workers).containsExactly(1, 2);
        assertThat(sweep.points()).allSatisfy(p -> assertThat(p.serialMillis()).isPositive().isLessThan(p.wallMillis()));
        assertThat(sweep.serialFraction()).isBetween(0.0, 1.0);
        assertThat(sweep.serialPart()).contains("JVM start-up").contains("merge");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aScaledSweepComparesNWorkersWithOneDoingAllTheShares() {
        AmdahlSweep sweep = AmdahlSweep.scaledChildJvms(5_000_000, 2);

        assertThat(sweep.law()).isEqualTo(AmdahlSweep.Law.GUSTAFSON);
        assertThat(sweep.points().get(1).baselineMillis()).isNotEqualTo(sweep.points().get(0).baselineMillis());
        assertThat(sweep.predicted(2)).isEqualTo(Amdahl.scaledSpeedUp(sweep.serialFraction(), 2));
    }

    @Test
    void badParametersAreRefusedBeforeAnythingStarts() {
        Set<String> before = liveThreadNames();
        assertThatThrownBy(() -> AmdahlSweep.sharedLock(20_000_000, 101, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lockedPercent must be between 0 and 100");
        assertThatThrownBy(() -> AmdahlSweep.sharedLock(20_000_000, 50, 1_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxWorkers must be between 1 and 256");
        assertThatThrownBy(() -> AmdahlSweep.sharedLock(1_000, 50, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("totalCount must be between 20,000,000");
        assertThatThrownBy(() -> AmdahlSweep.childJvms(10, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("totalCount must be between 1,000,000");
        assertThatThrownBy(() -> AmdahlSweep.childJvms(10_000_000, 10_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmdahlSweep.scaledChildJvms(Long.MAX_VALUE / 2, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(liveThreadNames()).isSubsetOf(before);
        assertThat(ProcessHandle.current().children()).isEmpty();
    }

    private static Throwable interruptAfter(Duration delay, Supplier<AmdahlSweep> sweep) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().name("amdahl-test-caller").start(() -> {
            try {
                sweep.get();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Thread.sleep(delay.toMillis());
        long interruptedAt = System.nanoTime();
        caller.interrupt();
        Throwable thrown = outcome.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(caller.join(Duration.ofSeconds(1))).isTrue();
        return thrown;
    }

    @Test
    void interruptingASharedLockSweepStopsEveryThreadItStartedWithinASecond() throws Exception {
        Set<String> before = liveThreadNames();

        Throwable thrown = interruptAfter(Duration.ofMillis(300),
                () -> AmdahlSweep.sharedLock(1_000_000_000_000L, 50, 4));

        assertThat(thrown).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(liveThreadNames()).isSubsetOf(before);
    }

    @Test
    void interruptingAChildJvmSweepStopsEveryChildWithinASecond() throws Exception {
        Set<String> before = liveThreadNames();

        Throwable thrown = interruptAfter(Duration.ofMillis(800), () -> AmdahlSweep.childJvms(1_000_000_000_000L, 2));

        assertThat(thrown).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
        // The runner's output readers are daemon threads that end with their pipes; give them their second.
        Thread.sleep(200);
        assertThat(liveThreadNames()).isSubsetOf(before);
    }

    @Test
    void itPrintsOneLineAndDrawsAChartWithTheLawTheIdealAndTheCpuLimit() {
        AmdahlSweep sweep = AmdahlSweep.sharedLock(20_000_000, 50, 2);

        assertThat(sweep.toString()).doesNotContain("\n").contains("s = ").contains("Amdahl predicts").contains("first call");
        var plot = (org.jfree.chart.plot.XYPlot) sweep.chart().getPlot();
        List<String> names = ((org.jfree.data.xy.XYSeriesCollection) plot.getDataset()).getSeries().stream()
                .map(s -> ((org.jfree.data.xy.XYSeries) s).getKey().toString()).toList();
        assertThat(names).hasSize(5).first().isEqualTo("measured");
        assertThat(names).anyMatch(n -> n.startsWith("Amdahl's law, s = ")).anyMatch(n -> n.startsWith("ideal"))
                .anyMatch(n -> n.startsWith("CPU limit")).anyMatch(n -> n.contains("min(n, 1/s)"));
        assertThat(sweep.toDisplay()).isInstanceOf(org.jfree.chart.JFreeChart.class);
        assertThat(sweep.table().rowCount()).isEqualTo(2);
    }

    @Test
    void aSweepMeasuredElsewhereSaysSoInItsChartAndTable() {
        AmdahlSweep sweep = AmdahlSweep.sharedLock(10_000_000, 50, 1).measuredOn("a test machine, 2026-01-01");

        assertThat(sweep.chart().getTitle().getText()).startsWith("Reference, not this machine");
        assertThat(sweep.table().name()).contains("a test machine, 2026-01-01");
        assertThat(sweep.toString()).startsWith("reference, measured on a test machine");
    }

    @Test
    void aReferenceReadsBackAsWrittenLabelledWithItsMachineAndDate(@TempDir Path folder) {
        AmdahlSweep lock = AmdahlSweep.sharedLock(20_000_000, 50, 2);
        AmdahlReference written = new AmdahlReference("a test machine", "2026-01-01", lock, lock, lock);

        AmdahlReference read = AmdahlReference.load(written.write(folder.resolve("a.json")));

        assertThat(read.sharedLock().points()).isEqualTo(lock.points());
        assertThat(read.sharedLock().serialFraction()).isEqualTo(lock.serialFraction());
        assertThat(read.sweeps()).allSatisfy(s -> assertThat(s.source()).isEqualTo("a test machine, 2026-01-01"));
    }

    @Test
    void theShippedReferenceHoldsAllThreeSweepsFromOneToTwiceItsCpus() {
        AmdahlReference reference = AmdahlReference.load();

        assertThat(reference.machine()).contains("CPU");
        assertThat(reference.date()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(reference.sweeps()).allSatisfy(s -> {
            assertThat(s.cpus()).isGreaterThan(1);
            assertThat(s.points().get(s.points().size() - 1).workers()).isEqualTo(2 * s.cpus());
            assertThat(s.source()).contains(reference.date());
        });
    }
}
