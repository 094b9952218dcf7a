package concurrencylab.coroutines;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;

/**
 * A coroutine running on an {@link EventLoop}, as asyncio's Task: made by
 * {@link Async#createTask}, awaited with {@link Async#await} or {@link Async#gather}, stopped
 * with {@link #cancel()}. Its methods are for code on its loop (they are not thread-safe).
 *
 * @param <T> what the coroutine returns
 */
public final class AsyncTask<T> {

    private enum State { NEW, READY, RUNNING, WAITING, DONE }

    final EventLoop loop;
    private final String name;
    private final Callable<T> body;
    final Fiber fiber;
    private State state = State.NEW;
    private T result;
    private Throwable error;
    private boolean cancelled;
    private boolean cancelRequested;
    /** Changes on every wait, so that a wake-up meant for an earlier wait is ignored. */
    private long waitToken;
    private final List<Runnable> whenDone = new ArrayList<>(1);

    AsyncTask(EventLoop loop, String name, Callable<T> body, boolean continuations) {
        this.loop = loop;
        this.name = name;
        this.body = body;
        this.fiber = Fiber.of(this::runBody, name, continuations);
    }

    /** The task's name, as given to {@link Async#createTask(String, Callable)}. */
    public String name() {
        return name;
    }

    /** True once the coroutine has returned, thrown, or been cancelled. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /** True if the task ended by cancellation. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Asks the task to stop, as asyncio's {@code Task.cancel()}: a task that has not started
     * never runs; a waiting one is woken with a {@link CancellationException} thrown where it
     * awaits (it may catch it and clean up). Returns false if the task is already done.
     */
    public boolean cancel() {
        if (state == State.DONE) {
            return false;
        }
        cancelRequested = true;
        if (state == State.NEW) {
            cancelled = true;
            error = new CancellationException("task '" + name + "' was cancelled before it started");
            finish();
        } else if (state == State.WAITING) {
            loop.schedule(this, ++waitToken);
        }
        return true;
    }

    /**
     * The result of a finished task; throws what the coroutine threw (unchanged), or a
     * {@link CancellationException} if it was cancelled.
     *
     * @throws IllegalStateException if the task is not done yet (await it instead)
     */
    public T result() {
        if (state != State.DONE) {
            throw new IllegalStateException("task '" + name + "' is not done yet: await it with Async.await(task)");
        }
        if (error != null) {
            throw Async.sneaky(error);
        }
        return result;
    }

    /** "Task producer (waiting)", "Task consumer-1 (done)". */
    @Override
    public String toString() {
        return "Task " + name + " (" + (cancelled ? "cancelled" : state.name().toLowerCase(java.util.Locale.ROOT)) + ")";
    }

    // ---- For the loop ----

    Throwable error() {
        return error;
    }

    /** Runs {@code action} on the loop once the task is done (at once if it is). */
    void whenDone(Runnable action) {
        if (state == State.DONE) {
            action.run();
        } else {
            whenDone.add(action);
        }
    }

    boolean isNew() {
        return state == State.NEW;
    }

    boolean markReady(long token) {
        if (state == State.DONE || state == State.READY || state == State.RUNNING || (state == State.WAITING && token != waitToken)) {
            return false;
        }
        state = State.READY;
        return true;
    }

    void markRunning() {
        state = State.RUNNING;
    }

    /** A new wait begins: wake-ups for it must carry the token returned. */
    long newWait() {
        return ++waitToken;
    }

    /**
     * Suspends this task (called from its own body) until the loop wakes it with the current
     * token; throws the cancellation if one was asked for meanwhile.
     */
    void suspend() {
        state = State.WAITING;
        fiber.suspend();
        state = State.RUNNING;
        throwIfCancelled();
    }

    void throwIfCancelled() {
        if (cancelRequested) {
            cancelRequested = false;
            throw new CancellationException("task '" + name + "' was cancelled");
        }
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    private void runBody() {
        EventLoop.CURRENT.set(this); // on its own virtual thread; on a continuation, the loop has set it already
        try {
            throwIfCancelled();
            result = body.call();
        } catch (CancellationException e) {
            cancelled = true;
            error = e;
        } catch (Throwable e) {
            error = e;
        }
    }

    /** The body has ended (its fiber is done): wake whoever waits for it. */
    void finish() {
        state = State.DONE;
        List<Runnable> actions = new ArrayList<>(whenDone);
        whenDone.clear();
        actions.forEach(Runnable::run);
    }
}
