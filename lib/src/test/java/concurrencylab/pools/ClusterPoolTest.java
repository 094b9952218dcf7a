package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import concurrencylab.ChildProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only a cluster pool does or must get right: a member that dies, where the data lives,
 * what it leaves behind, and its own bad parameters. The calls every kind shares (map, imap,
 * a throwing task, interrupting the caller) run on a cluster too, in {@link PoolTest}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterPoolTest {

    /** One three-member cluster for the tests that leave it whole (its start is seconds). */
    private static Pool shared;

    @BeforeAll
    static void startTheSharedCluster() {
        shared = Pool.cluster(3);
    }

    @AfterAll
    static void closeTheSharedCluster() throws InterruptedException {
        String name = ((ClusterPool) shared).clusterName();
        shared.close();
        assertThat(ChildProcesses.waitUntilNone(Duration.ofSeconds(5))).as("member JVMs left running").isEmpty();
        assertThat(threadsLeft(name, Duration.ofSeconds(5))).as("cluster threads left running").isEmpty();
    }

    @AfterEach
    void theSharedClusterIsWhole() {
        assertThat(shared.isBroken()).isFalse();
        assertThat(shared.workerPids()).hasSize(3).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void threeMembersSpreadAMapOverEveryMemberInOrder() {
        List<Long> inputs = LongStream.range(0, 3_000).boxed().toList();
        List<Long> squares = shared.map(PoolFunctions.square(), inputs, 100);
        assertThat(squares).isEqualTo(inputs.stream().map(x -> x * x).toList());
        assertThat(shared.lastCall().timeline()).extracting(TaskSpan::worker).containsOnly(1, 2, 3).contains(1, 2, 3);
        assertThat(shared.lastCall().timeline()).extracting(TaskSpan::outcome).containsOnly(TaskSpan.Outcome.RAN);
    }

    @Test
    void aLambdaIsRefusedBeforeAnyWorkWithTheWayOut() {
        PoolFunction<Long, Long> lambda = x -> x + 1;
        assertThatThrownBy(() -> shared.map(lambda, List.of(1L, 2L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lambda").hasMessageContaining("class");
        assertThat(shared.map(PoolFunctions.square(), List.of(3L))).containsExactly(9L);
    }

    @Test
    void computingNextToTheDataGetsTheSameAnswerAndMovesAFractionOfTheBytes() {
        DataLocality.Comparison c = DataLocality.compare(shared, 5_000, 2_000);

        assertThat(c.sameAnswer()).as(c.toString()).isTrue();
        assertThat(c.perMember()).containsOnlyKeys("member 1", "member 2", "member 3");
        assertThat(c.perMember().values()).allMatch(n -> n > 0);
        assertThat(c.perMember().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5_000);
        assertThat(c.shipped().bytesToCaller()).isEqualTo(5_000L * 2_000);
        assertThat(c.nextToData().bytesToCaller()).isLessThan(1_000);
        assertThat(c.aggregated().bytesToCaller()).isLessThan(1_000);
        if (c.shipped().networkBytes() >= 0) { // Linux's counters: the 10 MB crossed loopback once at least
            assertThat(c.shipped().networkBytes()).isGreaterThan(10_000_000L);
            assertThat(c.nextToData().networkBytes()).isLessThan(c.shipped().networkBytes() / 10);
            assertThat(c.aggregated().networkBytes()).isLessThan(c.shipped().networkBytes() / 10);
            // Loading sent each value to its owner and a copy to its backup.
            assertThat(c.loadNetworkBytes()).isGreaterThan(2 * 10_000_000L);
        }
        assertThat(c.toString()).contains("Loading the map before them took");
        assertThat(c.table().rowCount()).isEqualTo(3);
        assertThat(c.chart()).isNotNull();
        // The map is removed afterwards: nothing of it stays in the members' heaps.
        assertThat(((ClusterPool) shared).client().getDistributedObjects())
                .noneMatch(o -> o.getName().startsWith("lab-locality-"));
    }

    @Test
    void dataLocalityRefusesOtherPoolsAndSizesOutOfRangeWithTheFix() {
        try (Pool threads = Pool.threads(1)) {
            assertThatThrownBy(() -> DataLocality.compare(threads, 10, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a cluster pool").hasMessageContaining("Pool.cluster(3)");
        }
        assertThatThrownBy(() -> DataLocality.compare(shared, 0, 10)).hasMessageContaining("entries must be from 1 to 1,000,000 (got 0)");
        assertThatThrownBy(() -> DataLocality.compare(shared, 10, 2_000_000))
                .hasMessageContaining("valueBytes must be from 1 to 1,000,000 (got 2,000,000)");
        assertThatThrownBy(() -> DataLocality.compare(shared, 1_000_000, 1_000))
                .hasMessageContaining("entries x valueBytes = 1,000.0 MB is more than").hasMessageContaining("lower entries or valueBytes");
    }

    @Test
    void aKilledMembersTasksRunAgainOnTheOthersAndTheTimelineShowsIt() throws Exception {
        try (Pool pool = Pool.cluster(3)) {
            long victim = pool.workerPids().get(2);
            List<Long> naps = new ArrayList<>(java.util.Collections.nCopies(12, 400L));
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    outcome.set(pool.map(PoolFunctions.sleep(), naps));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            Thread.sleep(600); // every member is inside its first task
            ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL, as kill -9
            long killed = System.nanoTime();
            caller.join(Duration.ofSeconds(60));
            assertThat(caller.isAlive()).as("the call came back").isFalse();
            // About 2 s here (the work left is 1.5 s); a bound for a busy machine, far below Hazelcast's 5 s waits times two.
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(10));

            assertThat(outcome.get()).as("every result, in order").isEqualTo(naps);
            List<TaskSpan> timeline = pool.lastCall().timeline();
            assertThat(timeline).filteredOn(span -> span.outcome() == TaskSpan.Outcome.LOST).isNotEmpty()
                    .allMatch(span -> span.worker() == 3);
            assertThat(timeline).filteredOn(span -> span.outcome() == TaskSpan.Outcome.RERUN).isNotEmpty()
                    .allMatch(span -> span.worker() != 3);
            // Each task that was lost was re-run: at least once, never missing.
            assertThat(timeline.stream().filter(span -> span.outcome() == TaskSpan.Outcome.RERUN).map(TaskSpan::task).toList())
                    .containsAll(timeline.stream().filter(span -> span.outcome() == TaskSpan.Outcome.LOST).map(TaskSpan::task).toList());
            // The two left carry on.
            assertThat(pool.map(PoolFunctions.square(), List.of(2L, 3L, 4L))).containsExactly(4L, 9L, 16L);
            assertThat(pool.lastCall().timeline()).extracting(TaskSpan::worker).doesNotContain(3);
        }
    }

    @Test
    void closeAndTerminateLeaveNoMemberAndNoThread() throws Exception {
        for (boolean terminate : new boolean[] {false, true}) {
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            Pool pool = Pool.builder(Pool.Kind.CLUSTER).workers(2)
                    .output(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8)).build();
            String name = ((ClusterPool) pool).clusterName();
            List<Long> pids = pool.workerPids();
            assertThat(threadsLeft(name, Duration.ZERO)).as("the pool's own threads, found by its name").isNotEmpty();
            assertThat(pool.map(PoolFunctions.square(), List.of(5L))).containsExactly(25L);
            if (terminate) {
                pool.submit(PoolFunctions.sleep(), 30_000L);
                pool.terminate();
            } else {
                pool.close();
            }
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as((terminate ? "terminate" : "close") + ": member pid " + pid).isFalse();
            }
            assertThat(((ClusterPool) pool).client().getLifecycleService().isRunning()).as("the client").isFalse();
            assertThat(threadsLeft(name, Duration.ofSeconds(5))).as((terminate ? "terminate" : "close") + ": threads").isEmpty();
            // Stopping is quiet: members' last words (Hazelcast logs hundreds of SEVERE lines as its client goes) stay out of the cell.
            assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).as("what the pool printed").isEmpty();
        }
    }

    @Test
    void badSizesAndAddressesGetOneClearMessageBeforeAnythingStarts() {
        assertThatThrownBy(() -> Pool.cluster(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("members must be between 1 and 8").hasMessageContaining("(got 0)");
        assertThatThrownBy(() -> Pool.cluster(9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(got 9)").hasMessageContaining(".join(");
        assertThatThrownBy(() -> Pool.builder(Pool.Kind.CLUSTER).join("no-port-here"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Pool.builder(Pool.Kind.CLUSTER).join("127.0.0.1:5701").workers(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clusterName");
        assertThatThrownBy(() -> Pool.builder(Pool.Kind.CLUSTER).connectTimeout(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> Pool.builder(Pool.Kind.PROCESSES).join("127.0.0.1:5701"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster");
    }

    @Test
    void anUnreachableAddressFailsWithinItsTimeoutNamingTheAddress() throws Exception {
        long t0 = System.nanoTime();
        // Port 9 on loopback: nothing listens there, so every connection is refused at once.
        assertThatThrownBy(() -> Pool.builder(Pool.Kind.CLUSTER).workers(1).clusterName("nobody-here")
                .join("127.0.0.1:9").connectTimeout(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("127.0.0.1:9");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(threadsLeft("nobody-here", Duration.ofSeconds(5))).as("nothing left starting").isEmpty();
    }

    /** Threads whose name holds a cluster's name (the pool's own and its Hazelcast client's) still alive after {@code limit}. */
    static List<String> threadsLeft(String clusterName, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> name.contains(clusterName)).toList();
            if (alive.isEmpty() || System.nanoTime() >= deadline) {
                return alive;
            }
            Thread.sleep(50);
        }
    }
}
