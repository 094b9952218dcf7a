package concurrencylab.coroutines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopTest {

    private static EventLoop loop(boolean continuations) {
        return EventLoop.builder().continuations(continuations).build();
    }

    @Test
    void theLabsJvmsRunTasksAsContinuations() {
        assertThat(EventLoop.create().onContinuations()).as("--add-exports java.base/jdk.internal.vm is set").isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gatherReturnsResultsInOrderWhileTheSleepsOverlap(boolean continuations) {
        long[] slowSleep = new long[2];
        long[] quickSleep = new long[2];
        List<String> results = loop(continuations).run(() -> {
            AsyncTask<String> slow = Async.createTask("slow", () -> {
                slowSleep[0] = System.nanoTime();
                Async.sleep(Duration.ofMillis(300));
                slowSleep[1] = System.nanoTime();
                return "slow";
            });
            AsyncTask<String> quick = Async.createTask("quick", () -> {
                quickSleep[0] = System.nanoTime();
                Async.sleep(Duration.ofMillis(100));
                quickSleep[1] = System.nanoTime();
                return "quick";
            });
            return Async.gather(slow, quick);
        });
        assertThat(results).containsExactly("slow", "quick");
        // Overlap, whatever the machine's load: each sleep began before the other ended.
        assertThat(quickSleep[0]).as("the quick sleep began during the slow one").isLessThan(slowSleep[1]);
        assertThat(slowSleep[0]).as("the slow sleep began before the quick one ended").isLessThan(quickSleep[1]);
        assertThat(quickSleep[1]).as("the quick sleep ended first").isLessThan(slowSleep[1]);
    }

    @Test
    void everyTaskRunsOnTheLoopsOwnThread() {
        List<Thread> seen = Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        loop(true).run(() -> {
            List<AsyncTask<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Async.createTask(() -> {
                    seen.add(Thread.currentThread());
                    Async.sleep(Duration.ofMillis(5));
                    seen.add(Thread.currentThread());
                    return null;
                }));
            }
            return Async.gather(tasks);
        });
        assertThat(seen).hasSize(10).containsOnly(caller);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tasksSwitchOnlyWhereTheyAwait(boolean continuations) {
        int[] shared = {0};
        EventLoop loop = loop(continuations);
        loop.run(() -> {
            List<AsyncTask<Object>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(Async.createTask("adder-" + t, () -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < 1_000; i++) {
                            shared[0]++; // no lock: nothing else runs until this task awaits
                        }
                        Async.sleep(Duration.ZERO);
                    }
                    return null;
                }));
            }
            return Async.gather(tasks);
        });
        assertThat(shared[0]).isEqualTo(4 * 20 * 1_000);
        List<EventLoop.Step> steps = loop.stepList();
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i).startMillis()).as("steps never overlap").isGreaterThanOrEqualTo(steps.get(i - 1).endMillis());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tasksWokenForTheSameMomentRunInTheOrderTheyWaited(boolean continuations) {
        List<Integer> order = new ArrayList<>();
        loop(continuations).run(() -> {
            EventLoop loop = Async.current().loop;
            long moment = System.nanoTime() + Duration.ofMillis(30).toNanos();
            List<AsyncTask<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int index = 49 - i; // created in reverse, so creation order and index differ
                tasks.add(Async.createTask(() -> {
                    AsyncTask<?> me = Async.current();
                    long token = me.newWait();
                    loop.at(moment, () -> loop.schedule(me, token));
                    me.suspend();
                    order.add(index);
                    return null;
                }));
            }
            return Async.gather(tasks);
        });
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 50).map(i -> 49 - i).boxed().toList());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gatherThrowsTheFirstFailureAndTheOthersGoOn(boolean continuations) {
        AtomicBoolean otherFinished = new AtomicBoolean();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        loop(continuations).run(() -> {
            AsyncTask<Object> failing = Async.createTask("failing", () -> {
                Async.sleep(Duration.ofMillis(20));
                throw new IllegalStateException("boom");
            });
            AsyncTask<Object> later = Async.createTask("later", () -> {
                Async.sleep(Duration.ofMillis(60));
                throw new IllegalArgumentException("too late to be first");
            });
            AsyncTask<Object> other = Async.createTask("other", () -> {
                Async.sleep(Duration.ofMillis(80));
                otherFinished.set(true);
                return null;
            });
            try {
                Async.gather(later, failing, other);
            } catch (IllegalStateException e) {
                caught.set(e);
            }
            Async.sleep(Duration.ofMillis(150));
            return null;
        });
        assertThat(caught.get()).hasMessage("boom");
        assertThat(otherFinished).as("gather does not cancel the others").isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCancelledTaskIsWokenWithACancellationWhereItAwaits(boolean continuations) {
        List<String> events = new ArrayList<>();
        loop(continuations).run(() -> {
            AsyncTask<Object> sleeper = Async.createTask("sleeper", () -> {
                try {
                    Async.sleep(Duration.ofSeconds(10));
                    events.add("woke normally");
                } catch (CancellationException e) {
                    events.add("cancelled while sleeping");
                    throw e;
                }
                return null;
            });
            Async.sleep(Duration.ofMillis(20));
            assertThat(sleeper.cancel()).isTrue();
            assertThatThrownBy(() -> Async.await(sleeper)).isInstanceOf(CancellationException.class);
            assertThat(sleeper.isCancelled()).isTrue();
            return null;
        });
        assertThat(events).containsExactly("cancelled while sleeping");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void waitForCancelsATaskThatTakesTooLong(boolean continuations) {
        List<String> events = new ArrayList<>();
        loop(continuations).run(() -> {
            AsyncTask<String> slow = Async.createTask("slow", () -> {
                try {
                    Async.sleep(Duration.ofSeconds(10));
                    return "done";
                } finally {
                    events.add("slow cleaned up");
                }
            });
            assertThatThrownBy(() -> Async.waitFor(slow, Duration.ofMillis(50))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("slow");
            events.add("timed out");
            AsyncTask<String> quick = Async.createTask("quick", () -> "quick");
            assertThat(Async.waitFor(quick, Duration.ofSeconds(1))).isEqualTo("quick");
            return null;
        });
        assertThat(events).containsExactly("slow cleaned up", "timed out");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBlockingCallOnAnotherThreadDoesNotStallTheLoop(boolean continuations) {
        // The blocking call itself waits for the loop's other task to tick: it can only return
        // "typed" if the loop kept running while it blocked, however slow the machine.
        CountDownLatch ticked = new CountDownLatch(5);
        String read = loop(continuations).run(() -> {
            AsyncTask<Object> ticker = Async.createTask("ticker", () -> {
                while (true) {
                    ticked.countDown();
                    Async.sleep(Duration.ofMillis(20));
                }
            });
            String line = Async.toThread(() -> ticked.await(30, TimeUnit.SECONDS) ? "typed" : "the loop stood still");
            ticker.cancel();
            return line;
        });
        assertThat(read).isEqualTo("typed");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aStepThatBlocksTheLoopIsReportedByName(boolean continuations) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLoop loop = EventLoop.builder().continuations(continuations)
                .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).build();
        loop.run(() -> {
            AsyncTask<Object> blocker = Async.createTask("producer", () -> {
                Thread.sleep(150); // blocking, not awaiting: the pitfall
                return null;
            });
            AsyncTask<Object> polite = Async.createTask("consumer", () -> {
                Async.sleep(Duration.ofMillis(10));
                return null;
            });
            return Async.gather(blocker, polite);
        });
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("task 'producer' ran for").contains("Async.toThread")
                .doesNotContain("'consumer'");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aTickersLongestPauseShowsHowLongABlockingStepHeldIt(boolean continuations) {
        EventLoop loop = EventLoop.builder().continuations(continuations).output(new PrintStream(OutputStream.nullOutputStream())).build();
        loop.run(() -> {
            AsyncTask<Object> ticker = Async.createTask("ticker", () -> {
                for (int i = 0; i < 10; i++) {
                    Async.sleep(Duration.ofMillis(10));
                }
                return null;
            });
            AsyncTask<Object> blocker = Async.createTask("blocker", () -> {
                Async.sleep(Duration.ofMillis(25));
                Thread.sleep(200); // holds the thread: the ticker's next tick waits
                return null;
            });
            return Async.gather(ticker, blocker);
        });
        assertThat(loop.longestPauseMillis("ticker")).as("a 10 ms tick held up by a 200 ms step").isGreaterThan(150);
        assertThat(loop.stepList().stream().filter(s -> s.task().equals("blocker")).mapToDouble(EventLoop.Step::millis).max()
                .orElseThrow()).isGreaterThanOrEqualTo(195);
        assertThatThrownBy(() -> loop.longestPauseMillis("nobody")).hasMessageContaining("no task named 'nobody'")
                .hasMessageContaining("ticker");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void interruptingTheLoopsThreadCancelsEveryTaskWithinASecond(boolean continuations) throws Exception {
        List<String> cleaned = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                loop(continuations).run(() -> {
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        Async.createTask("sleeper-" + n, () -> {
                            try {
                                Async.sleep(Duration.ofSeconds(30));
                            } finally {
                                cleaned.add("sleeper-" + n);
                            }
                            return null;
                        });
                    }
                    return Async.toThread(() -> {
                        Thread.sleep(30_000);
                        return null;
                    });
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(300);
        long t0 = System.nanoTime();
        runner.interrupt();
        runner.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(cleaned).containsExactlyInAnyOrder("sleeper-0", "sleeper-1", "sleeper-2");
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("event-loop-blocking") || name.startsWith("coroutine "))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anExceptionInOneTaskReachesTheCallerWithItsStackAndTheRestAreCancelled(boolean continuations) {
        List<String> cleaned = new ArrayList<>();
        assertThatThrownBy(() -> loop(continuations).run(() -> {
            Async.createTask("bystander", () -> {
                try {
                    Async.sleep(Duration.ofSeconds(30));
                } finally {
                    cleaned.add("bystander");
                }
                return null;
            });
            AsyncTask<Object> failing = Async.createTask("failing", () -> failHere());
            return Async.await(failing);
        })).isInstanceOf(IllegalStateException.class).hasMessage("failed on purpose")
                .satisfies(e -> assertThat(e.getStackTrace()).extracting(StackTraceElement::getMethodName).contains("failHere"));
        assertThat(cleaned).containsExactly("bystander");
    }

    private static Object failHere() {
        throw new IllegalStateException("failed on purpose");
    }

    @Test
    void awaitingOutsideACoroutineSaysWhereItWorks() {
        assertThatThrownBy(() -> Async.sleep(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only inside a coroutine");
        assertThatThrownBy(() -> Async.run(() -> Async.run(() -> 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from inside a task");
        assertThatThrownBy(() -> Async.run(() -> {
            Async.sleep(Duration.ofMillis(-1));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCheckedExceptionReachesTheAwaiterUnchanged(boolean continuations) {
        assertThatThrownBy(() -> loop(continuations).run(() -> {
            throw new java.io.IOException("no such file");
        })).isInstanceOf(java.io.IOException.class).hasMessage("no such file");
    }
}
