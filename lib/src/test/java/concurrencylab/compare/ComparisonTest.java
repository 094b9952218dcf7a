package concurrencylab.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.runners.CPython;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ComparisonTest {

    static Comparison small;
    static String printed;

    @BeforeAll
    static void measureOnceAtSmallSizes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        small = Comparison.builder().workers(2).maxCount(1_000_000).cpythonMaxCount(10_000).sleep(Duration.ofMillis(300))
                .waitingTasks(200).output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        printed = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyStrategyIsMeasuredOnEveryKindOfWork() {
        assertThat(small.rows(Comparison.Workload.CPU_BOUND).stream().filter(r -> !r.isCPython()).map(Comparison.Row::strategy))
                .containsExactly("sequential", "processes", "threads", "threads under a GIL", "virtual threads", "process pool",
                        "thread pool", "event loop");
        assertThat(small.rows(Comparison.Workload.IO_BOUND).stream().filter(r -> !r.isCPython()).map(Comparison.Row::strategy))
                .containsExactly("sequential", "processes", "threads", "threads under a GIL", "virtual threads", "process pool",
                        "thread pool", "event loop");
        assertThat(small.rows(Comparison.Workload.MANY_WAITING).stream().filter(r -> !r.isCPython()).map(Comparison.Row::strategy))
                .containsExactly("event loop", "virtual threads", "threads");
        assertThat(printed.lines().count()).as("a line per measurement, as it completes").isEqualTo(small.rows().size());
    }

    @Test
    void cpythonRowsSayWhetherTheirThreadsHadTheGilAndHowTheirProcessesStarted() {
        String runtime = "CPython 3.14.0, no GIL, forkserver";
        Comparison.Row threads = new Comparison.Row(Comparison.Workload.CPU_BOUND, "threads", runtime, "2 x count(10)", 1, 2);
        Comparison.Row pool = new Comparison.Row(Comparison.Workload.CPU_BOUND, "process pool", runtime, "2 x count(10)", 1, 2);
        Comparison.Row loop = new Comparison.Row(Comparison.Workload.IO_BOUND, "event loop", runtime, "2 x sleep(1 ms)", 1, 2);
        Comparison.Row old = new Comparison.Row(Comparison.Workload.CPU_BOUND, "threads", "CPython 3.11.2", "2 x count(10)", 1, 2);

        assertThat(threads.label()).isEqualTo("threads (CPython, no GIL)");
        assertThat(pool.label()).isEqualTo("process pool (CPython, forkserver)");
        assertThat(loop.label()).isEqualTo("event loop (CPython)");
        assertThat(old.label()).isEqualTo("threads (CPython)");
    }

    @Test
    void measuredCpythonThreadsAreLabelledWithTheirGil() {
        CPython.find().ifPresent(p -> assertThat(small.rows(Comparison.Workload.CPU_BOUND).stream()
                .filter(r -> r.isCPython() && r.strategy().equals("threads")).map(Comparison.Row::label))
                .containsExactly("threads (CPython, " + p.gilLabel() + ")"));
    }

    @Test
    void cpythonsCounterpartsJoinWherePythonExists() {
        List<Comparison.Row> python = small.rows().stream().filter(Comparison.Row::isCPython).toList();
        if (CPython.find().isEmpty()) {
            assertThat(python).isEmpty();
            return;
        }
        assertThat(python.stream().map(r -> r.workload() + " " + r.strategy())).containsExactly(
                "CPU_BOUND sequential", "CPU_BOUND processes", "CPU_BOUND threads", "CPU_BOUND process pool",
                "IO_BOUND event loop", "MANY_WAITING event loop");
        assertThat(python.get(0).work()).isEqualTo("2 x count(10,000)");
    }

    @Test
    void sleepsOverlapOnEveryConcurrentStrategyButNotOneAtATime() {
        for (Comparison.Row row : small.rows(Comparison.Workload.IO_BOUND)) {
            assertThat(row.baselineMillis()).isEqualTo(600.0);
            if (row.strategy().equals("sequential")) {
                assertThat(row.speedUp()).as(row.label()).isBetween(0.5, 1.05);
            } else if (!row.strategy().contains("process")) {
                // Two 300 ms naps at once take about 300 ms, one after the other 600 ms: naps long
                // enough that a loaded machine's start-up costs cannot blur the two (processes add
                // a JVM's start-up, so they are not judged here).
                assertThat(row.speedUp()).as(row.label()).isGreaterThan(1.25);
            }
        }
        Comparison.Row loop = small.rows(Comparison.Workload.MANY_WAITING).get(0);
        assertThat(loop.baselineMillis()).isEqualTo(200 * 300.0);
        assertThat(loop.speedUp()).as("200 naps at once on one thread").isGreaterThan(20);
    }

    @Test
    void theSequentialCountIsEveryCountersBaseline() {
        List<Comparison.Row> java = small.rows(Comparison.Workload.CPU_BOUND).stream().filter(r -> !r.isCPython()).toList();
        assertThat(java.get(0).speedUp()).isEqualTo(1.0);
        assertThat(java).allSatisfy(r -> assertThat(r.baselineMillis()).isEqualTo(java.get(0).wallMillis()));
    }

    @Test
    void theGuideHasALinePerKindOfWorkDrawnFromTheRows() {
        List<String> guide = small.guide();
        assertThat(guide).hasSize(3);
        assertThat(guide.get(0)).startsWith("CPU-bound (Java): ");
        assertThat(guide.get(2)).startsWith("many waiting tasks (Java): best ").contains("event loop");
    }

    @Test
    void theGuideNamesTheBestAndThoseThatDidNotHelp() throws Exception {
        String json = """
                {"machine": "2 CPUs", "date": "2026-11-25", "rows": [
                  {"workload": "CPU_BOUND", "strategy": "sequential", "runtime": "Java 25", "work": "w", "wallMillis": 1000, "baselineMillis": 1000},
                  {"workload": "CPU_BOUND", "strategy": "threads", "runtime": "Java 25", "work": "w", "wallMillis": 500, "baselineMillis": 1000},
                  {"workload": "CPU_BOUND", "strategy": "thread pool", "runtime": "Java 25", "work": "w", "wallMillis": 550, "baselineMillis": 1000},
                  {"workload": "CPU_BOUND", "strategy": "threads under a GIL", "runtime": "Java 25", "work": "w", "wallMillis": 1000, "baselineMillis": 1000},
                  {"workload": "CPU_BOUND", "strategy": "processes", "runtime": "CPython 3.11", "work": "w", "wallMillis": 520, "baselineMillis": 1000},
                  {"workload": "IO_BOUND", "strategy": "sequential", "runtime": "Java 25", "work": "w", "wallMillis": 400, "baselineMillis": 400},
                  {"workload": "IO_BOUND", "strategy": "threads", "runtime": "Java 25", "work": "w", "wallMillis": 390, "baselineMillis": 400}
                ]}""";
        Comparison made = Comparison.fromJson(new ObjectMapper().readTree(json));
        assertThat(made.guide()).containsExactly(
                "CPU-bound (Java): best threads 2.00x, thread pool 1.82x; not faster than one at a time: threads under a GIL 1.00x;"
                        + " CPython's best: processes 1.92x",
                "I/O-bound (Java): nothing beat one piece at a time");
    }

    @Test
    void theChartHasAGroupPerStrategyAndABarPerKindOfWork() {
        JFreeChart chart = small.chart();
        CategoryDataset data = chart.getCategoryPlot().getDataset();
        assertThat(data.getRowKeys()).containsExactly("CPU-bound", "I/O-bound", "many waiting tasks");
        assertThat(data.getColumnKeys()).contains("threads", "event loop", "virtual threads", "process pool", "sequential");
        assertThat(data.getValue("many waiting tasks", "process pool")).as("measured only where it applies").isNull();
        assertThat(data.getValue("many waiting tasks", "threads")).isNotNull();
    }

    @Test
    void itWritesAndReadsBackAsTheShippedReferenceIs(@TempDir Path folder) throws Exception {
        Path file = small.write(folder.resolve("comparison.json"));
        Comparison back = Comparison.fromJson(new ObjectMapper().readTree(file.toFile()));
        assertThat(back.rows()).hasSameSizeAs(small.rows());
        assertThat(back.rows().get(2).strategy()).isEqualTo(small.rows().get(2).strategy());
        assertThat(back.machine()).startsWith("reference: ");

        Comparison shipped = Comparison.reference();
        assertThat(shipped.machine()).startsWith("reference: ").contains("CPUs");
        assertThat(shipped.rows(Comparison.Workload.CPU_BOUND)).isNotEmpty();
    }

    @Test
    void itCanMeasureOneKindOfWorkAlone() {
        Comparison io = Comparison.builder().workers(3).sleep(Duration.ofMillis(50)).cpython(false)
                .workloads(Comparison.Workload.IO_BOUND).output(new PrintStream(java.io.OutputStream.nullOutputStream())).run();
        assertThat(io.rows()).hasSize(8).allSatisfy(r -> assertThat(r.workload()).isEqualTo(Comparison.Workload.IO_BOUND));
        assertThat(io.guide()).hasSize(1);
        assertThatThrownBy(() -> Comparison.builder().workloads()).hasMessageContaining("at least one kind of work");
    }

    @Test
    void badSettingsGetOneClearMessageEach() {
        assertThatThrownBy(() -> Comparison.builder().workers(0)).hasMessageContaining("workers must be between 1 and 16 (got 0)");
        assertThatThrownBy(() -> Comparison.builder().maxCount(10)).hasMessageContaining("maxCount must be between 1,000");
        assertThatThrownBy(() -> Comparison.builder().sleep(Duration.ZERO)).hasMessageContaining("sleep must be between 1 ms and 10 s");
        assertThatThrownBy(() -> Comparison.builder().waitingTasks(1_000_000)).hasMessageContaining("waitingTasks must be between 10 and 100,000");
        assertThatThrownBy(() -> Comparison.builder().cpythonMaxCount(5)).hasMessageContaining("cpythonMaxCount must be between 1,000");
    }
}
