package concurrencylab.coroutines;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one switch: control passing from one waiting task to another and back, measured
 * as two tasks that hand the turn to each other {@value #SWITCHES} times.
 *
 * <ul>
 *   <li>{@code eventLoop}: two coroutines on one {@link EventLoop}, each awaiting
 *       {@code Async.sleep(Duration.ZERO)} (asyncio's {@code await asyncio.sleep(0)}): one step
 *       ends, the other's begins, on the JDK continuations the lab's JVMs use.</li>
 *   <li>{@code eventLoopWithoutContinuations}: the same where jdk.internal.vm is not exported
 *       and the loop falls back to a virtual thread per task, handing over between threads.</li>
 *   <li>{@code virtualThreads} and {@code platformThreads}: two threads that take turns through
 *       a shared turn counter, each parking until it is its turn and unparking the other.</li>
 * </ul>
 *
 * <p>Each invocation checks that every hand-off happened (a wrong count throws), and returns a
 * count that JMH consumes, so nothing can be optimised away.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"})
public class SwitchBenchmark {

    static final int SWITCHES = 100_000;

    /** The fallback hands over between virtual threads, several times slower: fewer switches keep its iterations short. */
    static final int FALLBACK_SWITCHES = 10_000;

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long eventLoop() {
        if (!Fiber.continuationsAvailable()) {
            throw new IllegalStateException("jdk.internal.vm is not exported to this JVM: run with "
                    + "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        return pingPong(true, SWITCHES);
    }

    @Benchmark
    @OperationsPerInvocation(FALLBACK_SWITCHES)
    public long eventLoopWithoutContinuations() {
        return pingPong(false, FALLBACK_SWITCHES);
    }

    private static long pingPong(boolean continuations, int switches) {
        EventLoop loop = EventLoop.builder().continuations(continuations).slowStep(Duration.ofMinutes(1)).build();
        long[] turns = new long[1];
        loop.run(() -> Async.gather(
                Async.createTask("ping", () -> pass(turns, switches / 2)),
                Async.createTask("pong", () -> pass(turns, switches / 2))));
        if (turns[0] != switches) {
            throw new AssertionError("expected " + switches + " turns, counted " + turns[0]);
        }
        return loop.steps();
    }

    private static long pass(long[] turns, int times) {
        for (int i = 0; i < times; i++) {
            turns[0]++;
            Async.sleep(Duration.ZERO);
        }
        return turns[0];
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long virtualThreads() throws InterruptedException {
        return pingPong(Thread.ofVirtual(), SWITCHES);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long platformThreads() throws InterruptedException {
        return pingPong(Thread.ofPlatform().daemon(), SWITCHES);
    }

    /** Two threads take SWITCHES turns between them: thread k runs when turn % 2 == k; both stop at SWITCHES. */
    private static long pingPong(Thread.Builder builder, int switches) throws InterruptedException {
        Turn turn = new Turn();
        Thread[] threads = new Thread[2];
        for (int k = 0; k < 2; k++) {
            int me = k;
            threads[k] = builder.unstarted(() -> {
                Thread other = threads[1 - me];
                while (true) {
                    long now;
                    while ((now = turn.value) % 2 != me && now < switches) {
                        LockSupport.park(turn);
                    }
                    if (now >= switches) {
                        LockSupport.unpark(other);
                        return;
                    }
                    turn.value = now + 1;
                    LockSupport.unpark(other);
                }
            });
        }
        threads[0].start();
        threads[1].start();
        threads[0].join();
        threads[1].join();
        if (turn.value != switches) {
            throw new AssertionError("expected " + switches + " turns, counted " + turn.value);
        }
        return turn.value;
    }

    static final class Turn {
        volatile long value;
    }
}
