package concurrencylab.pools;

/** Functions for the pool tests; public classes, so worker JVMs can load them from the test class path. */
public final class TestFunctions {

    private TestFunctions() {}

    /** Divides 100 by (input - 3): fails for input 3 with an ArithmeticException. */
    public static final class DivideBy implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            return divide(100, x - 3);
        }

        static long divide(long a, long b) {
            return a / b;
        }
    }

    /**
     * Runs an event loop of two tasks that each note a step, sleep 1 ms, and note another: 1 when
     * the steps alternate as they must (each task switches only where it sleeps) and the loop ran
     * its tasks on virtual threads, which it does where jdk.internal.vm is not exported (a child
     * JVM); 0 when they alternate on continuations; -1 when they did not alternate.
     */
    public static final class EventLoopTurns implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long ignored) {
            java.util.List<String> steps = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            concurrencylab.coroutines.EventLoop loop = concurrencylab.coroutines.EventLoop.create();
            loop.run(() -> concurrencylab.coroutines.Async.gather(task("a", steps), task("b", steps)));
            if (!steps.equals(java.util.List.of("a1", "b1", "a2", "b2"))) {
                return -1L;
            }
            return loop.onContinuations() ? 0L : 1L;
        }

        private static java.util.concurrent.Callable<String> task(String name, java.util.List<String> steps) {
            return () -> {
                steps.add(name + 1);
                concurrencylab.coroutines.Async.sleep(java.time.Duration.ofMillis(1));
                steps.add(name + 2);
                return name;
            };
        }
    }

    /** Ends its JVM with the input as status: a worker that crashes. */
    public static final class Exit implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long status) {
            Runtime.getRuntime().halt(status.intValue());
            return status;
        }
    }

    /** Prints a line and returns its input. */
    public static final class Print implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            System.out.println("hello from input " + x);
            return x;
        }
    }

    /** Returns something a process pool cannot carry back. */
    public static final class Unsendable implements PoolFunction<Long, Object> {
        @Override
        public Object apply(Long x) {
            return new java.math.BigInteger(Long.toString(x));
        }
    }

    /** Returns the input as text, to show that other types travel. */
    public static final class Describe implements PoolFunction<Object, String> {
        @Override
        public String apply(Object x) {
            return x.getClass().getSimpleName() + ":" + x;
        }
    }

    /** Fails for inputs from 3 on; input 3 fails last (it sleeps first), so a later input fails before it. */
    public static final class FailFromThree implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long x) throws InterruptedException {
            if (x == 3) {
                Thread.sleep(300);
            }
            if (x >= 3) {
                throw new IllegalStateException("input " + x + " is not allowed");
            }
            return x;
        }
    }

    /** Sets its own thread's interrupt flag, as careless code may. */
    public static final class InterruptsItself implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            Thread.currentThread().interrupt();
            return x;
        }
    }
}
