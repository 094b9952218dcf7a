package concurrencylab.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlocksTest {

    /** Two daemon threads that take a and b in opposite orders, each after both hold their first. */
    private static List<Thread> oppositeOrders(LabLock a, LabLock b, int depth) {
        CountDownLatch both = new CountDownLatch(2);
        Runnable ab = () -> nested(depth, () -> take(a, b, both)), ba = () -> nested(depth, () -> take(b, a, both));
        return List.of(Thread.ofPlatform().daemon().name("a-then-b").start(ab), Thread.ofPlatform().daemon().name("b-then-a").start(ba));
    }

    private static void nested(int depth, Runnable r) {
        if (depth == 0) {
            r.run();
        } else {
            nested(depth - 1, r);
        }
    }

    private static void take(LabLock first, LabLock second, CountDownLatch both) {
        first.lock();
        try {
            both.countDown();
            both.await(5, TimeUnit.SECONDS);
            second.lock();
            second.unlock();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            Thread.currentThread().interrupt();   // ended by the test, as it should be
        } finally {
            first.unlock();
        }
    }

    private static void end(List<Thread> threads) throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void itFindsTheCycleAndNamesWhoHoldsAndWaitsForWhat() throws Exception {
        LabLock a = new LabLock("A's lock"), b = new LabLock("B's lock");
        List<Thread> threads = oppositeOrders(a, b, 0);
        try {
            Deadlock found = Deadlocks.await(threads, Map.of(a, a.name(), b, b.name()), Duration.ofSeconds(10)).orElseThrow();
            assertThat(found.threadNames()).containsExactlyInAnyOrder("a-then-b", "b-then-a");
            assertThat(found.cycleSentence()).contains("a-then-b holds A's lock and waits for B's lock, held by b-then-a")
                    .contains("b-then-a holds B's lock and waits for A's lock, held by a-then-b");
            assertThat(found.permanent()).isTrue();
            assertThat(found.onMonitors()).isFalse();
            assertThat(found.table().rowCount()).isEqualTo(2);
        } finally {
            end(threads);
        }
    }

    @Test
    void threadsNotGivenAreIgnored() throws Exception {
        LabLock a = new LabLock("A's lock"), b = new LabLock("B's lock");
        List<Thread> threads = oppositeOrders(a, b, 0);
        try {
            Deadlocks.await(threads, Map.of(), Duration.ofSeconds(10)).orElseThrow();
            Thread bystander = Thread.ofPlatform().start(() -> { });
            assertThat(Deadlocks.find(List.of(bystander, Thread.currentThread()), Map.of())).isEmpty();
        } finally {
            end(threads);
        }
    }

    @Test
    void theDumpShowsEveryFrameWhereThreadInfoToStringStopsAtEight() throws Exception {
        LabLock a = new LabLock("A's lock"), b = new LabLock("B's lock");
        List<Thread> threads = oppositeOrders(a, b, 20);
        try {
            Deadlock found = Deadlocks.await(threads, Map.of(a, a.name(), b, b.name()), Duration.ofSeconds(10)).orElseThrow();
            String dump = found.dump();
            assertThat(dump).startsWith("Found one Java-level deadlock:");
            assertThat(dump).contains("\"a-then-b\"").contains("- parking to wait for").contains("Locked ownable synchronizers:")
                    .contains("(a java.util.concurrent.locks.ReentrantLock$NonfairSync: B's lock)");
            long nestedFrames = dump.lines().filter(l -> l.contains("DeadlocksTest.nested")).count();
            assertThat(nestedFrames).isGreaterThanOrEqualTo(2 * 20);
            assertThat(dump).doesNotContain("...");
        } finally {
            end(threads);
        }
    }

    @Test
    void aDeadlockOnSynchronizedIsFoundAndMarkedAsOneNoInterruptCanEnd() throws Exception {
        Object alex = new Object(), sam = new Object();
        CountDownLatch both = new CountDownLatch(2);
        Thread one = Thread.ofPlatform().daemon().name("sync-alex-first").start(() -> lockBoth(alex, sam, both));
        Thread two = Thread.ofPlatform().daemon().name("sync-sam-first").start(() -> lockBoth(sam, alex, both));
        Deadlock found = Deadlocks.await(List.of(one, two), Map.of(alex, "Alex", sam, "Sam"), Duration.ofSeconds(10)).orElseThrow();
        assertThat(found.onMonitors()).isTrue();
        assertThat(found.cycleSentence()).contains("sync-alex-first holds Alex and waits for Sam, held by sync-sam-first");
        assertThat(found.dump()).contains("- waiting to lock").contains("- locked");
        one.interrupt();
        two.interrupt();
        one.join(200);
        assertThat(one.getState()).isEqualTo(Thread.State.BLOCKED);   // still stuck: these two daemon threads stay so
    }

    private static void lockBoth(Object first, Object second, CountDownLatch both) {
        synchronized (first) {
            both.countDown();
            try {
                both.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                second.hashCode();
            }
        }
    }

    @Test
    void waitsWithATimeLimitAreADeadlockThatMayEndByItself() throws Exception {
        LabLock a = new LabLock("A's lock"), b = new LabLock("B's lock");
        CountDownLatch both = new CountDownLatch(2);
        Thread one = Thread.ofPlatform().daemon().start(() -> holdAndRetry(a, b, both));
        Thread two = Thread.ofPlatform().daemon().start(() -> holdAndRetry(b, a, both));
        try {
            Optional<Deadlock> found = Deadlocks.await(List.of(one, two), Map.of(), Duration.ofMillis(500));
            assertThat(found).isPresent();
            assertThat(found.get().permanent()).isFalse();
        } finally {
            end(List.of(one, two));
        }
    }

    private static void holdAndRetry(LabLock first, LabLock second, CountDownLatch both) {
        first.lock();
        try {
            both.countDown();
            both.await(5, TimeUnit.SECONDS);
            while (!second.tryLock(20, TimeUnit.MILLISECONDS)) {
                // keeps its first lock: the mistake
            }
            second.unlock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            first.unlock();
        }
    }

    @Test
    void theGraphIsAnImageInTheLabsChartWidth() throws Exception {
        LabLock a = new LabLock("A's lock"), b = new LabLock("B's lock");
        List<Thread> threads = oppositeOrders(a, b, 0);
        try {
            Deadlock found = Deadlocks.await(threads, Map.of(a, a.name(), b, b.name()), Duration.ofSeconds(10)).orElseThrow();
            assertThat(found.graph().getWidth()).isEqualTo(760);
            assertThat(found.toDisplay()).isInstanceOf(java.awt.image.BufferedImage.class);
        } finally {
            end(threads);
        }
    }

    @Test
    void aJcmdDumpIsCutToTheNamedThreadsAndTheirDeadlockReport() {
        String dump = """
                2026-12-02 17:00:00
                Full thread dump OpenJDK 64-Bit Server VM:

                "main" #1 prio=5 os_prio=0 cpu=1ms elapsed=1s tid=0x1 nid=1 waiting on condition
                   java.lang.Thread.State: RUNNABLE
                \tat Main.main(Main.java:1)

                   Locked ownable synchronizers:
                \t- None

                "t1" #20 daemon prio=5 tid=0x2 nid=2 waiting on condition
                   java.lang.Thread.State: WAITING (parking)
                \tat jdk.internal.misc.Unsafe.park(java.base@25/Native Method)

                   Locked ownable synchronizers:
                \t- <0x01> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)

                JNI global refs: 10, weak refs: 0

                Found one Java-level deadlock:
                =============================
                "t1":
                  waiting for ownable synchronizer 0x02, (a java.util.concurrent.locks.ReentrantLock$NonfairSync),
                  which is held by "t2"

                Java stack information for the threads listed above:
                ===================================================
                "t1":
                \tat jdk.internal.misc.Unsafe.park(java.base@25/Native Method)

                Found 1 deadlock.
                """;
        String kept = Deadlocks.filterDump(dump, Set.of("t1"));
        assertThat(kept).contains("\"t1\" #20").contains("Locked ownable synchronizers:\n\t- <0x01>")
                .contains("Found one Java-level deadlock:").contains("which is held by \"t2\"");
        assertThat(kept).doesNotContain("\"main\"").doesNotContain("JNI").doesNotContain("Java stack information");
    }

    @Test
    void whereJcmdExistsItsDumpNamesTheDeadlockedThreads() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Deadlocks.jcmdPath().isPresent(), "no jcmd beside this java");
        LabLock a = new LabLock("A's lock"), b = new LabLock("B's lock");
        List<Thread> threads = oppositeOrders(a, b, 0);
        try {
            Deadlocks.await(threads, Map.of(), Duration.ofSeconds(10)).orElseThrow();
            String real = Deadlocks.jcmd(threads).orElseThrow();
            assertThat(real).contains("\"a-then-b\"").contains("\"b-then-a\"").contains("Found one Java-level deadlock");
        } finally {
            end(threads);
        }
    }
}
