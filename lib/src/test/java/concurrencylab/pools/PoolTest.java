package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import concurrencylab.ChildProcesses;
import concurrencylab.runners.ChildClasspath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolTest {

    private static final PoolFunction<Long, Long> SQUARE = PoolFunctions.square();

    @AfterEach
    void nothingIsLeftRunning() throws InterruptedException {
        assertThat(ChildProcesses.waitUntilNone(Duration.ofSeconds(3))).as("worker JVMs left running").isEmpty();
        assertThat(waitUntilNoPoolThreads(Duration.ofSeconds(3))).as("pool threads left running").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void mapReturnsResultsInInputOrder(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            List<Long> results = pool.map(SQUARE, inputs(1_000));
            assertThat(results).containsExactlyElementsOf(LongStream.range(0, 1_000).map(x -> x * x).boxed().toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void fiveTasksOnFourWorkersRunInTwoCycles(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(4).build()) {
            // Tasks long enough (about 0.1 s each) that every worker has started its first before any ends.
            List<Long> counts = pool.map(PoolFunctions.count(), Collections.nCopies(5, 400_000_000L));
            assertThat(counts).containsOnly(400_000_000L).hasSize(5);
            PoolCall call = pool.lastCall();
            assertThat(call.chunksize()).isEqualTo(1);
            assertThat(call.timeline()).hasSize(5);
            List<TaskSpan> byStart = call.timeline().stream()
                    .sorted(java.util.Comparator.comparingDouble(TaskSpan::startMillis)).toList();
            assertThat(byStart.subList(0, 4)).extracting(TaskSpan::worker).doesNotHaveDuplicates();
            TaskSpan fifth = byStart.get(4);
            double firstEnd = byStart.subList(0, 4).stream().mapToDouble(TaskSpan::endMillis).min().orElseThrow();
            assertThat(fifth.startMillis()).as("the fifth task waits for a free worker").isGreaterThanOrEqualTo(firstEnd - 1);
            // Which free worker takes it is up to the scheduler (on a busy machine the first to finish may
            // not be the first to ask): what holds is that its worker had finished its first task.
            TaskSpan freed = byStart.subList(0, 4).stream().filter(s -> s.worker() == fifth.worker()).findFirst().orElseThrow();
            assertThat(freed.endMillis()).as("it goes to a worker that has finished its first task")
                    .isLessThanOrEqualTo(fifth.startMillis() + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void mapCutsItsInputAsCPythonDoesByDefault(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            pool.map(SQUARE, inputs(100));
            assertThat(pool.lastCall().chunksize()).as("ceil(100 / (4 x 2))").isEqualTo(13);
            assertThat(pool.lastCall().tasks()).isEqualTo(8);
            pool.map(SQUARE, inputs(100), 30);
            assertThat(pool.lastCall().tasks()).isEqualTo(4);
            assertThat(pool.lastCall().timeline()).extracting(TaskSpan::inputs).containsExactlyInAnyOrder(30, 30, 30, 10);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void imapReadsAnEndlessInputLazilyAndInOrder(Pool.Kind kind) {
        AtomicLong read = new AtomicLong();
        Iterable<Long> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                return read.getAndIncrement();
            }
        };
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            Iterator<Long> results = pool.imap(SQUARE, endless, 3).iterator();
            for (long i = 0; i < 5_000; i++) {
                assertThat(results.next()).isEqualTo(i * i);
            }
            assertThat(read.get()).as("inputs read ahead of the caller").isLessThanOrEqualTo(5_000 + 1_024 + 3);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void imapUnorderedYieldsResultsAsTheyFinish(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            List<Long> results = pool.imapUnordered(PoolFunctions.sleep(), List.of(600L, 20L, 20L)).toList();
            assertThat(results).containsExactly(20L, 20L, 600L);
            assertThat(pool.lastCall().firstResultMillis()).isLessThan(pool.lastCall().wallMillis());
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void imapYieldsTheFirstResultBeforeTheLastIsDone(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(1).build()) {
            Iterator<Long> results = pool.imap(PoolFunctions.sleep(), List.of(10L, 2_000L)).iterator();
            assertThat(results.next()).isEqualTo(10L);
            long first = System.nanoTime();
            assertThat(results.next()).isEqualTo(2_000L);
            assertThat(Duration.ofNanos(System.nanoTime() - first)).as("the first came while the second still slept")
                    .isGreaterThan(Duration.ofMillis(1_000));
            assertThat(results.hasNext()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void submitReturnsAFuture(Pool.Kind kind) throws Exception {
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            assertThat(pool.submit(SQUARE, 12L).get(10, TimeUnit.SECONDS)).isEqualTo(144L);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void aTaskThatThrowsReachesTheCallerWithItsTypeMessageAndWorkerStackAndThePoolCarriesOn(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            assertThatThrownBy(() -> pool.map(new TestFunctions.DivideBy(), inputs(10)))
                    .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                        assertThat(e.inputIndex()).isEqualTo(3);
                        assertThat(e.type()).isEqualTo("java.lang.ArithmeticException");
                        assertThat(e.getMessage()).contains("input 3", "java.lang.ArithmeticException: / by zero");
                        assertThat(e.getCause().getStackTrace()).extracting(StackTraceElement::getMethodName).contains("divide");
                    });
            assertThat(pool.map(SQUARE, inputs(3))).containsExactly(0L, 1L, 4L);
            assertThat(pool.isBroken()).isFalse();
        }
    }

    @Test
    void imapFailsAtTheFailedInputAfterYieldingTheOnesBefore() {
        try (Pool pool = Pool.processes(2)) {
            Iterator<Long> results = pool.imap(new TestFunctions.DivideBy(), inputs(10)).iterator();
            assertThat(List.of(results.next(), results.next(), results.next())).containsExactly(-33L, -50L, -100L);
            assertThatThrownBy(results::next).isInstanceOf(TaskFailedException.class).hasMessageContaining("input 3");
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void imapFailsAtTheEarliestFailedInputEvenWhenALaterOneFailedFirst(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(3).timeout(Duration.ofSeconds(20)).build()) {
            Iterator<Long> results = pool.imap(new TestFunctions.FailFromThree(), inputs(6)).iterator();
            assertThat(List.of(results.next(), results.next(), results.next())).containsExactly(0L, 1L, 2L);
            assertThatThrownBy(results::next).isInstanceOf(TaskFailedException.class).hasMessageContaining("input 3 (3)");
        }
    }

    @Test
    void aProcessPoolSendsWhatItHasWhileTheInputIsSlow() {
        long[] secondInputAt = {Long.MAX_VALUE};
        Iterable<Long> slow = () -> java.util.stream.LongStream.range(0, 3).peek(i -> {
            if (i > 0) {
                sleep(400);
            }
            if (i == 1) {
                secondInputAt[0] = System.nanoTime();
            }
        }).boxed().iterator();
        try (Pool pool = Pool.processes(1)) {
            Iterator<Long> results = pool.imap(SQUARE, slow).iterator();
            assertThat(results.next()).isZero();
            long firstResultAt = System.nanoTime();
            assertThat(firstResultAt).as("the first result, before the second input exists").isLessThan(secondInputAt[0]);
        }
    }

    @Test
    void aWorkerSendsItsFinishedResultsBeforeALongTask() {
        List<Long> sleeps = new ArrayList<>(Collections.nCopies(20, 0L));
        sleeps.add(1_500L);
        try (Pool pool = Pool.processes(1)) {
            Iterator<Long> results = pool.imapUnordered(PoolFunctions.sleep(), sleeps).iterator();
            for (int i = 0; i < 20; i++) {
                assertThat(results.next()).isZero();
            }
            long twentieth = System.nanoTime();
            assertThat(results.next()).isEqualTo(1_500L);
            assertThat(Duration.ofNanos(System.nanoTime() - twentieth)).as("the twenty came while the long task still ran")
                    .isGreaterThan(Duration.ofMillis(750));
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void aHugeChunksizeIsOneTask(Pool.Kind kind) {
        try (Pool pool = Pool.builder(kind).workers(2).build()) {
            assertThat(pool.map(SQUARE, inputs(5), Integer.MAX_VALUE)).containsExactly(0L, 1L, 4L, 9L, 16L);
            assertThat(pool.lastCall().tasks()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void aFuturesCallbackMayUseThePool(Pool.Kind kind) throws Exception {
        try (Pool pool = Pool.builder(kind).workers(1).build()) {
            var chained = pool.submit(SQUARE, 3L).thenApply(nine -> pool.map(SQUARE, List.of(nine)));
            assertThat(chained.get(10, TimeUnit.SECONDS)).containsExactly(81L);
        }
    }

    @Test
    void aTaskThatInterruptsItselfDoesNotStopItsWorker() {
        try (Pool pool = Pool.threads(1)) {
            assertThat(pool.map(new TestFunctions.InterruptsItself(), inputs(2))).containsExactly(0L, 1L);
            assertThat(pool.map(SQUARE, inputs(2))).containsExactly(0L, 1L);
        }
    }

    @Test
    void interruptingACallerInImapTerminatesThePool() throws Exception {
        Pool pool = Pool.processes(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                pool.imap(PoolFunctions.sleep(), List.of(30_000L, 30_000L, 30_000L)).toList();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(500);
        long interrupted = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aKilledWorkerFailsTheCallWithinASecondNamingTheWorkerAndTask() throws Exception {
        Pool pool = Pool.processes(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                pool.map(PoolFunctions.sleep(), List.of(20_000L, 20_000L));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(500);
        ProcessHandle victim = ProcessHandle.current().children().findFirst().orElseThrow();
        long killed = System.nanoTime();
        victim.destroyForcibly(); // SIGKILL, as kill -9 (no kill(1) on a minimal machine)
        caller.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(PoolBrokenException.class)
                .hasMessageContaining("pid " + victim.pid()).hasMessageContaining("was killed")
                .hasMessageMatching("(?s).*worker \\d .*while running task \\d \\(input \\d: 20000\\).*");
        assertThat(pool.isBroken()).isTrue();
        assertThatThrownBy(() -> pool.map(SQUARE, inputs(1))).isInstanceOf(PoolBrokenException.class)
                .hasMessageContaining("broken");
        pool.close();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("right after close").isEmpty();
        assertThat(poolThreads()).as("right after close").isEmpty();
    }

    @Test
    void aWorkerKilledDuringImapBreaksThePoolAndCloseLeavesNothing() throws Exception {
        Pool pool = Pool.processes(2);
        Iterator<Long> results = pool.imap(PoolFunctions.sleep(), List.of(10L, 20_000L, 20_000L)).iterator();
        assertThat(results.next()).isEqualTo(10L);
        ProcessHandle victim = ProcessHandle.current().children().findFirst().orElseThrow();
        victim.destroyForcibly(); // SIGKILL, as kill -9 (no kill(1) on a minimal machine)
        long t0 = System.nanoTime();
        assertThatThrownBy(results::next).isInstanceOf(PoolBrokenException.class).hasMessageContaining("pid " + victim.pid());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        pool.close();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("right after close").isEmpty();
        assertThat(poolThreads()).as("right after close").isEmpty();
    }

    @Test
    void anEventLoopInAWorkerJvmTakesTurnsOnVirtualThreads() {
        // Children are started without --add-exports (it would cost each start its archived module graph).
        try (Pool pool = Pool.processes(1)) {
            assertThat(pool.map(new TestFunctions.EventLoopTurns(), List.of(0L))).containsExactly(1L);
        }
        assertThat(new TestFunctions.EventLoopTurns().apply(0L)).as("in this JVM, which exports jdk.internal.vm").isZero();
    }

    @Test
    void workersThatCannotStartFailThePoolsCreationWithTheirErrorAndLeaveNothing() throws Exception {
        ChildClasspath.use("/nonexistent/concurrency-lab.jar");
        try {
            assertThatThrownBy(() -> Pool.processes(3)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not start the pool").hasMessageContaining("PoolWorkerMain");
        } finally {
            ChildClasspath.use(null);
        }
        assertThat(ChildProcesses.waitUntilNone(Duration.ofMillis(100))).isEmpty();
        assertThat(waitUntilNoPoolThreads(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void aCallerInterruptedWhileTheWorkersStartGetsACancellationAndNoWorkerIsLeft() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try (Pool pool = Pool.processes(3)) {
                failure.set(new AssertionError("the pool started: " + pool));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.join(Duration.ofSeconds(30));
        assertThat(failure.get()).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(ChildProcesses.waitUntilNone(Duration.ofMillis(100))).isEmpty();
        assertThat(waitUntilNoPoolThreads(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void aWorkerThatCrashesDuringImapBreaksThePool() {
        try (Pool pool = Pool.processes(2)) {
            Iterator<Long> results = pool.imap(new TestFunctions.Exit(), List.of(7L)).iterator();
            assertThatThrownBy(results::next).isInstanceOf(PoolBrokenException.class)
                    .hasMessageContaining("exited with status 7").hasMessageContaining("task 1 (input 0: 7)");
            assertThatThrownBy(() -> pool.submit(SQUARE, 1L)).isInstanceOf(PoolBrokenException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void interruptingTheCallerTerminatesThePoolWithinASecond(Pool.Kind kind) throws Exception {
        Pool pool = Pool.builder(kind).workers(2).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                pool.map(PoolFunctions.count(), Collections.nCopies(4, 200_000_000_000L));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(700);
        long interrupted = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(ChildProcesses.waitUntilNone(Duration.ofMillis(100))).isEmpty();
        assertThat(waitUntilNoPoolThreads(Duration.ofMillis(500))).isEmpty();
        assertThatThrownBy(() -> pool.map(SQUARE, inputs(1))).hasMessageContaining("terminated");
    }

    @Test
    void closeFinishesQueuedWorkThenRefusesMore() throws Exception {
        Pool pool = Pool.processes(2);
        var future = pool.submit(PoolFunctions.sleep(), 300L);
        pool.close();
        assertThat(future).isCompletedWithValue(300L);
        assertThatThrownBy(() -> pool.map(SQUARE, inputs(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining("make a new one");
        pool.close();
    }

    @Test
    void terminateFailsWorkInProgress() {
        Pool pool = Pool.threads(1);
        var future = pool.submit(PoolFunctions.sleep(), 10_000L);
        pool.terminate();
        assertThat(future.handle((value, error) -> error).join()).isInstanceOf(CancellationException.class)
                .hasMessageContaining("terminated");
    }

    @Test
    void aCallThatOutlivesTheTimeoutBreaksThePool() {
        try (Pool pool = Pool.builder(Pool.Kind.PROCESSES).workers(1).timeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(() -> pool.map(PoolFunctions.sleep(), List.of(10_000L)))
                    .isInstanceOf(PoolBrokenException.class).hasMessageContaining("timeout of PT0.5S");
        }
    }

    @Test
    void whatAWorkerPrintsReachesTheOutputWithItsNumber() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Pool pool = Pool.builder(Pool.Kind.PROCESSES).workers(1).output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).build()) {
            assertThat(pool.map(new TestFunctions.Print(), List.of(5L))).containsExactly(5L);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[worker 1] hello from input 5");
    }

    @Test
    void aProcessPoolRunsCodeCompiledFromACell() {
        PoolFunction<Long, Long> cube = PoolFunctions.compile("""
                public class Cube implements concurrencylab.pools.PoolFunction<Long, Long> {
                    public Long apply(Long x) { return x * x * x; }
                }""");
        try (Pool pool = Pool.processes(2)) {
            assertThat(pool.map(cube, inputs(4))).containsExactly(0L, 1L, 8L, 27L);
        }
    }

    @Test
    void aProcessPoolCarriesTheSupportedTypesBothWays() {
        try (Pool pool = Pool.processes(1)) {
            List<Object> values = List.of(1L, 2, 3.5, "four", true);
            assertThat(pool.map(new TestFunctions.Describe(), values))
                    .containsExactly("Long:1", "Integer:2", "Double:3.5", "String:four", "Boolean:true");
        }
    }

    @Test
    void aProcessPoolRefusesALambdaWithTheWayOut() {
        try (Pool pool = Pool.processes(1)) {
            PoolFunction<Long, Long> lambda = x -> x + 1;
            assertThatThrownBy(() -> pool.map(lambda, inputs(3))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lambda").hasMessageContaining("PoolFunctions.compile").hasMessageContaining("Pool.threads");
        }
    }

    @Test
    void aProcessPoolRefusesAnUnsupportedInputBeforeStartingWork() {
        try (Pool pool = Pool.processes(1)) {
            List<Object> values = List.of(1L, new java.math.BigInteger("2"));
            assertThatThrownBy(() -> pool.map(new TestFunctions.Describe(), values)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input 1 is a java.math.BigInteger").hasMessageContaining("Pool.threads");
            assertThat(pool.lastCall()).isNull();
        }
    }

    @Test
    void aResultThatCannotTravelBackFailsItsTask() {
        try (Pool pool = Pool.processes(1)) {
            assertThatThrownBy(() -> pool.map(new TestFunctions.Unsendable(), inputs(2)))
                    .isInstanceOf(TaskFailedException.class).hasMessageContaining("java.math.BigInteger")
                    .hasMessageContaining("cannot travel back");
            assertThat(pool.map(SQUARE, inputs(2))).containsExactly(0L, 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(Pool.Kind.class)
    void badParametersGetOneClearMessageEach(Pool.Kind kind) {
        String noun = kind == Pool.Kind.CLUSTER ? "members" : "workers";
        assertThatThrownBy(() -> Pool.builder(kind).workers(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(noun + " must be between 1 and").hasMessageContaining("(got 0)");
        try (Pool pool = Pool.builder(kind).workers(1).build()) {
            List<Long> withNull = new ArrayList<>(List.of(1L, 2L));
            withNull.add(null);
            assertThatThrownBy(() -> pool.map(SQUARE, withNull)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input 2 is null");
            assertThatThrownBy(() -> pool.map(SQUARE, inputs(3), 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chunksize must be at least 1 (got 0)");
            assertThatThrownBy(() -> pool.imap(SQUARE, inputs(3), -1)).hasMessageContaining("chunksize must be at least 1");
        }
    }

    @Test
    void anEmptyInputGivesAnEmptyList() {
        try (Pool pool = Pool.threads(2)) {
            assertThat(pool.map(SQUARE, List.<Long>of())).isEmpty();
            assertThat(pool.imap(SQUARE, List.<Long>of()).toList()).isEmpty();
        }
    }

    @Test
    void aThreadPoolRunsLambdas() {
        try (Pool pool = Pool.threads(3)) {
            assertThat(pool.map((Long x) -> x + 1, inputs(3))).containsExactly(1L, 2L, 3L);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    static List<Long> inputs(int n) {
        return LongStream.range(0, n).boxed().toList();
    }

    static List<String> waitUntilNoPoolThreads(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> alive = poolThreads();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alive = poolThreads();
        }
        return alive;
    }

    static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("pool-thread-") || name.startsWith("pool-worker-")).toList();
    }
}
