package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;

class PoolRunsTest {

    private static PoolRun run(String runtime, String kind, double startMillis) {
        return new PoolRun(runtime, kind, 4, "map", 7, 100, "squares", 0, startMillis, 5, 5, BigInteger.valueOf(328_350),
                12, List.of(), List.of(5.0));
    }

    private static List<String> barNames(JFreeChart chart) {
        CategoryDataset data = ((CategoryPlot) chart.getPlot()).getDataset();
        List<String> names = new ArrayList<>();
        for (int row = 0; row < data.getRowCount(); row++) {
            for (int column = 0; column < data.getColumnCount(); column++) {
                if (data.getValue(row, column) != null) {
                    names.add(data.getRowCount() == 1 ? data.getColumnKey(column).toString() : data.getRowKey(row).toString());
                }
            }
        }
        return names;
    }

    @Test
    void cpythonRunsThatDifferOnlyInStartMethodKeepABarEach() {
        PoolRuns runs = PoolRuns.of(run("Java 25", "processes", 400), run("CPython 3.11.7, GIL, fork", "processes", 20),
                run("CPython 3.11.7, GIL, spawn", "processes", 90), run("CPython 3.11.7, GIL, forkserver", "processes", 60));

        List<String> names = barNames(runs.chart(PoolRuns.Measure.START_UP));

        assertThat(names).hasSize(4).contains("Java", "CPython, fork", "CPython, spawn", "CPython, forkserver");
    }

    @Test
    void aRunNamesWhatRanIt() {
        assertThat(run("Java 25", "processes", 1).implementation()).isEqualTo("Java");
        assertThat(run("CPython 3.14.0, GIL, forkserver", "processes", 1).implementation()).isEqualTo("CPython, forkserver");
        assertThat(run("CPython 3.14.0, no GIL", "threads", 1).implementation()).isEqualTo("CPython, no GIL");
        assertThat(run("CPython 3.11.2", "processes", 1).implementation()).isEqualTo("CPython");
    }

    @Test
    void aWorkerSweepDoublesAndIncludesTheCpusAndTwiceThem() {
        assertThat(PoolExperiment.workerSweep(1)).containsExactly(1, 2);
        assertThat(PoolExperiment.workerSweep(2)).containsExactly(1, 2, 4);
        assertThat(PoolExperiment.workerSweep(6)).containsExactly(1, 2, 4, 6, 8, 12);
    }

    @Test
    void aWorkerSweepOnABigMachineStopsAtSixtyFour() {
        assertThat(PoolExperiment.workerSweep(48)).containsExactly(1, 2, 4, 8, 16, 32, 48, 64);
        assertThat(PoolExperiment.workerSweep(256)).containsExactly(1, 2, 4, 8, 16, 32, 64);
    }

    @Test
    void aWorkerSweepNeedsAtLeastOneCpu() {
        assertThatThrownBy(() -> PoolExperiment.workerSweep(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
