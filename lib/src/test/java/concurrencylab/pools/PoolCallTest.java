package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Paint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

class PoolCallTest {

    /** Nine one-input tasks on three members; member 3 died 700 ms in, and its task ran again on member 2. */
    private static PoolCall clusterCallWithAKill(int tasks) {
        List<TaskSpan> spans = new ArrayList<>();
        for (int task = 1; task <= tasks; task++) {
            int member = (task - 1) % 3 + 1;
            double start = 500.0 * ((task - 1) / 3);
            if (task == 3) {
                spans.add(new TaskSpan(task, task - 1, 1, 3, 0, 700, TaskSpan.Outcome.LOST));
                spans.add(new TaskSpan(task, task - 1, 1, 2, 1_600, 2_100, TaskSpan.Outcome.RERUN));
            } else {
                spans.add(new TaskSpan(task, task - 1, 1, member, start, start + 500));
            }
        }
        return new PoolCall("cluster", 3, "map", 1, tasks, tasks, 2_100, 2_100, spans);
    }

    private static List<String> seriesNames(JFreeChart chart) {
        XYDataset data = chart.getXYPlot().getDataset();
        List<String> names = new ArrayList<>();
        for (int s = 0; s < data.getSeriesCount(); s++) {
            names.add(data.getSeriesKey(s).toString());
        }
        return names;
    }

    private static Set<Paint> paints(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        Set<Paint> paints = new HashSet<>();
        for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
            paints.add(plot.getRenderer().getSeriesPaint(s));
        }
        return paints;
    }

    @Test
    void aKilledMembersNineTasksAreColouredByMemberSoThatLostAndRerunKeepColoursOfTheirOwn() {
        JFreeChart chart = clusterCallWithAKill(9).timelineChart();

        assertThat(seriesNames(chart)).containsExactlyInAnyOrder("member 1", "member 2", "member 3",
                "lost with its member", "run again on another member");
        assertThat(paints(chart)).hasSize(5);
    }

    @Test
    void aFewTasksWithAKillStillGetAColourEachAndEverySeriesItsOwn() {
        JFreeChart chart = clusterCallWithAKill(6).timelineChart();

        assertThat(seriesNames(chart)).contains("task 1", "task 6", "lost with its member", "run again on another member")
                .hasSize(7);
        assertThat(paints(chart)).hasSize(7);
    }
}
