package concurrencylab.coroutines;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Semaphore;

/**
 * The body of a task, run a step at a time: from where it last suspended to where it next
 * suspends (or ends). Two ways to do that, with the same behaviour:
 * <ul>
 * <li>the JDK's own continuations (what virtual threads are built on), run on the loop's thread
 * itself: the lab's kernels and command line export them
 * ({@code --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED});
 * <li>elsewhere, a virtual thread per task that runs only while the loop's thread waits for it
 * (slower to switch, but one step still runs at a time).
 * </ul>
 */
abstract class Fiber {

    /** Runs the body until it suspends or ends; true once it has ended. */
    abstract boolean step();

    /** Suspends the body (called from the body): the step ends here. */
    abstract void suspend();

    /** Called from another thread while a step runs, when the loop's thread is interrupted. */
    void interrupt() {
    }

    static Fiber of(Runnable body, String name, boolean continuations) {
        return continuations ? new OnContinuation(body) : new OnThread(body, name);
    }

    /** True when this JVM lets the lab use the JDK's continuations. */
    static boolean continuationsAvailable() {
        return Continuations.AVAILABLE;
    }

    /** Reaches jdk.internal.vm.Continuation through method handles, when it is exported to us. */
    private static final class Continuations {
        static final boolean AVAILABLE;
        static final Object SCOPE;
        static final MethodHandle NEW;
        static final MethodHandle RUN;
        static final MethodHandle YIELD;
        static final MethodHandle IS_DONE;

        static {
            Object scope = null;
            MethodHandle make = null;
            MethodHandle run = null;
            MethodHandle yield = null;
            MethodHandle isDone = null;
            boolean available = false;
            try {
                Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
                Class<?> scopeType = Class.forName("jdk.internal.vm.ContinuationScope");
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                scope = lookup.findConstructor(scopeType, MethodType.methodType(void.class, String.class))
                        .invoke("concurrency-lab");
                make = lookup.findConstructor(continuation, MethodType.methodType(void.class, scopeType, Runnable.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
                run = lookup.findVirtual(continuation, "run", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                yield = lookup.findStatic(continuation, "yield", MethodType.methodType(boolean.class, scopeType))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                isDone = lookup.findVirtual(continuation, "isDone", MethodType.methodType(boolean.class))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                available = !Boolean.getBoolean("concurrencylab.coroutines.threads");
            } catch (Throwable e) {
                // Not exported to us (IllegalAccessException) or not there: tasks run on virtual threads instead.
            }
            AVAILABLE = available;
            SCOPE = scope;
            NEW = make;
            RUN = run;
            YIELD = yield;
            IS_DONE = isDone;
        }
    }

    private static final class OnContinuation extends Fiber {
        private final Object continuation;

        OnContinuation(Runnable body) {
            try {
                continuation = (Object) Continuations.NEW.invokeExact(Continuations.SCOPE, body);
            } catch (Throwable e) {
                throw new IllegalStateException("could not make a continuation: " + e, e);
            }
        }

        @Override
        boolean step() {
            try {
                Continuations.RUN.invokeExact(continuation);
                return (boolean) Continuations.IS_DONE.invokeExact(continuation);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void suspend() {
            boolean suspended;
            try {
                suspended = (boolean) Continuations.YIELD.invokeExact(Continuations.SCOPE);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (!suspended) {
                throw new IllegalStateException("a task could not suspend here (it holds a monitor or is inside native code):"
                        + " do not await inside a synchronized block");
            }
        }
    }

    private static final class OnThread extends Fiber {
        private final Runnable body;
        private final String name;
        private final Semaphore toFiber = new Semaphore(0);
        private final Semaphore toLoop = new Semaphore(0);
        private volatile Thread thread;
        private volatile boolean done;

        OnThread(Runnable body, String name) {
            this.body = body;
            this.name = name;
        }

        @Override
        boolean step() {
            if (thread == null) {
                thread = Thread.ofVirtual().name("coroutine " + name).start(() -> {
                    toFiber.acquireUninterruptibly();
                    try {
                        body.run();
                    } finally {
                        done = true;
                        toLoop.release();
                    }
                });
            }
            toFiber.release();
            boolean interrupted = false;
            while (true) {
                try {
                    toLoop.acquire();
                    break;
                } catch (InterruptedException e) {
                    // The loop's thread was interrupted while the step runs: pass it on, as a
                    // continuation on the loop's own thread would have received it.
                    interrupted = true;
                    thread.interrupt();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return done;
        }

        @Override
        void suspend() {
            toLoop.release();
            toFiber.acquireUninterruptibly();
        }
    }
}
