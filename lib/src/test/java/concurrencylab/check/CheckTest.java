package concurrencylab.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckTest {

    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Test
    void verdictsStartWithTheWordsTheTestsRead() {
        assertThat(Check.right("4,000")).isEqualTo("Right: 4,000");
        assertThat(Check.notYet("try join")).isEqualTo("Not yet: try join");
    }

    @Test
    void anAnswerThatReturnsIsFineAndKeepsItsValue() {
        Attempt<Integer> attempt = Check.attempt(LIMIT, () -> 6 * 7);
        assertThat(attempt.fine()).isTrue();
        assertThat(attempt.value()).isEqualTo(42);
        assertThat(attempt.problem()).isNull();
    }

    @Test
    void anAnswerThatThrowsSaysWhat() {
        Attempt<Object> attempt = Check.attempt(LIMIT, () -> {
            throw new IllegalStateException("release unlocked lock");
        });
        assertThat(attempt.completed()).isFalse();
        assertThat(attempt.problem()).isEqualTo("threw IllegalStateException: release unlocked lock");
    }

    @Test
    void anAnswerThatHangsIsInterruptedAtItsLimit() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        Attempt<Object> attempt = Check.attempt(Duration.ofMillis(300), () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            return null;
        });
        assertThat(attempt.timedOut()).isTrue();
        assertThat(attempt.problem()).startsWith("did not finish within 0.3 s");
        Thread.sleep(200);
        assertThat(interrupted).hasValue(1);
    }

    @Test
    void anExecutorLeftOpenIsReportedByItsThreads() {
        ExecutorService[] leaked = new ExecutorService[1];
        Attempt<Integer> attempt = Check.attempt(LIMIT, () -> {
            leaked[0] = Executors.newFixedThreadPool(2);
            return leaked[0].submit(() -> 1).get() + leaked[0].submit(() -> 1).get();
        });
        try {
            assertThat(attempt.value()).isEqualTo(2);
            assertThat(attempt.fine()).isFalse();
            assertThat(attempt.threadsLeft()).isNotEmpty().allMatch(name -> name.startsWith("pool-"));
            assertThat(attempt.problem()).contains("running after it returned").contains("shut the executor down");
        } finally {
            leaked[0].shutdownNow();
        }
    }

    @Test
    void anExecutorShutDownLeavesNothing() {
        Attempt<Integer> attempt = Check.attempt(LIMIT, () -> {
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                return pool.submit(() -> 1).get() + pool.submit(() -> 1).get();
            }
        });
        assertThat(attempt.fine()).as(attempt.toString()).isTrue();
    }

    @Test
    void aChildProcessLeftRunningIsReported() throws Exception {
        Process[] child = new Process[1];
        Attempt<Object> attempt = Check.attempt(LIMIT, () -> {
            child[0] = new ProcessBuilder("sleep", "30").start();
            return null;
        });
        try {
            assertThat(attempt.processesLeft()).singleElement().asString().contains("pid " + child[0].pid());
            assertThat(attempt.problem()).contains("1 process running");
        } finally {
            child[0].destroyForcibly().waitFor();
        }
    }

    @Test
    void repeatMakesEveryAttemptAndCollectsTheValues() {
        AtomicInteger calls = new AtomicInteger();
        Attempts<Integer> runs = Check.repeat(5, LIMIT, calls::incrementAndGet);
        assertThat(runs.values()).containsExactly(1, 2, 3, 4, 5);
        assertThat(runs.allFine()).isTrue();
        assertThat(runs.allReturned(3)).isFalse();
        assertThat(runs.firstProblemOr("none")).isEqualTo("none");
    }

    @Test
    void repeatNamesTheFirstAttemptThatWentWrong() {
        AtomicInteger calls = new AtomicInteger();
        Attempts<Integer> runs = Check.repeat(4, LIMIT, () -> {
            if (calls.incrementAndGet() == 3) {
                throw new ArithmeticException("lost an update");
            }
            return 1;
        });
        assertThat(runs.allFine()).isFalse();
        assertThat(runs.firstProblemOr("none")).isEqualTo("attempt 3 of 4 threw ArithmeticException: lost an update");
    }

    @Test
    void repeatStopsAtAHang() {
        AtomicInteger calls = new AtomicInteger();
        Attempts<Object> runs = Check.repeat(10, Duration.ofMillis(200), () -> {
            calls.incrementAndGet();
            Thread.sleep(10_000);
            return null;
        });
        assertThat(runs.all()).hasSize(1);
        assertThat(calls).hasValue(1);
        assertThat(runs.allFine()).isFalse();
    }

    @Test
    void judgeSaysRightWhenEveryTrialReturnsNull() {
        AtomicInteger calls = new AtomicInteger();
        String verdict = Check.judge(4, LIMIT, () -> {
            calls.incrementAndGet();
            return null;
        }, () -> "all " + calls.get() + " trials passed");
        assertThat(verdict).isEqualTo("Right: all 4 trials passed");
    }

    @Test
    void judgeStopsAtTheFirstHintAndNamesTheTrial() {
        AtomicInteger calls = new AtomicInteger();
        String verdict = Check.judge(5, LIMIT, () -> calls.incrementAndGet() == 2 ? "the total was 3" : null, "fine");
        assertThat(verdict).isEqualTo("Not yet: trial 2 of 5: the total was 3");
        assertThat(calls).hasValue(2);
    }

    @Test
    void judgeCountsAThrowHangOrLeftoverAsAProblem() {
        assertThat(Check.judge(1, LIMIT, () -> {
            throw new IllegalStateException("no lock");
        }, "fine")).isEqualTo("Not yet: threw IllegalStateException: no lock");
        assertThat(Check.judge(3, Duration.ofMillis(200), () -> {
            Thread.sleep(10_000);
            return null;
        }, "fine")).startsWith("Not yet: trial 1 of 3: did not finish within");
        ExecutorService[] left = new ExecutorService[1];
        try {
            assertThat(Check.judge(1, LIMIT, () -> {
                left[0] = Executors.newFixedThreadPool(1);
                left[0].submit(() -> { });
                return null;
            }, "fine")).startsWith("Not yet: left 1 thread running");
        } finally {
            left[0].shutdownNow();
        }
    }

    @Test
    void aWatchedLockCountsAStrangersUnlockEvenWhenItIsCaught() throws Exception {
        WatchedLock lock = new WatchedLock();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        Thread holder = new Thread(lock::lock);
        holder.start();
        holder.join();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(lock.strangerUnlocks()).isEqualTo(2);
        assertThat(lock.isLocked()).as("the holder's lock is still held").isTrue();
    }

    @Test
    void aWatchedLockDoesNotCountItsOwnersUnlocks() {
        WatchedLock lock = new WatchedLock();
        lock.lock();
        lock.lock();
        lock.unlock();
        lock.unlock();
        assertThat(lock.strangerUnlocks()).isZero();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void badParametersAreRefusedBeforeAnythingRuns() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Check.repeat(0, LIMIT, calls::incrementAndGet))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times");
        assertThatThrownBy(() -> Check.attempt(Duration.ZERO, calls::incrementAndGet))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time limit");
        assertThat(calls).hasValue(0);
    }
}
