package concurrencylab.coroutines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * The functions a coroutine uses, named as asyncio's: {@link #run}, {@link #createTask},
 * {@link #sleep}, {@link #await}, {@link #gather}, {@link #waitFor} and {@link #toThread}. A
 * coroutine is a {@code Callable} whose body calls them; each call that waits gives the loop's
 * thread to another task until it can go on, so the code reads top to bottom.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     AsyncTask<Void> a = Async.createTask("a", () -> { Async.sleep(Duration.ofSeconds(1)); System.out.println("a"); return null; });
 *     AsyncTask<Void> b = Async.createTask("b", () -> { System.out.println("b"); return null; });
 *     Async.gather(a, b);   // prints b, then a a second later
 *     return null;
 * });
 * }</pre>
 *
 * <p>Every function but {@link #run} must be called from a task of a running loop; elsewhere it
 * throws {@link IllegalStateException}. Exceptions a coroutine throws reach whoever awaits it
 * unchanged (checked ones too).
 */
public final class Async {

    private Async() {}

    /**
     * Runs {@code main} on a new {@link EventLoop} on this thread and returns its result, as
     * asyncio.run does; tasks it leaves behind are cancelled.
     *
     * @throws CancellationException if this thread is interrupted
     */
    public static <T> T run(Callable<T> main) {
        return EventLoop.create().run(main);
    }

    /**
     * Starts {@code coroutine} as a new task on the current loop, to run when the current task
     * next awaits; returns at once (asyncio's create_task).
     */
    public static <T> AsyncTask<T> createTask(Callable<T> coroutine) {
        return current().loop.createTask(null, coroutine);
    }

    /** {@link #createTask(Callable)} with a name, which timelines and slow-step reports show. */
    public static <T> AsyncTask<T> createTask(String name, Callable<T> coroutine) {
        Objects.requireNonNull(name, "name");
        return current().loop.createTask(name, coroutine);
    }

    /**
     * Lets other tasks run for {@code duration}, then goes on (asyncio.sleep). A zero duration
     * just lets every other ready task take a step first.
     *
     * @throws IllegalArgumentException if the duration is negative
     * @throws CancellationException if the task is cancelled meanwhile
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot sleep for a negative time (" + duration + ")");
        }
        AsyncTask<?> me = current();
        EventLoop loop = me.loop;
        long token = me.newWait();
        if (duration.isZero()) {
            loop.post(() -> loop.schedule(me, token));
            me.suspend();
            return;
        }
        EventLoop.Timer timer = loop.at(System.nanoTime() + duration.toNanos(), () -> loop.schedule(me, token));
        try {
            me.suspend();
        } finally {
            timer.cancelled = true;
        }
    }

    /**
     * Waits for {@code task} to end and returns its result, or throws what it threw (await task).
     *
     * @throws CancellationException if the awaited task was cancelled, or this one is meanwhile
     */
    public static <T> T await(AsyncTask<T> task) {
        Objects.requireNonNull(task, "task");
        AsyncTask<?> me = current();
        if (task == me) {
            throw new IllegalArgumentException("task '" + me.name() + "' cannot await itself");
        }
        if (!task.isDone()) {
            long token = me.newWait();
            task.whenDone(() -> me.loop.schedule(me, token));
            me.suspend();
        }
        return task.result();
    }

    /**
     * Waits for every task and returns their results in the order given (asyncio.gather). If
     * one fails, its exception is thrown at once, and the others go on running, as in asyncio;
     * if this task is cancelled while it waits, they are cancelled too.
     */
    @SafeVarargs
    public static <T> List<T> gather(AsyncTask<? extends T>... tasks) {
        return gather(Arrays.asList(tasks));
    }

    /** {@link #gather(AsyncTask[])} for a list of tasks. */
    public static <T> List<T> gather(List<? extends AsyncTask<? extends T>> tasks) {
        AsyncTask<?> me = current();
        List<AsyncTask<? extends T>> all = List.copyOf(tasks);
        long token = me.newWait();
        int[] left = {all.size()};
        List<AsyncTask<? extends T>> failures = new ArrayList<>(1);
        for (AsyncTask<? extends T> task : all) {
            task.whenDone(() -> {
                left[0]--;
                if (task.error() != null) {
                    failures.add(task);
                }
                if (left[0] == 0 || failures.size() == 1) {
                    me.loop.schedule(me, token);
                }
            });
        }
        if (left[0] > 0 && failures.isEmpty()) {
            try {
                me.suspend();
            } catch (CancellationException e) {
                all.forEach(AsyncTask::cancel);
                throw e;
            }
        }
        if (!failures.isEmpty()) {
            // The first to fail, in the order they failed, as asyncio's gather.
            throw sneaky(failures.get(0).error());
        }
        List<T> results = new ArrayList<>(all.size());
        for (AsyncTask<? extends T> task : all) {
            results.add(task.result());
        }
        return results;
    }

    /**
     * Starts each coroutine as a task and gathers them: {@code gather(() -> a(), () -> b())}.
     */
    @SafeVarargs
    public static <T> List<T> gather(Callable<? extends T>... coroutines) {
        List<AsyncTask<? extends T>> tasks = new ArrayList<>();
        for (Callable<? extends T> coroutine : coroutines) {
            tasks.add(createTask(coroutine));
        }
        return gather(tasks);
    }

    /**
     * Awaits {@code task} for at most {@code timeout} (asyncio.wait_for): if it is not done by
     * then, it is cancelled, and this throws once its cancellation has run.
     *
     * @throws TimeoutException if the task did not end in time
     */
    public static <T> T waitFor(AsyncTask<T> task, Duration timeout) throws TimeoutException {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(timeout, "timeout");
        AsyncTask<?> me = current();
        if (task.isDone()) {
            return task.result();
        }
        long token = me.newWait();
        boolean[] timedOut = {false};
        EventLoop.Timer timer = me.loop.at(System.nanoTime() + Math.max(0, timeout.toNanos()), () -> {
            if (!task.isDone()) {
                timedOut[0] = true;
                task.cancel();
            }
        });
        task.whenDone(() -> me.loop.schedule(me, token));
        try {
            me.suspend();
        } catch (CancellationException e) {
            task.cancel();
            throw e;
        } finally {
            timer.cancelled = true;
        }
        if (timedOut[0]) {
            throw new TimeoutException("task '" + task.name() + "' did not end within " + timeout + ", so it was cancelled");
        }
        return task.result();
    }

    /**
     * Runs a blocking call (a sleep, a read, input from the keyboard) on another thread, and
     * lets other tasks run until it returns (asyncio.to_thread): how a coroutine waits for
     * something that cannot be awaited. If this task is cancelled meanwhile, that thread is
     * interrupted.
     */
    public static <T> T toThread(Callable<T> blocking) {
        Objects.requireNonNull(blocking, "blocking");
        AsyncTask<?> me = current();
        EventLoop loop = me.loop;
        long token = me.newWait();
        Object[] outcome = new Object[2];
        Future<?> future = loop.offLoop().submit(() -> {
            try {
                outcome[0] = blocking.call();
            } catch (Throwable e) {
                outcome[1] = e;
            }
            loop.post(() -> loop.schedule(me, token));
        });
        try {
            me.suspend();
        } catch (CancellationException e) {
            future.cancel(true);
            throw e;
        }
        // The post above happens-after the writes to outcome, and the loop reads it after the post.
        if (outcome[1] != null) {
            throw sneaky((Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    /** The task this code runs in. */
    static AsyncTask<?> current() {
        AsyncTask<?> task = EventLoop.CURRENT.get();
        if (task == null) {
            throw new IllegalStateException("this works only inside a coroutine: call it from code that Async.run(...)"
                    + " runs, or from a task that Async.createTask(...) started");
        }
        return task;
    }

    /** Throws any throwable unchanged, checked or not (a coroutine's exceptions reach its awaiter as they were). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable error) throws E {
        throw (E) error;
    }
}
