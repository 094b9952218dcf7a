package concurrencylab.coroutines;

import concurrencylab.chart.Bar;
import concurrencylab.chart.Charts;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jfree.chart.JFreeChart;

/**
 * An asyncio-like event loop: one thread (the one that calls {@link #run}) runs every task, a
 * step at a time, and a task gives up the thread only where it awaits. Tasks are written top to
 * bottom with the functions of {@link Async}, as the article's {@code async def} functions are.
 *
 * <pre>{@code
 * String greeting = Async.run(() -> {
 *     AsyncTask<String> hello = Async.createTask("hello", () -> { Async.sleep(Duration.ofMillis(100)); return "hello"; });
 *     AsyncTask<String> world = Async.createTask("world", () -> { Async.sleep(Duration.ofMillis(50)); return "world"; });
 *     return String.join(" ", Async.gather(hello, world));   // after 100 ms, not 150
 * });
 * }</pre>
 *
 * <p>Contract: tasks woken for the same moment run in the order they went to sleep; a task that
 * runs longer than the slow-step threshold (100 ms unless set) without awaiting is reported by
 * name on the loop's output (asyncio does so only in debug mode), since every other task waited
 * meanwhile. When the main coroutine ends, tasks still running are cancelled and run to their
 * end, so nothing of the loop outlives {@link #run}. Interrupting the loop's thread cancels every
 * task and makes {@code run} throw a {@link CancellationException}.
 *
 * <p>What it does not do: run tasks in parallel (for that, use threads), or let a blocking call
 * (a sleep, a read) go without stalling every task: send those to another thread with
 * {@link Async#toThread}.
 */
public final class EventLoop {

    static final ThreadLocal<AsyncTask<?>> CURRENT = new ThreadLocal<>();
    private static final int STEPS_KEPT = 20_000;
    private static final long SHUTDOWN_MILLIS = 1_000;

    private final PrintStream out;
    private final long slowStepNanos;
    private final boolean continuations;
    private final ArrayDeque<AsyncTask<?>> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<Runnable> posted = new ConcurrentLinkedQueue<>();
    private final Set<AsyncTask<?>> alive = new LinkedHashSet<>();
    private final List<Step> steps = new ArrayList<>();
    private ExecutorService offLoop;
    // A ReentrantLock, not synchronized: without continuations the loop runs on a virtual thread,
    // which on JDK 21-23 would pin its carrier while it holds a monitor.
    private final ReentrantLock offLoopLock = new ReentrantLock();
    private final Set<Thread> blockingThreads = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;
    private long timerSequence;
    private long stepCount;
    private int taskCount;
    private long t0Nanos;
    private boolean used;

    private EventLoop(Builder builder) {
        this.out = builder.out;
        this.slowStepNanos = builder.slowStep.toNanos();
        this.continuations = builder.continuations && Fiber.continuationsAvailable();
    }

    /** A loop with the default settings (output System.out, slow steps from 100 ms). */
    public static EventLoop create() {
        return builder().build();
    }

    /** Settings for a loop. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code main} as this loop's first task, on the calling thread, until it ends; then
     * cancels whatever tasks are left and waits for them. A loop runs once.
     *
     * @return what main returned
     * @throws CancellationException if the calling thread was interrupted (every task was cancelled)
     * @throws IllegalStateException if this loop has run already, or if called from inside a task
     */
    public <T> T run(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        if (used) {
            throw new IllegalStateException("an event loop runs once: make a new one (or call Async.run again)");
        }
        if (CURRENT.get() != null) {
            throw new IllegalStateException("Async.run was called from inside a task: await the coroutine instead");
        }
        used = true;
        if (!continuations && !Thread.currentThread().isVirtual()) {
            return runOnVirtualThread(main);
        }
        return runHere(main);
    }

    /**
     * Without continuations each task has a virtual thread, and a step is a hand-off between the
     * loop's thread and the task's. Between two virtual threads that costs about a microsecond;
     * with a platform thread on one side, tens. So the loop itself runs on a virtual thread while
     * the caller waits for it, passing on an interrupt.
     */
    private <T> T runOnVirtualThread(Callable<T> main) {
        Object[] outcome = new Object[2];
        Thread loop = Thread.ofVirtual().name("event-loop").start(() -> {
            try {
                outcome[0] = runHere(main);
            } catch (Throwable e) {
                outcome[1] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                loop.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                loop.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (outcome[1] != null) {
            throw Async.sneaky((Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    private <T> T runHere(Callable<T> main) {
        thread = Thread.currentThread();
        t0Nanos = System.nanoTime();
        AsyncTask<T> mainTask = createTask("main", main);
        try {
            while (!mainTask.isDone()) {
                if (Thread.interrupted()) {
                    shutdown();
                    Thread.currentThread().interrupt();
                    throw new CancellationException("the event loop's thread was interrupted: every task was cancelled");
                }
                runOnce(mainTask::isDone, Long.MAX_VALUE);
            }
        } finally {
            shutdown();
            thread = null;
        }
        return mainTask.result();
    }

    /** How many steps the loop has run: each a stretch of one task between two awaits. */
    public long steps() {
        return stepCount;
    }

    /** True when tasks switch as JDK continuations on the loop's thread; false when each has a virtual thread. */
    public boolean onContinuations() {
        return continuations;
    }

    /**
     * Every step the loop ran (the first 20,000), as bars on one row per task: a timeline of
     * who had the thread when. No two bars ever overlap.
     */
    public JFreeChart timelineChart(String title) {
        if (steps.isEmpty()) {
            throw new IllegalStateException("the loop has run no steps yet");
        }
        Map<String, Integer> rows = new LinkedHashMap<>();
        List<Bar> bars = new ArrayList<>();
        for (Step step : steps) {
            int row = rows.computeIfAbsent(step.task(), k -> rows.size() + 1);
            // A step of a few microseconds would not show: draw it at least 0.2% of the run wide.
            bars.add(new Bar(row, step.startMillis(), Math.max(step.endMillis(), step.startMillis() + minimumWidth()), step.task()));
        }
        JFreeChart chart = Charts.timeline(title, new ArrayList<>(rows.keySet()), bars);
        return Charts.subtitle(chart, String.format(Locale.ROOT, "%,d steps, one at a time, on one thread", stepCount));
    }

    private double minimumWidth() {
        double end = steps.get(steps.size() - 1).endMillis();
        return Math.max(0.05, end / 500);
    }

    /** Every step the loop ran (the first 20,000): task name, start and end in ms since run began. */
    public List<Step> stepList() {
        return List.copyOf(steps);
    }

    /**
     * One stretch of one task on the loop's thread.
     *
     * @param task the task's name
     * @param startMillis since {@link #run} began
     * @param endMillis since {@link #run} began
     */
    public record Step(String task, double startMillis, double endMillis) {

        /** How long the step held the loop's thread. */
        public double millis() {
            return endMillis - startMillis;
        }
    }

    /**
     * The longest time {@code task} went without the thread between two of its steps (from the
     * end of one to the start of the next), over the steps kept: its own sleeps, plus however
     * long other tasks held the thread when it was due. A task that sleeps a tick and finds it
     * much longer here was kept waiting by a step that did not await.
     *
     * @throws IllegalArgumentException if no task of that name took two steps
     */
    public double longestPauseMillis(String task) {
        Objects.requireNonNull(task, "task");
        double longest = -1;
        Step previous = null;
        for (Step step : steps) {
            if (step.task().equals(task)) {
                if (previous != null) {
                    longest = Math.max(longest, step.startMillis() - previous.endMillis());
                }
                previous = step;
            }
        }
        if (longest < 0) {
            throw new IllegalArgumentException("no task named '" + task + "' took two steps on this loop (tasks: "
                    + steps.stream().map(Step::task).distinct().toList() + ")");
        }
        return longest;
    }

    // ---- For Async ----

    <T> AsyncTask<T> createTask(String name, Callable<T> body) {
        Objects.requireNonNull(body, "coroutine");
        AsyncTask<T> task = new AsyncTask<>(this, name != null ? name : "task-" + (++taskCount), body, continuations);
        alive.add(task);
        schedule(task, 0);
        return task;
    }

    /** Makes the task ready to run its next step, if {@code token} is still the one it waits with. */
    void schedule(AsyncTask<?> task, long token) {
        if (task.markReady(token)) {
            ready.add(task);
        }
    }

    /** Wakes the task at {@code deadlineNanos}; tasks with the same deadline wake in the order asked. */
    Timer at(long deadlineNanos, Runnable action) {
        Timer timer = new Timer(deadlineNanos, timerSequence++, action);
        timers.add(timer);
        return timer;
    }

    /** Runs {@code action} on the loop's thread soon; callable from any thread. */
    void post(Runnable action) {
        posted.add(action);
        Thread loopThread = thread;
        if (loopThread != null) {
            LockSupport.unpark(loopThread);
        }
    }

    ExecutorService offLoop() {
        offLoopLock.lock();
        try {
            if (offLoop == null) {
                ThreadFactory named = Thread.ofPlatform().daemon().name("event-loop-blocking-", 1).factory();
                // Remembered so that shutdown can join them: an executor is terminated once its tasks
                // have returned, a moment before their threads have ended.
                offLoop = Executors.newThreadPerTaskExecutor(task -> {
                    Thread thread = named.newThread(task);
                    blockingThreads.add(thread);
                    return thread;
                });
            }
            return offLoop;
        } finally {
            offLoopLock.unlock();
        }
    }

    /**
     * One round: posted actions, due timers, then a step of each task ready now; then, unless
     * {@code finished}, waits for the next timer or posted action, but not past {@code until}.
     */
    private void runOnce(java.util.function.BooleanSupplier finished, long until) {
        Runnable action;
        while ((action = posted.poll()) != null) {
            action.run();
        }
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadlineNanos <= now) {
            Timer timer = timers.poll();
            if (!timer.cancelled) {
                timer.action.run();
            }
        }
        // Only the tasks ready now: any a step makes ready wait for the next round, as asyncio's.
        int count = ready.size();
        for (int i = 0; i < count; i++) {
            step(ready.poll());
        }
        if (ready.isEmpty() && posted.isEmpty() && !finished.getAsBoolean()) {
            Timer next = timers.peek();
            while (next != null && next.cancelled) {
                timers.poll();
                next = timers.peek();
            }
            long wake = next == null ? until : Math.min(until, next.deadlineNanos);
            if (wake == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long wait = wake - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        }
    }

    private void step(AsyncTask<?> task) {
        if (task.isDone()) {
            return;
        }
        task.markRunning();
        if (continuations) {
            CURRENT.set(task);
        }
        long start = System.nanoTime();
        boolean done;
        try {
            done = task.fiber.step();
        } finally {
            if (continuations) {
                CURRENT.remove();
            }
        }
        long end = System.nanoTime();
        stepCount++;
        if (steps.size() < STEPS_KEPT) {
            steps.add(new Step(task.name(), (start - t0Nanos) / 1e6, (end - t0Nanos) / 1e6));
        }
        if (end - start > slowStepNanos) {
            // One printf: PrintStream keeps a single call's output whole, with no monitor of ours held.
            out.printf(Locale.ROOT, "[event loop] task '%s' ran for %,d ms without awaiting: every other task waited."
                            + " Await instead of blocking, or move the blocking call off the loop with Async.toThread(...)%n",
                    task.name(), (end - start) / 1_000_000);
        }
        if (done) {
            alive.remove(task);
            task.finish();
        }
    }

    /** Cancels every task left, runs them to their end (a second at most), and stops the blocking threads. */
    private void shutdown() {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS);
        for (AsyncTask<?> task : new ArrayList<>(alive)) {
            task.cancel();
        }
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            for (AsyncTask<?> task : new ArrayList<>(alive)) {
                if (!task.isDone() && !ready.contains(task)) {
                    task.cancel(); // again: a task may have caught the first cancellation and awaited anew
                }
            }
            runOnce(alive::isEmpty, deadline);
        }
        if (!alive.isEmpty()) {
            out.println("[event loop] " + alive.size() + " task(s) did not end within a second of being cancelled: "
                    + alive);
        }
        ExecutorService blocking;
        offLoopLock.lock();
        try {
            blocking = offLoop;
            offLoop = null;
        } finally {
            offLoopLock.unlock();
        }
        if (blocking != null) {
            blocking.shutdownNow();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS);
            try {
                blocking.awaitTermination(SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
                for (Thread thread : List.copyOf(blockingThreads)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                    if (left > 0) {
                        thread.join(left);
                    }
                    if (!thread.isAlive()) {
                        blockingThreads.remove(thread);
                    }
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Something to do at a moment; ordered by moment, then by when it was asked for. */
    static final class Timer implements Comparable<Timer> {
        final long deadlineNanos;
        final long sequence;
        final Runnable action;
        boolean cancelled;

        Timer(long deadlineNanos, long sequence, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(deadlineNanos, other.deadlineNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /** Settings for a loop; see {@link EventLoop#builder()}. */
    public static final class Builder {
        private PrintStream out = System.out;
        private Duration slowStep = Duration.ofMillis(100);
        private boolean continuations = true;

        private Builder() {}

        /** Where the loop reports slow steps (default System.out). */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "output");
            return this;
        }

        /**
         * A step longer than this is reported (default 100 ms, as asyncio's debug mode).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder slowStep(Duration threshold) {
            Objects.requireNonNull(threshold, "slowStep");
            if (threshold.isNegative() || threshold.isZero()) {
                throw new IllegalArgumentException("slowStep must be positive (got " + threshold + ")");
            }
            this.slowStep = threshold;
            return this;
        }

        /** For tests: false runs each task on a virtual thread even where continuations are available. */
        Builder continuations(boolean use) {
            this.continuations = use;
            return this;
        }

        public EventLoop build() {
            return new EventLoop(this);
        }
    }
}
