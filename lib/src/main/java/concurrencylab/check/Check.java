package concurrencylab.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs a learner's answer the way a "Your turn" check needs: on its own thread, within a time
 * limit, as many times as asked, and notes what it left running, so that a check cell judges
 * what the code does in a few lines, and never hangs.
 *
 * <p>Contract: each attempt runs on a new daemon platform thread. If it has not returned when
 * its limit passes, it is interrupted and reported as timed out; the check goes on (code that
 * ignores interrupts may keep that daemon thread busy, but the cell ends). After the code
 * returns, threads and child processes it started get a short grace (up to a second) to end;
 * those still alive are reported. What is not counted: daemon threads (they do not keep a JVM
 * alive), virtual threads (the JDK does not list them) and the common ForkJoinPool's workers
 * (a parallel stream's, which idle out by themselves). Threads started by something else in the
 * same JVM during the attempt may be counted too; in a notebook nothing else runs then.
 *
 * <p>A verdict is a string that starts with "Right" or "Not yet": {@link #right} and
 * {@link #notYet} write them.
 *
 * <p>Most checks are one {@link #judge} call; {@link #attempt} and {@link #repeat} give the raw
 * results where a check needs them:
 *
 * <pre>{@code
 * Attempts<Long> runs = Check.repeat(20, Duration.ofSeconds(5), () -> countWithThreads(4, 1_000));
 * runs.allFine() && runs.values().stream().allMatch(v -> v == 4_000)
 *     ? Check.right("4,000 every time, and nothing left running")
 *     : Check.notYet(runs.firstProblemOr("a total other than 4,000: " + runs.values()));
 * }</pre>
 */
public final class Check {

    /** How long threads and processes an answer started get to end after it returns. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private Check() {
    }

    /** "Right: " and the reason. */
    public static String right(String why) {
        return "Right: " + why;
    }

    /** "Not yet: " and the hint. */
    public static String notYet(String hint) {
        return "Not yet: " + hint;
    }

    /**
     * Runs {@code code} once on its own thread, waits at most {@code limit} for it, and reports
     * what happened.
     *
     * @throws IllegalArgumentException if the limit is not positive or more than ten minutes
     * @throws CancellationException if the calling thread is interrupted (the attempt is interrupted too)
     */
    public static <T> Attempt<T> attempt(Duration limit, Callable<T> code) {
        requireLimit(limit);
        Set<Thread> threadsBefore = liveThreads();
        Set<Long> processesBefore = liveChildren();
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                value.set(code.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "check-attempt");
        runner.setDaemon(true);
        long start = System.nanoTime();
        runner.start();
        boolean timedOut;
        try {
            runner.join(limit);
            timedOut = runner.isAlive();
            if (timedOut) {
                runner.interrupt();
                runner.join(200);
            }
        } catch (InterruptedException e) {
            runner.interrupt();
            Thread.currentThread().interrupt();
            throw new CancellationException("the check was interrupted; its attempt was interrupted too");
        }
        Duration elapsed = timedOut ? limit : Duration.ofNanos(System.nanoTime() - start);
        List<String> threadsLeft = threadsLeftSince(threadsBefore, runner);
        List<String> processesLeft = processesLeftSince(processesBefore);
        return new Attempt<>(timedOut ? null : value.get(), timedOut ? null : failure.get(), timedOut, elapsed,
                threadsLeft, processesLeft);
    }

    /**
     * Runs {@code code} {@code times} times, one after another, each as {@link #attempt}; stops
     * at the first attempt that times out, since a hang would only repeat.
     *
     * @throws IllegalArgumentException if times is not between 1 and 10,000, or the limit is bad
     * @throws CancellationException if the calling thread is interrupted
     */
    public static <T> Attempts<T> repeat(int times, Duration limit, Callable<T> code) {
        requireTimesAndLimit(times, limit);
        List<Attempt<T>> made = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            Attempt<T> attempt = attempt(limit, code);
            made.add(attempt);
            if (attempt.timedOut()) {
                break;
            }
        }
        return new Attempts<>(made, times);
    }

    /**
     * Runs a trial of the learner's answer {@code times} times and returns the verdict: the
     * shortest form of a check. A trial returns null when the answer did what it should, or a
     * hint saying what it did instead ("the total was 3,999, not 4,000: ..."). Each trial runs as
     * {@link #attempt}, so a trial that throws, hangs past {@code limit} or leaves threads or child
     * processes running is a problem too. Trials stop at the first problem.
     *
     * <pre>{@code
     * Check.judge(20, Duration.ofSeconds(5), () -> {
     *     long total = countWithThreads(4, 1_000);
     *     return total == 4_000 ? null : "the total was " + total + ", not 4,000: join every thread before adding";
     * }, "4,000 every time, and nothing left running")
     * }</pre>
     *
     * @return {@link #right} with {@code right} when every trial passed, else {@link #notYet} with the
     *     first problem and which trial it was
     * @throws IllegalArgumentException if times is not between 1 and 10,000, or the limit is bad
     * @throws CancellationException if the calling thread is interrupted
     */
    public static String judge(int times, Duration limit, Callable<String> trial, String right) {
        return judge(times, limit, trial, () -> right);
    }

    /** As {@link #judge(int, Duration, Callable, String)}, with the reason made after the trials (to quote what they saw). */
    public static String judge(int times, Duration limit, Callable<String> trial, Supplier<String> right) {
        requireTimesAndLimit(times, limit);
        for (int i = 1; i <= times; i++) {
            Attempt<String> attempt = attempt(limit, trial);
            String problem = attempt.completed() && attempt.value() != null ? attempt.value() : attempt.problem();
            if (problem != null) {
                return notYet((times == 1 ? "" : "trial " + i + " of " + times + ": ") + problem);
            }
        }
        return right(right.get());
    }

    private static void requireTimesAndLimit(int times, Duration limit) {
        if (times < 1 || times > 10_000) {
            throw new IllegalArgumentException("times must be between 1 and 10,000 (got " + times + ")");
        }
        requireLimit(limit);
    }

    private static void requireLimit(Duration limit) {
        if (limit == null || limit.isNegative() || limit.isZero() || limit.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("the time limit must be more than zero and at most 10 minutes (got "
                    + limit + ")");
        }
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    private static final Predicate<Thread> COUNTED = t -> !t.isDaemon()
            && !(t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool());

    private static List<String> threadsLeftSince(Set<Thread> before, Thread runner) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<Thread> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t != runner && COUNTED.test(t)) {
                left.add(t);
            }
        }
        List<String> names = new ArrayList<>();
        for (Thread t : left) {
            long wait = Math.max(0, deadline - System.nanoTime()) / 1_000_000;
            try {
                t.join(Math.max(1, wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("the check was interrupted");
            }
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static Set<Long> liveChildren() {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    private static List<String> processesLeftSince(Set<Long> before) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> started = ProcessHandle.current().descendants()
                .filter(p -> !before.contains(p.pid())).toList();
        List<String> left = new ArrayList<>();
        for (ProcessHandle p : started) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("the check was interrupted");
                }
            }
            if (p.isAlive()) {
                left.add("pid " + p.pid() + ": " + p.info().command().map(c -> c.substring(c.lastIndexOf('/') + 1))
                        .orElse("?"));
            }
        }
        return left;
    }
}
