package concurrencylab.pools;

import concurrencylab.runners.ChildJvms;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A pool whose workers are child JVMs: see {@link Pool#processes}. */
final class ProcessPool extends Pool {

    /** How many short tasks a worker JVM may be sent ahead of its work. */
    private static final int MAX_IN_FLIGHT = 256;
    private static final int STDERR_LINES_KEPT = 20;
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long EXIT_WAIT_MILLIS = 2_000;
    private static final long STDERR_WAIT_MILLIS = 500;
    private static final int BUFFER = 1 << 16;
    private static final long FLUSH_MILLIS = 2;

    private final int heapMegabytes;
    private final List<Worker> all = new ArrayList<>();
    private final Map<String, Integer> functionIds = new HashMap<>();
    private volatile boolean flushing = true;
    private Thread flusher;

    ProcessPool(int workers, int heapMegabytes, PrintStream out, Duration timeout) {
        super(workers, out, timeout);
        this.heapMegabytes = heapMegabytes;
    }

    @Override
    public Kind kind() {
        return Kind.PROCESSES;
    }

    /** One worker JVM and the threads that talk to it. */
    private final class Worker {
        final Slot slot;
        final Process process;
        final DataOutputStream toWorker;
        final CompletableFuture<Long> ready = new CompletableFuture<>();
        final Set<Integer> functionsSent = new HashSet<>();
        final Deque<String> stderrTail = new ArrayDeque<>();
        final List<Thread> threads = new ArrayList<>();
        /** Reads the worker's standard error into {@link #stderrTail}; set before the worker is published. */
        Thread stderrReader;

        Worker(int number, Process process) {
            this.slot = new Slot(number, MAX_IN_FLIGHT);
            this.process = process;
            this.toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), BUFFER));
        }

        String name() {
            return "worker " + slot.number + " (a JVM, pid " + process.pid() + ")";
        }

        synchronized void keep(String line) {
            if (stderrTail.size() == STDERR_LINES_KEPT) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(line);
        }

        synchronized String stderrText() {
            return stderrTail.isEmpty() ? "" : ". Its last lines on standard error:" + System.lineSeparator() + "    "
                    + String.join(System.lineSeparator() + "    ", stderrTail);
        }
    }

    /**
     * Starts the worker JVMs, each from a thread of its own that then reads that worker's output,
     * and waits until every one is ready. A spawn returns only once the child has become a java
     * process, a few milliseconds of mostly waiting each; made one after another, they held the
     * last worker's start 20 to 40 ms behind the first's (JDK 25, 4 workers, a fresh JVM).
     */
    @Override
    void startWorkers() {
        long t0 = System.nanoTime();
        List<String> command = ChildJvms.command(heapMegabytes, PoolWorkerMain.class);
        command.addAll(List.of("--parent", Long.toString(ProcessHandle.current().pid()), "--worker"));
        List<CompletableFuture<Worker>> spawned = new ArrayList<>();
        try {
            try {
                for (int w = 1; w <= workers; w++) {
                    int number = w;
                    List<String> own = new ArrayList<>(command);
                    own.add(Integer.toString(number));
                    CompletableFuture<Worker> worker = new CompletableFuture<>();
                    spawned.add(worker);
                    try {
                        Thread.ofPlatform().daemon().name("pool-worker-" + number + "-reader").start(() -> spawnAndRead(number, own, worker));
                    } catch (RuntimeException | Error e) {
                        worker.completeExceptionally(new IllegalStateException("could not start worker " + number
                                + " of the pool: no thread to start it from (" + e + ")", e));
                        break;
                    }
                }
            } finally {
                // Each spawn ends by itself within moments; all must have ended before a failure stops the others.
                collect(spawned);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            for (CompletableFuture<Worker> worker : spawned) {
                if (worker.isCompletedExceptionally()) {
                    throw (IllegalStateException) worker.exceptionNow();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            for (Worker worker : all) {
                try {
                    worker.ready.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("could not start the pool: " + e.getCause().getMessage(), e.getCause());
                } catch (TimeoutException e) {
                    throw new IllegalStateException("could not start the pool: " + worker.name() + " was not ready after "
                            + START_TIMEOUT_SECONDS + " s" + worker.stderrText());
                }
            }
        } catch (InterruptedException e) {
            killAll();
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while the pool's workers were starting: they were stopped");
        } catch (RuntimeException | Error e) {
            killAll();
            throw e;
        }
        started((System.nanoTime() - t0) / 1e6);
        for (Worker worker : all) {
            worker.threads.add(Thread.ofPlatform().daemon().name("pool-worker-" + worker.slot.number + "-sender")
                    .start(() -> send(worker)));
        }
        flusher = Thread.ofPlatform().daemon().name("pool-worker-flusher").start(this::flushNow);
    }

    /**
     * Waits for every spawn to end, keeping the workers that started (in their order) in
     * {@link #all}; an interrupt meanwhile is kept for the caller to see.
     */
    private void collect(List<CompletableFuture<Worker>> spawned) {
        boolean interrupted = false;
        for (CompletableFuture<Worker> worker : spawned) {
            while (true) {
                try {
                    all.add(worker.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the worker's own reader thread: starts its JVM and its standard error's reader, then reads its output. */
    private void spawnAndRead(int number, List<String> command, CompletableFuture<Worker> spawned) {
        Process process = null;
        Worker worker;
        try {
            process = new ProcessBuilder(command).start();
            worker = new Worker(number, process);
            worker.threads.add(Thread.currentThread());
            worker.stderrReader = Thread.ofPlatform().daemon().name("pool-worker-" + number + "-stderr").start(() -> readStderr(worker));
            worker.threads.add(worker.stderrReader);
        } catch (IOException | RuntimeException | Error e) {
            if (process != null) {
                process.destroyForcibly();
            }
            spawned.completeExceptionally(new IllegalStateException("could not start worker " + number + " of the pool ("
                    + command.get(0) + "): " + e.getMessage(), e));
            return;
        }
        spawned.complete(worker);
        read(worker);
    }

    /**
     * Every few milliseconds, sends what the senders have buffered: a sender that is waiting for
     * the caller's lazy input (or for work) must not hold back the tasks it has already written.
     */
    private void flushNow() {
        while (flushing) {
            for (Worker worker : all) {
                try {
                    worker.toWorker.flush();
                } catch (IOException e) {
                    // That worker is gone; its reader reports it.
                }
            }
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Hands the worker its tasks, flushing whenever no more are ready; closes its input when none will come. */
    private void send(Worker worker) {
        try {
            while (true) {
                Chunk chunk = take(worker.slot, false);
                if (chunk == null) {
                    worker.toWorker.flush();
                    chunk = take(worker.slot, true);
                    if (chunk == null) {
                        break;
                    }
                }
                String[] reference = (String[]) chunk.function;
                int id = functionId(reference);
                if (worker.functionsSent.add(id)) {
                    worker.toWorker.writeByte(Wire.FUNCTION);
                    worker.toWorker.writeInt(id);
                    Wire.writeString(worker.toWorker, reference[0]);
                    Wire.writeString(worker.toWorker, reference[1]);
                }
                worker.toWorker.writeByte(Wire.CHUNK);
                worker.toWorker.writeLong(chunk.id);
                worker.toWorker.writeInt(id);
                Wire.writeValues(worker.toWorker, chunk.inputs);
            }
            worker.slot.retired = true;
            worker.toWorker.close();
        } catch (InterruptedException | IOException e) {
            // Stopped, or the worker is gone: its reader reports that.
        }
    }

    private synchronized int functionId(String[] reference) {
        return functionIds.computeIfAbsent(reference[0] + '\n' + reference[1], key -> functionIds.size() + 1);
    }

    /** Reads the worker's results in batches (one lock per batch), then reports how it ended. */
    private void read(Worker worker) {
        List<Done> batch = new ArrayList<>();
        String protocolError = null;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(worker.process.getInputStream(), BUFFER))) {
            int frame;
            while ((frame = in.read()) != -1) {
                if (frame == Wire.READY) {
                    worker.ready.complete(in.readLong());
                } else if (frame == Wire.DONE) {
                    long id = in.readLong();
                    long start = in.readLong();
                    long end = in.readLong();
                    batch.add(new Done(id, Wire.readValues(in), start, end));
                } else if (frame == Wire.FAILED) {
                    long id = in.readLong();
                    int offset = in.readInt();
                    long start = in.readLong();
                    long end = in.readLong();
                    WorkerException error = Wire.readThrowable(in);
                    batch = flush(worker, batch);
                    failed(worker.slot, id, offset, error, start, end);
                } else {
                    protocolError = "sent an unexpected frame " + frame;
                    break;
                }
                if (in.available() == 0) {
                    batch = flush(worker, batch);
                }
            }
        } catch (java.io.EOFException e) {
            // Ended in the middle of a frame: killed while writing. How it ended is reported below.
        } catch (IOException e) {
            protocolError = "could not be read (" + e.getMessage() + ")";
        } catch (RuntimeException | Error e) {
            worker.ready.completeExceptionally(e);
            internalError(worker.slot, e);
            return;
        }
        flush(worker, batch);
        String what = ended(worker, protocolError);
        // Its last lines on standard error say why it ended: let their reader catch up (it ends with the process).
        try {
            worker.stderrReader.join(STDERR_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.ready.completeExceptionally(new IllegalStateException(worker.name() + " " + what + worker.stderrText()));
        died(worker.slot, "(pid " + worker.process.pid() + ") " + what + worker.stderrText());
    }

    private List<Done> flush(Worker worker, List<Done> batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        finished(worker.slot, batch);
        return new ArrayList<>();
    }

    /** How the worker ended, once its output has: "was killed (SIGKILL: ...)", "exited with status 1", ... */
    private static String ended(Worker worker, String protocolError) {
        try {
            if (!worker.process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return protocolError != null ? protocolError : "closed its output but is still running";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "stopped answering";
        }
        int status = worker.process.exitValue();
        String how = switch (status) {
            case 0 -> "exited";
            case 137 -> "was killed (SIGKILL: kill -9, or the system ran out of memory)";
            case 134 -> "crashed (SIGABRT)";
            case 139 -> "crashed (SIGSEGV)";
            case ChildJvms.ORPHANED -> "halted because it lost its parent";
            default -> status > 128 ? "was ended by signal " + (status - 128) : "exited with status " + status;
        };
        return protocolError != null ? how + " after its output " + protocolError : how;
    }

    private void readStderr(Worker worker) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(worker.process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                worker.keep(line);
                synchronized (out) {
                    out.println("[worker " + worker.slot.number + "] " + line);
                }
            }
        } catch (IOException e) {
            // The worker is gone.
        }
    }

    @Override
    void stopWorkers(boolean now) {
        if (now) {
            killAll();
            return;
        }
        // After a close, the senders close each worker's input and the workers exit by themselves.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MILLIS * 2);
        boolean interrupted = false;
        for (Worker worker : all) {
            try {
                worker.process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        killAll();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every worker JVM and waits (about two seconds at most) until they and their threads are gone. */
    private void killAll() {
        boolean interrupted = Thread.interrupted();
        flushing = false;
        if (flusher != null) {
            flusher.interrupt();
        }
        all.forEach(worker -> worker.process.destroyForcibly());
        // A sender may be waiting for work, or inside the caller's lazy input.
        all.forEach(worker -> worker.threads.stream().filter(t -> t.getName().endsWith("-sender")).forEach(Thread::interrupt));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MILLIS);
        for (Worker worker : all) {
            while (worker.process.isAlive() && System.nanoTime() < deadline) {
                try {
                    worker.process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            try {
                worker.process.getOutputStream().close();
            } catch (IOException e) {
                // Closed with the process.
            }
        }
        List<Thread> threads = new ArrayList<>();
        all.forEach(worker -> threads.addAll(worker.threads));
        if (flusher != null) {
            threads.add(flusher);
        }
        joinAll(threads, deadline);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<Long> workerPids() {
        return all.stream().map(worker -> worker.process.pid()).toList();
    }

    @Override
    void checkInput(Object input, long index) {
        requireInput(input, index);
        if (!Wire.supports(input)) {
            throw new IllegalArgumentException("input " + index + " is a " + input.getClass().getName() + ": a process pool"
                    + " sends inputs to its worker JVMs and carries only " + Wire.SUPPORTED + "; convert it, or use"
                    + " Pool.threads(n), whose workers share this JVM's objects");
        }
    }

    @Override
    List<Object> keep(List<Object> inputs) {
        return Wire.compact(inputs);
    }

    @Override
    boolean compactsInputs() {
        return true;
    }

    @Override
    Object prepare(PoolFunction<?, ?> function) {
        return PoolFunctions.reference(function, "a process pool cannot send this function to its worker JVMs");
    }
}
