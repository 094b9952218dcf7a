package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import concurrencylab.ChildProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RunnerTest {

    private static final Task SMALL = Task.count(3_000_000);

    @AfterEach
    void nothingIsLeftRunning() throws Exception {
        assertThat(ChildProcesses.waitUntilNone(Duration.ofSeconds(2))).as("child processes left behind").isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!liveWorkerThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(liveWorkerThreads()).as("worker threads left behind").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void everyWorkerCountsExactlyToMaxCount(Strategy strategy) {
        Run run = Runner.run(strategy, 3, SMALL);

        assertThat(run.results()).containsExactly(3_000_000L, 3_000_000L, 3_000_000L);
        assertThat(run.timeline()).extracting(Span::worker).containsExactly(1, 2, 3);
        assertThat(run.timeline()).allSatisfy(span -> assertThat(span.endMillis()).isGreaterThanOrEqualTo(span.startMillis()));
        assertThat(run.wallMillis()).isPositive();
        assertThat(run.strategy()).isEqualTo(strategy);
    }

    @Test
    void sequentialWorkersRunOneAfterAnother() {
        Run run = Runner.run(Strategy.SEQUENTIAL, 3, SMALL);

        List<Span> spans = run.timeline();
        assertThat(spans.get(1).startMillis()).isGreaterThanOrEqualTo(spans.get(0).endMillis());
        assertThat(spans.get(2).startMillis()).isGreaterThanOrEqualTo(spans.get(1).endMillis());
    }

    @Test
    void childJvmsReportTheirStartUpCost() {
        Run run = Runner.run(Strategy.PROCESSES, 2, SMALL);

        assertThat(run.jvmStartMillis()).hasSize(2).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(run.cpuMillis()).isPositive();
    }

    @Test
    void underTheGilTheLockChangesHandsWhileWorkersCompute() {
        Run run = Runner.run(Strategy.GIL_THREADS, 2, Task.count(4_000_000_000L));

        assertThat(run.gilSwitches()).isPositive();
        // Interleaved, not one after the other: each started before the other finished.
        assertThat(run.timeline().get(1).startMillis()).isLessThan(run.timeline().get(0).endMillis());
    }

    @Test
    void underTheGilSleepingWorkersOverlap() {
        // Long naps, so that a busy machine's delay in starting a thread (seen: over 300 ms at a
        // load of 18 on 2 CPUs) cannot make naps that do overlap look one after another.
        Run run = Runner.run(Strategy.GIL_THREADS, 3, Task.sleep(Duration.ofMillis(1500)));

        double lastStart = run.timeline().stream().mapToDouble(Span::startMillis).max().orElseThrow();
        double firstEnd = run.timeline().stream().mapToDouble(Span::endMillis).min().orElseThrow();
        assertThat(lastStart).isLessThan(firstEnd);
    }

    @Test
    void zeroWorkersIsRejectedBeforeAnythingStarts() {
        assertThatThrownBy(() -> Runner.run(Strategy.THREADS, 0, SMALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("workers must be at least 1 (got 0)");
    }

    @Test
    void tooManyChildJvmsIsRejectedWithTheMachinesLimit() {
        int tooMany = Runner.maxChildJvms() + 1;

        assertThatThrownBy(() -> Runner.run(Strategy.PROCESSES, tooMany, SMALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers must be at most " + Runner.maxChildJvms() + " for processes")
                .hasMessageContaining("use threads for more workers");
    }

    @Test
    void aCountBelowOneIsRejected() {
        assertThatThrownBy(() -> Task.count(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxCount must be between 1 and");
    }

    @Test
    void anUnknownStrategyNameListsTheChoices() {
        assertThatThrownBy(() -> Strategy.fromName("fibers"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy must be one of sequential, processes, threads, gil-threads, virtual-threads (got 'fibers')");
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void interruptingTheCallerStopsEveryWorkerWithinASecond(Strategy strategy) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                Runner.run(strategy, 2, Task.count(Task.MAX_COUNT));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Thread.sleep(strategy == Strategy.PROCESSES ? 700 : 200);
        long interruptedAt = System.nanoTime();
        caller.interrupt();

        Throwable thrown = outcome.get(5, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("child JVMs after 1 s").isEmpty();
        assertThat(thrown).isInstanceOf(CancellationException.class).hasMessageContaining("interrupt");
        assertThat(caller.join(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aChildJvmThatDiesFailsTheRunNamingItsWorkerAndStatus() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                Runner.run(Strategy.PROCESSES, 2, Task.count(Task.MAX_COUNT));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        ProcessHandle victim = waitForChildren(2, Duration.ofSeconds(10)).get(0);
        victim.destroyForcibly();

        Throwable thrown = outcome.get(5, TimeUnit.SECONDS);

        assertThat(thrown).isInstanceOf(WorkerFailedException.class)
                .hasMessageContaining("(a child JVM) exited with status 137")
                .hasMessageContaining("the other workers were stopped");
    }

    @Test
    void childJvmsEndWhenTheirParentJvmIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ParentForTest.class.getName()).redirectErrorStream(true).start();
        try {
            List<ProcessHandle> children = waitForChildrenOf(parent.toHandle(), 2, Duration.ofSeconds(15));

            parent.toHandle().destroyForcibly();
            parent.waitFor(5, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (children.stream().anyMatch(RunnerTest::running) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(children).noneMatch(RunnerTest::running);
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aHundredRunsInARowLeaveNoThreadOrProcessBehind() {
        for (int i = 0; i < 100; i++) {
            Strategy strategy = Strategy.values()[i % Strategy.values().length];
            assertThat(Runner.run(strategy, 2, Task.count(100_000)).results()).containsOnly(100_000L);
        }
        // @AfterEach checks that no worker thread and no child process is left.
    }

    @Test
    void theChildrensReportLinesNeverReachTheOutput() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

        Runner.builder(Strategy.PROCESSES).workers(2).output(out).build().run(SMALL);

        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(ChildMain.PREFIX);
    }

    @Test
    void progressReachesTheListenerAndEndsAtTheTotal() {
        long[][] last = new long[1][];
        boolean[] finished = new boolean[1];

        Runner.builder(Strategy.THREADS).workers(2)
                .progress((done, total, end) -> {
                    last[0] = done;
                    finished[0] = end;
                })
                .build().run(SMALL);

        assertThat(finished[0]).isTrue();
        assertThat(last[0]).containsExactly(3_000_000L, 3_000_000L);
    }

    /**
     * Alive and not a zombie. An orphan that has ended stays a zombie until init reaps it, which
     * in some containers takes over a second, and ProcessHandle.isAlive() counts zombies.
     */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return process.isAlive();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"THREADS", "PROCESSES", "SEQUENTIAL"})
    void aRunPastItsTimeoutIsStoppedAndSaysHowToRaiseIt(Strategy strategy) {
        // A count that would take minutes: the timeout, not the work, must end it.
        Runner runner = Runner.builder(strategy).workers(2).timeout(Duration.ofMillis(300)).build();

        long started = System.nanoTime();

        assertThatThrownBy(() -> runner.run(Task.count(Task.MAX_COUNT)))
                .isInstanceOf(WorkerFailedException.class)
                .hasMessageContaining("took longer than its timeout of PT0.3S")
                .hasMessageContaining("timeout(...)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aProgressDisplayThatFailsDoesNotFailTheRun() {
        Run run = Runner.builder(Strategy.THREADS).workers(2)
                .progress((done, total, finished) -> {
                    throw new IllegalStateException("the display went away");
                })
                .build().run(SMALL);

        assertThat(run.results()).containsExactly(3_000_000L, 3_000_000L);
    }

    @Test
    void outsideJupyterProgressEndsWithALineAtOneHundredPercent() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        concurrencylab.display.DisplayTesting.useTextOutput(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Runner.builder(Strategy.THREADS).workers(2).showProgress().build().run(SMALL);
        } finally {
            concurrencylab.display.DisplayTesting.reset();
            System.setOut(original);
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("threads: 2 x count(3,000,000): worker 1 0%, worker 2 0%,");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("threads: 2 x count(3,000,000): worker 1 100%, worker 2 100%, (done)");
    }

    private static List<ProcessHandle> waitForChildren(int count, Duration limit) throws InterruptedException {
        return waitForChildrenOf(ProcessHandle.current(), count, limit);
    }

    private static List<ProcessHandle> waitForChildrenOf(ProcessHandle parent, int count, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> children = parent.children().filter(ProcessHandle::isAlive).toList();
            if (children.size() >= count) {
                return children;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " child processes appeared within " + limit);
    }

    private static List<String> liveWorkerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("worker-") || name.equals("progress"))
                .toList();
    }
}
