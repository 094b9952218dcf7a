package concurrencylab.runners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/** Runs each worker in a child JVM and gathers what the children report. */
final class ProcessRunner {

    private static final int STDERR_LINES_KEPT = 20;
    private static final long STOP_WAIT_MILLIS = 1_000;
    private static final long READERS_WAIT_SECONDS = 10;

    private final int workers;
    private final int heapMegabytes;
    private final PrintStream out;
    private final ProgressListener listener;
    private final java.time.Duration timeout;

    ProcessRunner(int workers, int heapMegabytes, PrintStream out, ProgressListener listener, java.time.Duration timeout) {
        this.workers = workers;
        this.heapMegabytes = heapMegabytes;
        this.out = out;
        this.listener = listener;
        this.timeout = timeout;
    }

    /** What the parent learns about one child. */
    private static final class Child {
        final int worker;
        Process process;
        long spawnMicros;
        volatile long mainMicros = -1;
        volatile long startMicros = -1;
        volatile long endMicros = -1;
        volatile long result = Long.MIN_VALUE;
        volatile long cpuNanos = -1;
        final Deque<String> stderrTail = new ArrayDeque<>();
        final List<Thread> readers = new ArrayList<>();

        Child(int worker) {
            this.worker = worker;
        }

        synchronized void keepStderr(String line) {
            if (stderrTail.size() == STDERR_LINES_KEPT) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(line);
        }

        synchronized String stderrText() {
            return stderrTail.isEmpty() ? "(nothing)" : String.join(System.lineSeparator() + "    ", stderrTail);
        }
    }

    Run run(Task task) {
        List<String> command = ChildJvms.command(heapMegabytes, ChildMain.class);
        List<Child> children = new ArrayList<>();
        BlockingQueue<Child> exited = new ArrayBlockingQueue<>(workers);
        long runMicros = Clocks.epochMicros();
        long t0 = System.nanoTime();
        long wall;
        try (Progress progress = new Progress(workers, task.units(), listener)) {
            try {
                for (int w = 1; w <= workers; w++) {
                    Child child = new Child(w);
                    children.add(child);
                    List<String> args = new ArrayList<>(command);
                    args.addAll(List.of("--parent", Long.toString(ProcessHandle.current().pid()),
                            "--worker", Integer.toString(w)));
                    args.addAll(task.toArgs());
                    child.spawnMicros = Clocks.epochMicros();
                    try {
                        child.process = new ProcessBuilder(args).start();
                    } catch (IOException e) {
                        throw new WorkerFailedException(w, "could not start a child JVM (" + args.get(0) + "): "
                                + e.getMessage(), e);
                    }
                    child.readers.add(reader(child.process.getInputStream(), child, progress, false));
                    child.readers.add(reader(child.process.getErrorStream(), child, progress, true));
                    child.process.onExit().thenRun(() -> exited.add(child));
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                for (int i = 0; i < workers; i++) {
                    Child child = exited.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (child == null) {
                        throw new WorkerFailedException(0, "the run took longer than its timeout of " + timeout
                                + "; its child JVMs were stopped. Raise it with Runner.builder(...).timeout(...)"
                                + " if the work really is that long", null);
                    }
                    int status = child.process.exitValue();
                    if (status != 0) {
                        stopAll(children);
                        joinAllReaders(children);
                        throw new WorkerFailedException(child.worker, "worker " + child.worker + " of " + workers
                                + " (a child JVM) exited with status " + status
                                + (workers > 1 ? "; the other workers were stopped" : "")
                                + ". Its last lines on standard error:" + System.lineSeparator() + "    "
                                + child.stderrText(), null);
                    }
                }
            } catch (InterruptedException e) {
                stopAll(children);
                Thread.currentThread().interrupt();
                throw new CancellationException("the run was interrupted: its " + children.size()
                        + " child JVMs were stopped");
            } finally {
                stopAll(children);
                // Every child has ended, so its pipes reach their end: drain them all, whatever happened.
                joinAllReaders(children);
            }
            wall = System.nanoTime() - t0;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the run was interrupted: its " + children.size() + " child JVMs were stopped");
        }

        List<Long> results = new ArrayList<>();
        List<Span> timeline = new ArrayList<>();
        List<Double> jvmStarts = new ArrayList<>();
        double cpuMillis = 0;
        for (Child child : children) {
            if ((task.checksResult() && child.result != task.expectedResult()) || child.startMicros < 0) {
                throw new IllegalStateException("worker " + child.worker + " exited normally but reported "
                        + (child.startMicros < 0 ? "no result" : "result " + child.result) + " for " + task.describe());
            }
            results.add(child.result);
            timeline.add(new Span(child.worker, (child.startMicros - runMicros) / 1e3, (child.endMicros - runMicros) / 1e3));
            // Everything a child does before its work (the JVM booting, loading our classes) is its start-up.
            jvmStarts.add((child.startMicros - child.spawnMicros) / 1e3);
            cpuMillis += Math.max(0, child.cpuNanos) / 1e6;
        }
        return new Run(Strategy.PROCESSES, Run.javaRuntime(), workers, task, results, timeline, wall / 1e6, cpuMillis, jvmStarts, -1,
                List.of());
    }

    private Thread reader(InputStream stream, Child child, Progress progress, boolean isStderr) {
        return Thread.ofPlatform().daemon().name("worker-" + child.worker + (isStderr ? "-stderr" : "-stdout")).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!isStderr && line.startsWith(ChildMain.PREFIX)) {
                        read(child, progress, line.substring(ChildMain.PREFIX.length()).split(" "));
                    } else {
                        if (isStderr) {
                            child.keepStderr(line);
                        }
                        synchronized (out) {
                            out.println("[worker " + child.worker + "] " + line);
                        }
                    }
                }
            } catch (IOException e) {
                // The child was stopped: nothing more to read.
            }
        });
    }

    private static void read(Child child, Progress progress, String[] words) {
        switch (words[0]) {
            case "start" -> child.mainMicros = Long.parseLong(words[1]);
            case "progress" -> progress.set(child.worker, Long.parseLong(words[1]));
            case "result" -> {
                child.result = Long.parseLong(words[1]);
                child.startMicros = Long.parseLong(words[2]);
                child.endMicros = Long.parseLong(words[3]);
                child.cpuNanos = Long.parseLong(words[4]);
                progress.set(child.worker, child.result);
            }
            default -> { }
        }
    }

    /**
     * Waits until every reader has passed on all its child's output (at most 10 s in all, for a
     * child that printed a great deal to a slow cell), so that nothing arrives after the call.
     */
    private void joinAllReaders(List<Child> children) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READERS_WAIT_SECONDS);
        boolean interrupted = Thread.interrupted();
        for (Child child : children) {
            for (Thread reader : child.readers) {
                long left;
                while (reader.isAlive() && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        reader.join(java.time.Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (reader.isAlive()) {
                    synchronized (out) {
                        out.println("[worker " + child.worker + "] (more output is still arriving; it may appear late)");
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every child still running and waits (at most five seconds in all) until they are gone. */
    static void stopAll(List<Child> children) {
        boolean interrupted = Thread.interrupted();
        for (Child child : children) {
            if (child.process != null && child.process.isAlive()) {
                child.process.destroyForcibly();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS * 5);
        for (Child child : children) {
            while (child.process != null && child.process.isAlive() && System.nanoTime() < deadline) {
                try {
                    child.process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (child.process != null) {
                try {
                    child.process.getOutputStream().close();
                } catch (IOException e) {
                    // Already closed with the process.
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
