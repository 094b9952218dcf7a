package concurrencylab.pools;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of workers that apply one function to many inputs, as Python's
 * {@code multiprocessing.Pool} does: worker JVMs ({@link #processes}) or threads of this JVM
 * ({@link #threads}), with the same calls on both.
 *
 * <pre>{@code
 * try (Pool pool = Pool.processes(4)) {
 *     List<Long> counts = pool.map(PoolFunctions.count(), List.of(N, N, N, N, N)); // five tasks, two cycles
 *     for (long square : pool.imap(PoolFunctions.square(), inputs)) { ... }       // lazily, in order
 * }
 * }</pre>
 *
 * <p>Inputs go to the workers in chunks (a "task" is one chunk). A worker takes its next task
 * when it is free, so five equal tasks on four workers run in two cycles; a process worker whose
 * tasks are short is sent a few in advance, so that tiny tasks do not wait for the pipe. Results
 * come back in input order ({@code map}, {@code imap}) or as they finish
 * ({@code imapUnordered}). {@code imap} reads its input lazily and keeps at most
 * max(1,024, 4 x workers x chunksize) inputs taken but not yet returned, so it runs over inputs
 * of any size, even unbounded ones, in bounded memory.
 *
 * <p>What a pool does not do: hang. A worker JVM that dies fails the waiting call at once (and
 * breaks the pool: see {@link PoolBrokenException}); a call that outlives the pool's timeout
 * (10 minutes unless set) fails; interrupting a thread that waits in {@code map} or in an
 * imap's iterator terminates the pool. A task that throws fails its call with a
 * {@link TaskFailedException} and leaves the pool usable.
 *
 * <p>Memory consistency: actions of a worker thread before it produces a result happen-before
 * the caller receives that result.
 */
public abstract sealed class Pool implements AutoCloseable permits ClusterPool, ProcessPool, ThreadPool {

    /** Which workers a pool has. */
    public enum Kind {
        /** Worker JVMs: separate memory, inputs and results copied between them. */
        PROCESSES,
        /** Platform threads of this JVM: shared memory, nothing copied. */
        THREADS,
        /** Members of a Hazelcast cluster, each a JVM on this machine or another, reached over TCP. */
        CLUSTER;

        /** "processes", "threads" or "cluster". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind named by {@link #label()}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public static Kind fromName(String name) {
            for (Kind kind : values()) {
                if (kind.label().equalsIgnoreCase(String.valueOf(name).trim())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("kind must be processes, threads or cluster (got " + name + ")");
        }
    }

    /** The most workers a pool may have: for worker JVMs, as for the runners' child JVMs. */
    static final int MAX_PROCESS_WORKERS = Math.min(64, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
    static final int MAX_THREAD_WORKERS = 1024;
    /** Members a cluster pool starts on this machine: each is a JVM of about 150 MB. */
    public static final int MAX_LOCAL_MEMBERS = 8;
    /** Members a cluster pool may join elsewhere. */
    static final int MAX_JOINED_MEMBERS = 256;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final int MIN_WINDOW = 1024;

    private enum Mode {
        MAP("map"), IMAP("imap"), UNORDERED("imap-unordered"), SUBMIT("submit");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private enum State { OPEN, CLOSING, CLOSED, TERMINATED, BROKEN }

    final int workers;
    final PrintStream out;
    final Duration timeout;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there may be a task for a worker (new input, room in a window, a free slot). */
    final Condition work = lock.newCondition();
    /** Signalled when a call may have something new: a result, a failure, the end. */
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job<?>> feedable = new ArrayDeque<>();
    private final Map<Long, Chunk> running = new HashMap<>();
    private State state = State.OPEN;
    private RuntimeException stopped;
    private long nextChunkId;
    private double startMillis;
    /** Set once every worker is ready: before that, a worker's end is the start-up's failure to report. */
    private volatile boolean ready;
    private volatile PoolCall lastCall;

    Pool(int workers, PrintStream out, Duration timeout) {
        this.workers = workers;
        this.out = out;
        this.timeout = timeout;
    }

    /**
     * A pool of {@code workers} worker JVMs (64 MB heaps), ready when this returns.
     *
     * @throws IllegalArgumentException if workers is below 1 or above the machine's limit
     */
    public static Pool processes(int workers) {
        return builder(Kind.PROCESSES).workers(workers).build();
    }

    /**
     * A pool of {@code workers} platform threads.
     *
     * @throws IllegalArgumentException if workers is below 1 or above 1,024
     */
    public static Pool threads(int workers) {
        return builder(Kind.THREADS).workers(workers).build();
    }

    /**
     * A pool whose workers are {@code members} Hazelcast members started on this machine, each a
     * JVM (128 MB heap) listening on loopback only, joined into a cluster of their own; this JVM
     * is the cluster's client, not a worker. Ready when this returns (a few seconds). To use
     * members on other machines, see {@link Builder#join}.
     *
     * @throws IllegalArgumentException if members is below 1 or above 8
     */
    public static Pool cluster(int members) {
        return builder(Kind.CLUSTER).workers(members).build();
    }

    /** A builder for a pool of the given kind, for the settings the factories leave at defaults. */
    public static Builder builder(Kind kind) {
        return new Builder(Objects.requireNonNull(kind, "kind"));
    }

    /** Which workers this pool has. */
    public abstract Kind kind();

    /** How many workers this pool has. */
    public int workers() {
        return workers;
    }

    /** How long the pool took to start: until every worker was ready for work. */
    public double startMillis() {
        return startMillis;
    }

    /**
     * The process ids of the worker JVMs (a process pool's workers, or the members a cluster pool
     * started on this machine), in worker order; empty for threads and for members it joined.
     * For a lesson that kills one: {@code ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)}.
     */
    public List<Long> workerPids() {
        return List.of();
    }

    /** The last map, imap or imapUnordered call that finished, or null before the first. */
    public PoolCall lastCall() {
        return lastCall;
    }

    /**
     * Applies {@code function} to every input and returns the results in input order, once all
     * are done. The input is read whole first; the default chunksize is CPython's,
     * ceil(inputs / (4 x workers)).
     *
     * @throws TaskFailedException if the function threw for an input (the pool stays usable)
     * @throws PoolBrokenException if a worker died or the call outlived the pool's timeout
     * @throws CancellationException if the calling thread was interrupted (the pool is terminated)
     * @throws IllegalArgumentException for a null or (for processes) unsupported input
     * @throws IllegalStateException if the pool is closed
     */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> inputs) {
        return mapInChunks(function, inputs, 0);
    }

    /** {@link #map(PoolFunction, Iterable)} with a given chunksize (at least 1). */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> inputs, int chunksize) {
        requireChunksize(chunksize);
        return mapInChunks(function, inputs, chunksize);
    }

    /** Map with a chunksize, or CPython's default for 0. */
    private <R> List<R> mapInChunks(PoolFunction<?, ?> function, Iterable<?> inputs, int chunksize) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(inputs, "inputs");
        // Every input is checked before any work starts. A collection is read where it is (its
        // size is known); anything else is first copied into a list, as CPython's map does.
        Collection<?> all;
        if (inputs instanceof Collection<?> collection) {
            long index = 0;
            for (Object input : collection) {
                checkInput(input, index++);
            }
            all = collection;
        } else {
            List<Object> copy = new ArrayList<>();
            for (Object input : inputs) {
                checkInput(input, copy.size());
                copy.add(input);
            }
            all = copy;
        }
        int size = chunksize != 0 ? Math.min(chunksize, Math.max(1, all.size()))
                : Math.max(1, (int) Math.ceil(all.size() / (4.0 * workers)));
        Job<R> job = start(Mode.MAP, function, all.iterator(), size, Long.MAX_VALUE, all.size());
        return job.awaitAll();
    }

    /**
     * Applies {@code function} to each input, reading the input lazily, and returns an iterator
     * over the results in input order, each as soon as it and all before it are done. The
     * chunksize is 1: one input per task.
     *
     * @throws IllegalStateException if the pool is closed
     */
    public <T, R> Results<R> imap(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> inputs) {
        return imap(function, inputs, 1);
    }

    /** {@link #imap(PoolFunction, Iterable)} with a given chunksize (at least 1). */
    public <T, R> Results<R> imap(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> inputs, int chunksize) {
        return lazily(Mode.IMAP, function, inputs, chunksize);
    }

    /**
     * Like {@link #imap(PoolFunction, Iterable)}, but yields results in the order they finish
     * (Python's {@code imap_unordered}).
     */
    public <T, R> Results<R> imapUnordered(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> inputs) {
        return imapUnordered(function, inputs, 1);
    }

    /** {@link #imapUnordered(PoolFunction, Iterable)} with a given chunksize (at least 1). */
    public <T, R> Results<R> imapUnordered(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> inputs,
                                           int chunksize) {
        return lazily(Mode.UNORDERED, function, inputs, chunksize);
    }

    /**
     * Runs {@code function} on one input on the next free worker, and returns at once (Python's
     * {@code apply_async}). The future fails with {@link TaskFailedException} if the function
     * threw, and with the pool's error if the pool breaks or is terminated first.
     *
     * @throws IllegalArgumentException for a null or (for processes) unsupported input
     * @throws IllegalStateException if the pool is closed
     */
    public <T, R> CompletableFuture<R> submit(PoolFunction<? super T, ? extends R> function, T input) {
        Objects.requireNonNull(function, "function");
        checkInput(input, 0);
        Job<R> job = start(Mode.SUBMIT, function, List.<Object>of(input).iterator(), 1, Long.MAX_VALUE, 0);
        return job.future;
    }

    /**
     * Finishes the work already handed to the pool (maps and submitted tasks in progress; the
     * inputs of unfinished imap calls are no longer read, and their iterators fail), then stops
     * the workers and waits until they are gone. Waits at most the pool's timeout; if interrupted
     * while waiting, terminates the pool. Calling it again does nothing.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (state == State.TERMINATED || state == State.BROKEN) {
                // Stopped by another thread (a dead worker, an interrupt): wait until its workers are gone.
                lock.unlock();
                try {
                    stopWorkers(true);
                } finally {
                    lock.lock();
                }
                return;
            }
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            for (Job<?> job : new ArrayList<>(feedable)) {
                if (job.mode == Mode.IMAP || job.mode == Mode.UNORDERED) {
                    job.fail(new IllegalStateException("the pool was closed before this " + job.mode.label
                            + " had read all its input: iterate it inside the try-with-resources block"), new ArrayList<>());
                }
            }
            work.signalAll();
            changed.signalAll();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (state == State.CLOSING && (!feedable.isEmpty() || !running.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (state != State.CLOSING || !feedable.isEmpty() || !running.isEmpty()) {
                // Interrupted, timed out, or broken meanwhile: stop now instead.
                lock.unlock();
                try {
                    terminate();
                } finally {
                    lock.lock();
                }
                return;
            }
            state = State.CLOSED;
            stopped = new IllegalStateException("this pool is closed: make a new one, e.g. try (Pool pool = Pool."
                    + kind().label() + "(" + workers + ")) { ... }");
            work.signalAll();
        } finally {
            lock.unlock();
        }
        stopWorkers(false);
    }

    /**
     * Stops every worker now: worker JVMs are killed, worker threads interrupted (a function
     * that ignores interrupts runs on in the background until it returns). Calls in progress
     * fail with a {@link CancellationException}. Returns when the workers are gone (at most a
     * second or two).
     */
    public void terminate() {
        stop(State.TERMINATED, new CancellationException("the pool was terminated: its work in progress was stopped"), true);
    }

    /** True once a worker died or a call timed out: the pool refuses all further work. */
    public boolean isBroken() {
        lock.lock();
        try {
            return state == State.BROKEN;
        } finally {
            lock.unlock();
        }
    }

    /** One line: kind, workers, state. */
    @Override
    public String toString() {
        lock.lock();
        try {
            return String.format(Locale.ROOT, "%s pool of %d worker%s (%s), started in %,.0f ms", kind().label(),
                    workers, workers == 1 ? "" : "s", state.name().toLowerCase(Locale.ROOT), startMillis);
        } finally {
            lock.unlock();
        }
    }

    // ---- For the two kinds of pool ----

    /** Starts the workers and returns when all are ready; on failure stops those started and throws. */
    abstract void startWorkers();

    /** Stops the workers: now (kill, interrupt) or, after a close, by telling them no work is left. */
    abstract void stopWorkers(boolean now);

    /** Rejects what this kind of pool cannot take to its workers, naming the input. */
    abstract void checkInput(Object input, long index);

    /** A task's inputs as the pool keeps them until the task is done. */
    List<Object> keep(List<Object> inputs) {
        return inputs;
    }

    /** Whether this kind keeps a task's Long inputs as a long[] ({@link Wire.Longs}), read straight into one. */
    boolean compactsInputs() {
        return false;
    }

    /** What a worker needs to find the function; throws if this kind of pool cannot send it. */
    abstract Object prepare(PoolFunction<?, ?> function);

    final void started(double millis) {
        startMillis = millis;
        ready = true;
    }

    /** Microseconds since the epoch: the one clock all JVMs on a machine share. */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Waits until each thread (but the current one) has ended, or the deadline ({@link
     * System#nanoTime} units) has passed; an interrupt meanwhile does not cut the wait short,
     * and is kept for the caller.
     */
    static void joinAll(Iterable<Thread> threads, long deadline) {
        boolean interrupted = Thread.interrupted();
        for (Thread thread : threads) {
            long left;
            while (thread != Thread.currentThread() && thread.isAlive() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    thread.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void requireChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1 (got " + chunksize + "): it is how many "
                    + "inputs a worker takes at a time; leave it out for the default");
        }
    }

    static void requireInput(Object input, long index) {
        if (input == null) {
            throw new IllegalArgumentException("input " + index + " is null: a pool takes no null inputs; leave "
                    + "them out of the input first");
        }
    }

    /** A worker's place in the pool: how many of its tasks are in flight, and how long they take. */
    static final class Slot {
        final int number;
        final int maxInFlight;
        int inFlight;
        /** Set when the pool itself ended this worker's input (after a close): its end is expected. */
        volatile boolean retired;
        /** Set when this worker is gone but the pool goes on without it (a cluster member that left): it takes no more tasks. */
        volatile boolean gone;
        private double averageMicros = -1;

        Slot(int number, int maxInFlight) {
            this.number = number;
            this.maxInFlight = maxInFlight;
        }

        /** Tasks this worker may hold: one until they prove short, then about 2 ms of work, at most maxInFlight. */
        int capacity() {
            if (averageMicros < 0) {
                return 1;
            }
            return (int) Math.max(1, Math.min(maxInFlight, Math.ceil(2_000 / Math.max(1, averageMicros))));
        }

        /**
         * Whether this worker may take another task of {@code job} now: when it is free, or when
         * its recent tasks were short (see {@link #capacity}). A long task is never queued behind
         * another, so it goes to whichever worker frees up first; but a map that cut its inputs
         * into chunks gives each worker its next chunk while it runs one, so that the pool's
         * side of a chunk (reading, checking and sending its inputs) overlaps the work instead
         * of stalling it.
         */
        boolean mayTake(Job<?> job) {
            return inFlight < capacity() || (job.inBatches() && inFlight < 2);
        }

        /** The recent tasks' average length in microseconds, or -1 before the first. */
        double averageMicros() {
            return averageMicros;
        }

        void took(long micros) {
            averageMicros = averageMicros < 0 ? micros : 0.8 * averageMicros + 0.2 * micros;
        }
    }

    /** Inputs that go to one worker together, and the call they belong to. */
    static final class Chunk {
        final long id;
        final Job<?> job;
        final int number;
        final long firstInput;
        final List<Object> inputs;
        final Object function;
        Slot slot;

        Chunk(long id, Job<?> job, int number, long firstInput, List<Object> inputs, Object function) {
            this.id = id;
            this.job = job;
            this.number = number;
            this.firstInput = firstInput;
            this.inputs = inputs;
            this.function = function;
        }

        /** "task 3 (inputs 2..2: 100000000)", for messages. */
        String describe() {
            return "task " + number + " (input" + (inputs.size() == 1 ? " " + firstInput + ": "
                    + TaskFailedException.describe(inputs.get(0)) : "s " + firstInput + ".." + (firstInput + inputs.size() - 1))
                    + ")";
        }
    }

    /**
     * Hands the next task to the worker in {@code slot}, or null: when {@code wait} is false and
     * nothing is ready now, or when no more work will come (the pool is closing or stopped). The
     * caller's input is read here, outside the pool's lock, by one worker at a time per call.
     */
    final Chunk take(Slot slot, boolean wait) throws InterruptedException {
        while (true) {
            Job<?> job = claim(slot, wait);
            if (job == null) {
                return null;
            }
            // Sized for the whole chunk where map knows how many inputs are left: no copying as it grows.
            long left = job.mode == Mode.MAP ? job.mapSize - job.taken : job.chunksize;
            Wire.Collector inputs = new Wire.Collector((int) Math.max(1, Math.min(Math.min(job.chunksize, left), 1 << 20)),
                    compactsInputs());
            RuntimeException failure = null;
            boolean exhausted = false;
            try {
                while (inputs.size() < job.chunksize && !(exhausted = !job.input.hasNext())) {
                    Object input = job.input.next();
                    checkInput(input, job.taken + inputs.size());
                    inputs.add(input);
                }
                // A full chunk does not ask for more: hasNext() of a lazy input may block until
                // the next input exists, and this chunk must not wait for it.
            } catch (RuntimeException e) {
                failure = e;
            } catch (Exception | Error e) {
                failure = new IllegalStateException("reading the input failed: " + e, e);
            }
            List<Object> read = inputs.list();
            Chunk chunk = record(slot, job, failure == null ? keep(read) : read, failure, exhausted);
            if (chunk != null) {
                return chunk;
            }
        }
    }

    /** Picks a call whose input this worker reads next, or null if none will come (or none now, without wait). */
    private Job<?> claim(Slot slot, boolean wait) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!isRunning() || slot.gone) {
                    return null;
                }
                for (Job<?> candidate : feedable) {
                    if (!candidate.reading && candidate.outstanding < candidate.window && slot.mayTake(candidate)) {
                        candidate.reading = true;
                        slot.inFlight++;
                        return candidate;
                    }
                }
                if (state == State.CLOSING && feedable.isEmpty()) {
                    return null;
                }
                if (!wait) {
                    return null;
                }
                work.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes a task of the inputs a worker read, or records why there is none. */
    private Chunk record(Slot slot, Job<?> job, List<Object> inputs, RuntimeException failure, boolean exhausted) {
        List<Runnable> afterwards = new ArrayList<>();
        lock.lock();
        try {
            job.reading = false;
            Chunk chunk = null;
            if (failure != null) {
                job.failInPlace(job.chunksMade, failure, afterwards);
            } else if (job.mode == Mode.MAP && (job.taken + inputs.size() > job.mapSize
                    || (exhausted && job.taken + inputs.size() != job.mapSize))) {
                job.fail(new IllegalStateException("the input changed while map was reading it (it held " + job.mapSize
                        + " elements when map began): pass map a copy, e.g. List.copyOf(inputs)"), afterwards);
            } else if (job.failure == null && !inputs.isEmpty() && isRunning()) {
                chunk = new Chunk(nextChunkId++, job, ++job.chunksMade, job.taken, inputs, job.function);
                chunk.slot = slot;
                job.taken += inputs.size();
                job.outstanding += inputs.size();
                running.put(chunk.id, chunk);
            }
            if (exhausted && failure == null) {
                job.inputDone = true;
                feedable.remove(job);
            }
            if (chunk == null) {
                slot.inFlight--;
            }
            work.signalAll();
            changed.signalAll();
            return chunk;
        } finally {
            lock.unlock();
            afterwards.forEach(Runnable::run);
        }
    }

    /**
     * A worker's results for one task; {@code worker} is the worker that ran it when that is not
     * the one it was handed to (a cluster's re-run), else 0.
     */
    record Done(long chunkId, List<Object> results, long startMicros, long endMicros, int worker) {
        Done(long chunkId, List<Object> results, long startMicros, long endMicros) {
            this(chunkId, results, startMicros, endMicros, 0);
        }
    }

    /** Records finished tasks (a worker's batch, under one lock) and wakes the callers. */
    final void finished(Slot slot, List<Done> batch) {
        List<Runnable> afterwards = new ArrayList<>();
        lock.lock();
        try {
            for (Done done : batch) {
                Chunk chunk = running.remove(done.chunkId);
                if (chunk == null) {
                    continue; // its call already failed or the pool stopped
                }
                slot.inFlight--;
                slot.took(done.endMicros - done.startMicros);
                chunk.job.accept(chunk, done, afterwards);
            }
            work.signalAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        afterwards.forEach(Runnable::run);
    }

    /** The function threw for input {@code offset} of a task: that call fails, the pool carries on. */
    final void failed(Slot slot, long chunkId, int offset, Throwable error, long startMicros, long endMicros) {
        failed(slot, slot.number, chunkId, offset, error, startMicros, endMicros);
    }

    /** As {@link #failed(Slot, long, int, Throwable, long, long)}, run by {@code worker} (a cluster's re-run may run elsewhere). */
    final void failed(Slot slot, int worker, long chunkId, int offset, Throwable error, long startMicros, long endMicros) {
        List<Runnable> afterwards = new ArrayList<>();
        lock.lock();
        try {
            Chunk chunk = running.remove(chunkId);
            if (chunk == null) {
                return;
            }
            slot.inFlight--;
            slot.took(endMicros - startMicros);
            Job<?> job = chunk.job;
            job.span(chunk, worker, worker == slot.number ? TaskSpan.Outcome.RAN : TaskSpan.Outcome.RERUN, startMicros, endMicros);
            job.chunksDone++;
            int at = Math.max(0, Math.min(offset, chunk.inputs.size() - 1));
            TaskFailedException failure = new TaskFailedException(chunk.firstInput + at, chunk.inputs.get(at), worker,
                    kind().label(), error);
            job.failInPlace(chunk.number - 1, failure, afterwards);
            work.signalAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        afterwards.forEach(Runnable::run);
    }

    /**
     * A task that will not come back (a cluster member left with it and no other member ran it):
     * its call fails with {@code error}, drawn on the timeline from {@code sentMicros} to
     * {@code lostMicros} as lost; the pool goes on.
     */
    final void lost(long chunkId, RuntimeException error, long sentMicros, long lostMicros) {
        List<Runnable> afterwards = new ArrayList<>();
        lock.lock();
        try {
            Chunk chunk = running.remove(chunkId);
            if (chunk == null) {
                return;
            }
            chunk.slot.inFlight--;
            chunk.job.span(chunk, chunk.slot.number, TaskSpan.Outcome.LOST, sentMicros, lostMicros);
            chunk.job.chunksDone++;
            chunk.job.fail(error, afterwards);
            work.signalAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        afterwards.forEach(Runnable::run);
    }

    /** Records, for the timeline, the part of a task that a worker ran before it was lost (the task ran again elsewhere). */
    final void lostAttempt(long chunkId, int worker, long sentMicros, long lostMicros) {
        lock.lock();
        try {
            Chunk chunk = running.get(chunkId);
            if (chunk != null) {
                chunk.job.span(chunk, worker, TaskSpan.Outcome.LOST, sentMicros, lostMicros);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the task is still waited for. */
    final boolean isRunning(long chunkId) {
        lock.lock();
        try {
            return running.containsKey(chunkId);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every worker, e.g. after one is marked gone. */
    final void wakeWorkers() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Something the pool did not expect went wrong on one of its threads: it cannot go on. */
    final void internalError(Slot slot, Throwable error) {
        stop(State.BROKEN, new PoolBrokenException(slot.number, "the pool is broken: worker " + slot.number
                + "'s thread in this JVM failed (" + error + "). Make a new pool; this is a bug in the lab"), false);
    }

    /**
     * A worker died: the pool is broken. Every call fails with a message that names the worker
     * and what it was running, and the other workers are stopped. Ignored once the pool is
     * stopping on purpose.
     */
    final void died(Slot slot, String what) {
        String message;
        lock.lock();
        try {
            if (!isRunning() || !ready || slot.retired) {
                return;
            }
            List<String> tasks = running.values().stream().filter(c -> c.slot == slot)
                    .sorted(java.util.Comparator.comparingLong(c -> c.id)).map(Chunk::describe).toList();
            message = "the pool is broken: worker " + slot.number + " " + what + (tasks.isEmpty() ? ", between tasks"
                    : " while running " + String.join(", ", tasks.subList(0, Math.min(3, tasks.size())))
                    + (tasks.size() > 3 ? " and " + (tasks.size() - 3) + " more" : ""))
                    + ". The other workers were stopped; make a new pool.";
        } finally {
            lock.unlock();
        }
        stop(State.BROKEN, new PoolBrokenException(slot.number, message), false);
    }

    /**
     * Stops the pool now, failing every call with {@code error}. If another thread is already
     * stopping it, waits until the workers are gone when {@code wait} is set (a caller's
     * terminate or close), and returns at once otherwise (a pool thread reporting a death).
     */
    private void stop(State how, RuntimeException error, boolean wait) {
        List<Runnable> afterwards = new ArrayList<>();
        lock.lock();
        try {
            if (!isRunning()) {
                if (wait && state != State.CLOSED) {
                    lock.unlock();
                    try {
                        stopWorkers(true); // already stopping on another thread: wait until it is done
                    } finally {
                        lock.lock();
                    }
                }
                return;
            }
            state = how;
            stopped = error;
            for (Chunk chunk : running.values()) {
                chunk.job.fail(error, afterwards);
            }
            for (Job<?> job : feedable) {
                job.fail(error, afterwards);
            }
            running.clear();
            feedable.clear();
            work.signalAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        afterwards.forEach(Runnable::run);
        stopWorkers(true);
    }

    private boolean isRunning() {
        return state == State.OPEN || state == State.CLOSING;
    }

    private <R> Results<R> lazily(Mode mode, PoolFunction<?, ?> function, Iterable<?> inputs, int chunksize) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(inputs, "inputs");
        requireChunksize(chunksize);
        long window = Math.max(MIN_WINDOW, 4L * workers * chunksize);
        Job<R> job = start(mode, function, inputs.iterator(), chunksize, window, 0);
        return new Results<>(job);
    }

    private <R> Job<R> start(Mode mode, PoolFunction<?, ?> function, Iterator<?> input, int chunksize, long window,
                             int mapSize) {
        Object prepared;
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw stateError();
            }
        } finally {
            lock.unlock();
        }
        prepared = prepare(function);
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw stateError();
            }
            Job<R> job = new Job<>(mode, prepared, input, chunksize, window);
            if (mode == Mode.MAP) {
                job.results = new List<?>[(int) Math.ceilDiv((long) mapSize, chunksize)];
                job.mapSize = mapSize;
            }
            feedable.add(job);
            work.signalAll();
            return job;
        } finally {
            lock.unlock();
        }
    }

    private RuntimeException stateError() {
        if (stopped instanceof PoolBrokenException broken) {
            return new PoolBrokenException(broken.worker(), broken.getMessage());
        }
        if (state == State.TERMINATED) {
            return new IllegalStateException("this pool was terminated: make a new one");
        }
        if (state == State.CLOSING) {
            return new IllegalStateException("this pool is closing: make a new one");
        }
        return new IllegalStateException(stopped != null ? stopped.getMessage() : "this pool is not open");
    }

    /** One call: its input, what it has handed out, and what has come back. */
    final class Job<R> {
        final Mode mode;
        final Object function;
        final Iterator<?> input;
        final int chunksize;
        final long window;
        final long t0Nanos = System.nanoTime();
        final long t0Micros = epochMicros();
        final CompletableFuture<R> future;
        /** Set while a worker reads the next chunk of input, outside the lock. */
        boolean reading;
        boolean inputDone;
        long taken;
        /** Inputs taken from the input whose results the caller has not yet received. */
        long outstanding;
        int chunksMade;
        int chunksDone;
        int chunksYielded;
        /** For map, each task's results, by task. */
        List<?>[] results;
        /** For map, how many inputs in all; else -1. */
        long mapSize = -1;
        final Map<Integer, List<Object>> ordered = new HashMap<>();
        final ArrayDeque<List<Object>> unordered = new ArrayDeque<>();
        final List<TaskSpan> spans = new ArrayList<>();
        RuntimeException failure;
        /** For imap: a task failed; the results of the tasks before it are yielded, then this is thrown. */
        int failAfter = -1;
        RuntimeException failureInPlace;
        double firstResultMillis = -1;

        Job(Mode mode, Object function, Iterator<?> input, int chunksize, long window) {
            this.mode = mode;
            this.function = function;
            this.input = input;
            this.chunksize = chunksize;
            this.window = window;
            this.future = mode == Mode.SUBMIT ? new CompletableFuture<>() : null;
        }

        /** A map whose tasks are chunks of several inputs (each worker may hold its next one). */
        boolean inBatches() {
            return mode == Mode.MAP && chunksize > 1;
        }

        void span(Chunk chunk, long startMicros, long endMicros) {
            span(chunk, chunk.slot.number, TaskSpan.Outcome.RAN, startMicros, endMicros);
        }

        void span(Chunk chunk, int worker, TaskSpan.Outcome outcome, long startMicros, long endMicros) {
            if (spans.size() < PoolCall.TIMELINE_LIMIT) {
                spans.add(new TaskSpan(chunk.number, chunk.firstInput, chunk.inputs.size(), worker,
                        (startMicros - t0Micros) / 1e3, (Math.max(startMicros, endMicros) - t0Micros) / 1e3, outcome));
            }
        }

        @SuppressWarnings("unchecked")
        void accept(Chunk chunk, Done done, List<Runnable> afterwards) {
            if (done.worker != 0 && done.worker != chunk.slot.number) {
                span(chunk, done.worker, TaskSpan.Outcome.RERUN, done.startMicros, done.endMicros);
            } else {
                span(chunk, done.startMicros, done.endMicros);
            }
            chunksDone++;
            if (failure != null) {
                return;
            }
            switch (mode) {
                case MAP -> {
                    results[chunk.number - 1] = done.results;
                    outstanding -= done.results.size();
                }
                case IMAP -> ordered.put(chunk.number, done.results);
                case UNORDERED -> unordered.add(done.results);
                case SUBMIT -> {
                    R result = (R) done.results.get(0);
                    // Off the pool's own threads: a callback that uses the pool must not block its reader.
                    afterwards.add(() -> CompletableFuture.runAsync(() -> future.complete(result)));
                }
            }
        }

        /**
         * For imap, a failure in input order: the results of the first {@code tasksBefore} tasks
         * are still yielded, then this is thrown (the earliest such failure wins). Other calls fail now.
         */
        void failInPlace(int tasksBefore, RuntimeException error, List<Runnable> afterwards) {
            if (mode != Mode.IMAP) {
                fail(error, afterwards);
            } else if (failure == null && (failAfter < 0 || tasksBefore < failAfter)) {
                failAfter = tasksBefore;
                failureInPlace = error;
                feedable.remove(this);
            }
        }

        void fail(RuntimeException error, List<Runnable> afterwards) {
            if (failure == null) {
                failure = error;
                if (future != null) {
                    afterwards.add(() -> CompletableFuture.runAsync(() -> future.completeExceptionally(error)));
                }
            }
            feedable.remove(this);
        }

        boolean allDone() {
            return inputDone && chunksDone == chunksMade;
        }

        /** For map: waits for every result. */
        @SuppressWarnings("unchecked")
        List<R> awaitAll() {
            lock.lock();
            try {
                long deadline = t0Nanos + timeout.toNanos();
                while (failure == null && !allDone()) {
                    await(deadline);
                }
                if (failure != null) {
                    throw rethrown(failure);
                }
                firstResultMillis = (System.nanoTime() - t0Nanos) / 1e6;
                finish();
                return (List<R>) new MapResults(results, chunksize, (int) mapSize);
            } finally {
                lock.unlock();
            }
        }

        /** For imap: the next chunk of results, or null at the end. */
        List<Object> nextResults() {
            lock.lock();
            try {
                long deadline = t0Nanos + timeout.toNanos();
                while (true) {
                    if (failAfter >= 0 && chunksYielded >= failAfter && failure == null) {
                        failure = failureInPlace;
                    }
                    // What is done before a failure is still handed over, then the failure.
                    List<Object> ready = mode == Mode.UNORDERED ? unordered.poll()
                            : failAfter < 0 || chunksYielded < failAfter ? ordered.remove(chunksYielded + 1) : null;
                    if (ready != null) {
                        chunksYielded++;
                        outstanding -= ready.size();
                        if (firstResultMillis < 0) {
                            firstResultMillis = (System.nanoTime() - t0Nanos) / 1e6;
                        }
                        work.signalAll();
                        return ready;
                    }
                    if (failure != null) {
                        throw rethrown(failure);
                    }
                    if (inputDone && chunksYielded == chunksMade) {
                        finish();
                        return null;
                    }
                    await(deadline);
                }
            } finally {
                lock.unlock();
            }
        }

        private void await(long deadline) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                lock.unlock();
                try {
                    stop(State.BROKEN, new PoolBrokenException(0, "the pool is broken: " + (mode == Mode.MAP ? "a " : "an ") + mode.label
                            + " call took longer than the pool's timeout of " + timeout + ", so its workers were"
                            + " stopped. Make a new pool, and raise the timeout with Pool.builder(...).timeout(...)"
                            + " if the work really is that long"), false);
                } finally {
                    lock.lock();
                }
                throw stateError();
            }
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                lock.unlock();
                try {
                    terminate();
                } finally {
                    lock.lock();
                    Thread.currentThread().interrupt();
                }
                throw new CancellationException("the " + mode.label + " call was interrupted: the pool was terminated"
                        + " and its work in progress stopped");
            }
        }

        private void finish() {
            double wall = (System.nanoTime() - t0Nanos) / 1e6;
            lastCall = new PoolCall(kind().label(), workers, mode.label, chunksize, taken, chunksMade, wall,
                    firstResultMillis < 0 ? wall : firstResultMillis, spans);
            changed.signalAll();
        }
    }

    /** A map's results: its tasks' result lists, end to end, without copying them. */
    private static final class MapResults extends java.util.AbstractList<Object> implements java.util.RandomAccess {
        private final List<?>[] parts;
        private final int partSize;
        private final int size;

        MapResults(List<?>[] parts, int partSize, int size) {
            this.parts = parts;
            this.partSize = partSize;
            this.size = size;
        }

        @Override
        public Object get(int index) {
            Objects.checkIndex(index, size);
            return parts[index / partSize].get(index % partSize);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** The caller's stack, not the worker's: the same exception again, made here. */
    private static RuntimeException rethrown(RuntimeException failure) {
        if (failure instanceof TaskFailedException task) {
            return new TaskFailedException(task);
        }
        if (failure instanceof PoolBrokenException broken) {
            return new PoolBrokenException(broken.worker(), broken.getMessage());
        }
        if (failure instanceof CancellationException) {
            return new CancellationException(failure.getMessage());
        }
        if (failure instanceof TaskLostException lost) {
            return new TaskLostException(lost.member(), lost.getMessage());
        }
        if (failure instanceof IllegalStateException) {
            return new IllegalStateException(failure.getMessage(), failure);
        }
        if (failure instanceof IllegalArgumentException) {
            return new IllegalArgumentException(failure.getMessage(), failure);
        }
        return failure;
    }

    /** Settings for a pool; see {@link Pool#builder}. */
    public static final class Builder {
        private final Kind kind;
        private int workers;
        private boolean workersSet;
        private int heapMegabytes;
        private PrintStream out = System.out;
        private Duration timeout = DEFAULT_TIMEOUT;
        private List<String> join = List.of();
        private String clusterName;
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(Kind kind) {
            this.kind = kind;
            this.workers = kind == Kind.CLUSTER ? 3 : Runtime.getRuntime().availableProcessors();
            this.heapMegabytes = kind == Kind.CLUSTER ? 128 : 64;
        }

        /**
         * How many workers (default: one per core; for a cluster, 3 members). For a cluster that
         * {@link #join joins} members elsewhere, how many members the cluster must have.
         *
         * @throws IllegalArgumentException if below 1 or above the limit for the kind
         */
        public Builder workers(int workers) {
            if (kind == Kind.CLUSTER) {
                int max = join.isEmpty() ? MAX_LOCAL_MEMBERS : MAX_JOINED_MEMBERS;
                if (workers < 1 || workers > max) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "members must be between 1 and %d for a"
                            + " cluster pool %s (got %d): %s", max, join.isEmpty() ? "on this machine" : "that joins members",
                            workers, join.isEmpty() ? "each member is a JVM of about 150 MB; for more, start members on other"
                            + " machines and join them with Pool.builder(Pool.Kind.CLUSTER).join(\"host:port\", ...)"
                            : "a cluster of that size is beyond what the lab was made for"));
                }
                this.workers = workers;
                this.workersSet = true;
                return this;
            }
            int max = kind == Kind.PROCESSES ? MAX_PROCESS_WORKERS : MAX_THREAD_WORKERS;
            if (workers < 1 || workers > max) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "workers must be between 1 and %d for a %s pool"
                        + " (got %d): size a pool to the CPUs, Runtime.getRuntime().availableProcessors() (here %d)",
                        max, kind.label(), workers, Runtime.getRuntime().availableProcessors()));
            }
            this.workers = workers;
            return this;
        }

        /**
         * For a cluster: join members that already run (on other machines, say), at these
         * addresses ("host:port", each started with {@link ClusterMemberMain}), instead of
         * starting members here. Needs {@link #clusterName}. The pool's workers are the members
         * the cluster has when the pool connects ({@link #workers} sets how many it must have);
         * close and terminate leave them running. Hazelcast's open-source edition neither
         * authenticates nor encrypts: keep such members on a private network.
         *
         * @throws IllegalArgumentException for another kind, no address, or one that is not host:port
         */
        public Builder join(String... addresses) {
            if (kind != Kind.CLUSTER) {
                throw new IllegalArgumentException("join(...) is for a cluster pool: Pool.builder(Pool.Kind.CLUSTER)");
            }
            if (addresses == null || addresses.length == 0) {
                throw new IllegalArgumentException("join needs at least one member's address, host:port (e.g. 10.0.0.2:5701)");
            }
            List<String> checked = new ArrayList<>();
            for (String address : addresses) {
                checked.add(ClusterConfigs.address(address));
            }
            this.join = List.copyOf(checked);
            return this;
        }

        /**
         * For a cluster that {@link #join joins} members: the cluster's name, as given to its
         * members with {@code --cluster}. (A pool that starts its own members names its cluster
         * itself, uniquely, so that two pools never merge.)
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder clusterName(String name) {
            if (kind != Kind.CLUSTER) {
                throw new IllegalArgumentException("clusterName(...) is for a cluster pool: Pool.builder(Pool.Kind.CLUSTER)");
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank: use the name the members were started with (--cluster NAME)");
            }
            this.clusterName = name.trim();
            return this;
        }

        /**
         * For a cluster that {@link #join joins} members: how long to try to reach them before
         * giving up (default 5 s).
         *
         * @throws IllegalArgumentException if not between 100 ms and 10 minutes
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.toMillis() < 100 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("connectTimeout must be between 100 ms and 10 minutes (got " + timeout + ")");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Each worker JVM's heap, 16 to 4,096 MB (default 64; for a cluster's members, 128);
         * ignored for threads and for members the pool joins.
         *
         * @throws IllegalArgumentException outside that range
         */
        public Builder heapMegabytes(int megabytes) {
            if (megabytes < 16 || megabytes > 4096) {
                throw new IllegalArgumentException("heapMegabytes must be between 16 and 4096 (got " + megabytes + ")");
            }
            this.heapMegabytes = megabytes;
            return this;
        }

        /** Where the lines worker JVMs print go, each prefixed "[worker N]" ("[member N]" for a cluster; default System.out). */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "output");
            return this;
        }

        /**
         * The longest a call may take before the pool gives up on it and stops (default 10
         * minutes); also the longest close() waits for queued work.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive (got " + timeout + ")");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Starts the pool and returns when every worker is ready.
         *
         * @throws IllegalStateException if a worker could not start (the others are stopped)
         */
        public Pool build() {
            if (kind == Kind.CLUSTER && !join.isEmpty() && clusterName == null) {
                throw new IllegalArgumentException("a pool that joins members needs their cluster's name:"
                        + " .clusterName(\"...\"), as given to each member with --cluster");
            }
            if (kind == Kind.CLUSTER && join.isEmpty() && clusterName != null) {
                throw new IllegalArgumentException("clusterName is for a pool that joins members (.join(\"host:port\", ...));"
                        + " a pool that starts its own members names their cluster itself");
            }
            if (kind == Kind.CLUSTER && workers > (join.isEmpty() ? MAX_LOCAL_MEMBERS : MAX_JOINED_MEMBERS)) {
                throw new IllegalArgumentException("members must be at most " + MAX_LOCAL_MEMBERS + " on this machine (got " + workers + ")");
            }
            Pool pool = switch (kind) {
                case PROCESSES -> new ProcessPool(workers, heapMegabytes, out, timeout);
                case THREADS -> new ThreadPool(workers, out, timeout);
                case CLUSTER -> new ClusterPool(workers, join.isEmpty() || workersSet, heapMegabytes, out, timeout, join,
                        clusterName, connectTimeout);
            };
            pool.startWorkers();
            return pool;
        }
    }

    /**
     * The results of an imap or imapUnordered call, as they arrive: an iterator, and an iterable
     * that returns it (once), so a for-each loop reads it.
     *
     * @param <R> the result type
     */
    public static final class Results<R> implements Iterator<R>, Iterable<R> {
        private final Pool.Job<R> job;
        private List<Object> current = List.of();
        private int next;
        private boolean ended;
        private boolean iterated;

        Results(Pool.Job<R> job) {
            this.job = job;
        }

        /**
         * Waits, if need be, until the next result is ready or the input has ended.
         *
         * @throws TaskFailedException if the function threw for the next input (imap) or any input (unordered)
         * @throws PoolBrokenException if a worker died or the call outlived the timeout
         * @throws CancellationException if the calling thread was interrupted (the pool is terminated)
         */
        @Override
        public boolean hasNext() {
            while (!ended && next == current.size()) {
                List<Object> more = job.nextResults();
                if (more == null) {
                    ended = true;
                } else {
                    current = more;
                    next = 0;
                }
            }
            return !ended;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more results: the input has ended");
            }
            return (R) current.get(next++);
        }

        /** This iterator itself, once: results can be read only once. */
        @Override
        public Iterator<R> iterator() {
            if (iterated) {
                throw new IllegalStateException("an imap's results can be read only once; keep them in a list if you need them twice");
            }
            iterated = true;
            return this;
        }

        /** Reads every remaining result into a list. */
        public List<R> toList() {
            List<R> all = new ArrayList<>();
            forEachRemaining(all::add);
            return all;
        }
    }
}
