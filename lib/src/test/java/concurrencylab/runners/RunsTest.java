package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class RunsTest {

    private static final Task TASK = Task.count(1_000);

    private static Run run(Strategy strategy, int workers, double wall, double cpu) {
        List<Long> results = java.util.Collections.nCopies(workers, 1_000L);
        List<Span> spans = java.util.stream.IntStream.rangeClosed(1, workers)
                .mapToObj(w -> new Span(w, 0, wall)).toList();
        return new Run(strategy, Run.javaRuntime(), workers, TASK, results, spans, wall, cpu, List.of(), -1, List.of());
    }

    @Test
    void theSpeedUpIsMeasuredAgainstTheSequentialRunOfTheSameWork() {
        Run sequential = run(Strategy.SEQUENTIAL, 2, 400, 400);
        Run threads = run(Strategy.THREADS, 2, 200, 400);

        Runs runs = Runs.of(sequential, threads);

        assertThat(runs.speedUp(threads)).isEqualTo(2.0);
        assertThat(runs.speedUp(run(Strategy.THREADS, 3, 100, 300))).isNaN();
    }

    @Test
    void cpythonProcessesAreMeasuredAgainstTheSequentialRunOfTheSameInterpreter() {
        Run sequential = cpython(Strategy.SEQUENTIAL, "CPython 3.14.0, GIL", 400);
        Run processes = cpython(Strategy.PROCESSES, "CPython 3.14.0, GIL, forkserver", 200);
        Run otherPython = cpython(Strategy.PROCESSES, "CPython 3.13.1, GIL, fork", 100);

        Runs runs = Runs.of(sequential, processes, otherPython);

        assertThat(runs.speedUp(processes)).isEqualTo(2.0);
        assertThat(runs.speedUp(otherPython)).isNaN();
    }

    private static Run cpython(Strategy strategy, String runtime, double wall) {
        return new Run(strategy, runtime, 2, TASK, List.of(1_000L, 1_000L), List.of(new Span(1, 0, wall), new Span(2, 0, wall)),
                wall, wall, List.of(), -1, List.of());
    }

    @Test
    void theTableHasOneRowPerRunWithWallCpuAndSpeedUp() {
        Table table = Runs.of(run(Strategy.SEQUENTIAL, 2, 400, 400), run(Strategy.THREADS, 2, 200, 390)).table();

        assertThat(table.rowCount()).isEqualTo(2);
        assertThat(table.columnNames()).containsExactly("strategy", "runtime", "workers", "task", "wall ms", "CPU ms",
                "CPU / wall", "speed-up", "JVM start ms");
        assertThat(table.stringColumn("strategy").asList()).containsExactly("sequential", "threads");
        assertThat(table.doubleColumn("speed-up").get(1)).isEqualTo(2.0);
        assertThat(table.doubleColumn("CPU / wall").get(1)).isEqualTo(1.95);
    }

    @Test
    void theCsvHoldsAHeaderAndOneLinePerRun(@TempDir Path folder) throws Exception {
        Path csv = Runs.of(run(Strategy.THREADS, 4, 100, 380)).writeCsv(folder.resolve("out/runs.csv"));

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("strategy,runtime,workers,task,wall ms,CPU ms");
        assertThat(lines.get(1)).startsWith("threads,Java ");
    }

    @Test
    void theChartHasAWallAndACpuBarForEachRun() {
        CategoryPlot plot = Runs.of(run(Strategy.SEQUENTIAL, 2, 400, 400), run(Strategy.THREADS, 2, 200, 390))
                .chart().getCategoryPlot();

        assertThat(plot.getDataset().getRowKeys()).containsExactly("wall time", "CPU time");
        assertThat(plot.getDataset().getColumnCount()).isEqualTo(2);
        assertThat(plot.getDataset().getValue("CPU time", plot.getDataset().getColumnKey(1))).isEqualTo(390.0);
    }

    @Test
    void aRunsTimelineHasOneBarPerWorker() {
        XYPlot plot = Runner.run(Strategy.THREADS, 3, TASK).timelineChart().getXYPlot();

        assertThat(plot.getDataset().getSeriesCount()).isEqualTo(3);
        assertThat(plot.getDataset().getSeriesKey(2)).isEqualTo("worker 3");
    }

    @Test
    void underTheGilTheTimelineShowsEachTurnHoldingTheLock() {
        Run run = Runner.run(Strategy.GIL_THREADS, 2, Task.count(2_000_000_000L));

        assertThat(run.gilSlices()).hasSizeGreaterThan(2);
        assertThat(run.gilSlices()).extracting(Span::worker).contains(1, 2);
        // Turns never overlap: one holder at a time.
        List<Span> sorted = run.gilSlices().stream().sorted(java.util.Comparator.comparingDouble(Span::startMillis)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).startMillis()).isGreaterThanOrEqualTo(sorted.get(i - 1).endMillis());
        }
    }

    @Test
    void aSweepRunsEveryWorkerCountAndKnowsTheIdeal() {
        Scaling scaling = Scaling.sweep(Strategy.THREADS, Task.count(2_000_000), 3);

        assertThat(scaling.runs()).extracting(Run::workers).containsExactly(1, 2, 3);
        assertThat(scaling.oneWorkerMillis()).isPositive();
        assertThat(scaling.table().rowCount()).isEqualTo(3);
        assertThat(scaling.chart().getXYPlot().getDataset().getSeriesCount()).isEqualTo(2);
    }

    @Test
    void theIdealSpeedUpGrowsWithWorkersUntilTheCpusRunOut() {
        Scaling twoCpus = new Scaling(Strategy.THREADS, TASK, 2, 100, List.of(run(Strategy.THREADS, 1, 100, 100)));

        assertThat(twoCpus.ideal(1)).isEqualTo(1.0);
        assertThat(twoCpus.ideal(2)).isEqualTo(2.0);
        assertThat(twoCpus.ideal(3)).isEqualTo(2.0);
        assertThat(twoCpus.ideal(8)).isEqualTo(2.0);
    }

    @Test
    void aSweepBeyondTheStrategysLimitIsRejectedBeforeItStarts() {
        assertThatThrownBy(() -> Scaling.sweep(Strategy.THREADS, TASK, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxWorkers must be between 1 and 1024 (got 0)");
    }

    @Test
    void aSmallSweepTriesEveryWorkerCount() {
        assertThat(Scaling.workerCounts(1, 1)).containsExactly(1);
        assertThat(Scaling.workerCounts(4, 2)).containsExactly(1, 2, 3, 4);
        assertThat(Scaling.workerCounts(8, 64)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aBigSweepDoublesAndStillVisitsTheCpuCountAndTheEnd() {
        assertThat(Scaling.workerCounts(96, 48)).containsExactly(1, 2, 4, 8, 16, 32, 48, 64, 96);
        assertThat(Scaling.workerCounts(12, 6)).containsExactly(1, 2, 4, 6, 8, 12);
        assertThat(Scaling.workerCounts(1024, 2048)).hasSize(11).endsWith(512, 1024);
    }

    @Test
    void theDashedLineIsLabelledAsAnUpperBound() {
        Scaling twoCpus = new Scaling(Strategy.THREADS, TASK, 2, 100, List.of(run(Strategy.THREADS, 1, 100, 100)));

        assertThat(twoCpus.chart().getXYPlot().getDataset().getSeriesKey(1))
                .isEqualTo("ideal (upper bound): min(workers, 2 hardware threads)");
        assertThat(twoCpus.table().columnNames()).contains("upper bound");
    }
}
