package concurrencylab.deadlock;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds deadlocks among given threads with the JDK's own detector,
 * {@link ThreadMXBean#findDeadlockedThreads()}, and describes them as a {@link Deadlock}: the
 * cycle, a wait-for graph and the part of a thread dump that shows it.
 *
 * <p>Contract: only the threads given are looked at, so that threads left deadlocked by an
 * earlier cell (on {@code synchronized}, nothing frees them) do not confuse a later search.
 * Locks are named by the map given (a lock or monitor object to its name; a {@link LabLock} is
 * named by itself); others by their class and identity hash, as a thread dump names them. The
 * JDK's detector sees platform threads waiting to enter a monitor or parked on an ownable
 * synchronizer ({@code ReentrantLock}, {@code ReentrantReadWriteLock}'s write lock), with or
 * without a time limit.
 *
 * <p>What it does not do: it does not see virtual threads (the JDK's {@code ThreadMXBean} covers
 * platform threads only, on JDK 21 as on 25), nor waits on a {@code Semaphore},
 * {@code CountDownLatch} or {@code Condition}, which have no owner; a livelock (threads that keep
 * retrying) is no deadlock to it. It ends nothing: freeing the threads is the caller's job
 * (interrupt them: see {@link LabLock}).
 *
 * <pre>{@code
 * Optional<Deadlock> found = Deadlocks.await(List.of(t1, t2), Map.of(), Duration.ofSeconds(2));
 * found.ifPresent(Display::show);
 * }</pre>
 */
public final class Deadlocks {

    /** The longest {@link #await} accepts: ten minutes. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Deadlocks() {}

    /**
     * The deadlock among {@code threads} now, if there is one.
     *
     * @param threads the threads to look at; others are ignored
     * @param names a name for each lock or monitor object the caller knows (may be empty)
     * @throws NullPointerException if an argument is null
     */
    public static Optional<Deadlock> find(Collection<Thread> threads, Map<?, String> names) {
        return find(threads, names, 0);
    }

    /**
     * Looks every 10 ms for a deadlock among {@code threads} until one is found whose every wait
     * is without a time limit (it can never end by itself), every thread has ended, or
     * {@code within} has passed; then returns the last deadlock seen, if any (it may then be one
     * of timed waits, see {@link Deadlock#permanent()}).
     *
     * @throws IllegalArgumentException if within is negative or more than ten minutes
     * @throws CancellationException if the calling thread is interrupted (its interrupt status is kept)
     */
    public static Optional<Deadlock> await(Collection<Thread> threads, Map<?, String> names, Duration within) {
        Objects.requireNonNull(within, "within");
        if (within.isNegative() || within.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("Deadlocks.await: within must be between 0 and 10 minutes (got " + within + ")");
        }
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        Optional<Deadlock> last = Optional.empty();
        while (true) {
            Optional<Deadlock> now = find(threads, names, (System.nanoTime() - start) / 1e6);
            if (now.isPresent()) {
                last = now;
                if (now.get().permanent()) {
                    return now;
                }
            }
            if (threads.stream().noneMatch(Thread::isAlive) || System.nanoTime() >= deadline) {
                return last;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Deadlocks.await was interrupted");
            }
        }
    }

    private static Optional<Deadlock> find(Collection<Thread> threads, Map<?, String> names, double afterMillis) {
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(names, "names");
        long[] found = THREADS.findDeadlockedThreads();
        if (found == null) {
            return Optional.empty();
        }
        Map<Long, Thread> ours = new HashMap<>();
        for (Thread t : threads) {
            ours.put(t.threadId(), t);
        }
        List<Long> ids = new ArrayList<>();
        for (long id : found) {
            if (ours.containsKey(id)) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, ThreadInfo> infos = new LinkedHashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(ids.stream().mapToLong(Long::longValue).toArray(), true, true)) {
            if (info != null && info.getLockInfo() != null) {
                infos.put(info.getThreadId(), info);
            }
        }
        List<Long> cycle = cycleFrom(infos);
        if (cycle.isEmpty()) {
            return Optional.empty();
        }
        Map<Integer, String> lockNames = new HashMap<>();
        for (long id : cycle) {
            ThreadInfo info = infos.get(id);
            lockNames.put(info.getLockInfo().getIdentityHashCode(), nameOf(info.getLockInfo(), ours.get(id), names));
        }
        List<Deadlock.Waiter> waiters = new ArrayList<>();
        for (long id : cycle) {
            ThreadInfo info = infos.get(id);
            List<String> holds = new ArrayList<>();
            for (LockInfo held : heldBy(info)) {
                holds.add(lockNames.getOrDefault(held.getIdentityHashCode(), plainName(held)));
            }
            waiters.add(new Deadlock.Waiter(info.getThreadName(), id, info.getThreadState(), holds,
                    lockNames.get(info.getLockInfo().getIdentityHashCode()), info.getLockOwnerName(),
                    info.getThreadState() == Thread.State.BLOCKED));
        }
        String dump = summary(cycle, infos, lockNames) + "\n" + stacks(cycle.stream().map(infos::get).toList(), lockNames);
        return Optional.of(new Deadlock(waiters, dump, afterMillis));
    }

    /** Follows "waits for a lock held by" from the first thread until it comes back; the threads on that loop. */
    private static List<Long> cycleFrom(Map<Long, ThreadInfo> infos) {
        for (long first : infos.keySet()) {
            List<Long> path = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            long at = first;
            while (infos.containsKey(at) && seen.add(at)) {
                path.add(at);
                at = infos.get(at).getLockOwnerId();
            }
            int loopStart = path.indexOf(at);
            if (loopStart >= 0) {
                return path.subList(loopStart, path.size());
            }
        }
        return List.of();
    }

    private static List<LockInfo> heldBy(ThreadInfo info) {
        List<LockInfo> held = new ArrayList<>(List.of(info.getLockedMonitors()));
        held.addAll(List.of(info.getLockedSynchronizers()));
        return held;
    }

    private static String nameOf(LockInfo lock, Thread waiter, Map<?, String> names) {
        for (Map.Entry<?, String> e : names.entrySet()) {
            if (e.getKey() instanceof ReentrantLock l && l.hasQueuedThread(waiter)) {
                return e.getValue();
            }
            if (System.identityHashCode(e.getKey()) == lock.getIdentityHashCode()
                    && e.getKey().getClass().getName().equals(lock.getClassName())) {
                return e.getValue();
            }
        }
        return plainName(lock);
    }

    /** As a dump names it: the class without its package, and the identity hash ("ReentrantLock$NonfairSync@1b6d3586"). */
    static String plainName(LockInfo lock) {
        String cls = lock.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }

    private static String address(LockInfo lock) {
        return String.format(Locale.ROOT, "<0x%08x>", lock.getIdentityHashCode());
    }

    private static String described(LockInfo lock, Map<Integer, String> lockNames) {
        String name = lockNames.get(lock.getIdentityHashCode());
        return address(lock) + " (a " + lock.getClassName() + (name == null ? "" : ": " + name) + ")";
    }

    private static String summary(List<Long> cycle, Map<Long, ThreadInfo> infos, Map<Integer, String> lockNames) {
        StringBuilder out = new StringBuilder("Found one Java-level deadlock:\n=============================\n");
        for (long id : cycle) {
            ThreadInfo info = infos.get(id);
            LockInfo lock = info.getLockInfo();
            out.append('"').append(info.getThreadName()).append("\":\n  ")
                    .append(info.getThreadState() == Thread.State.BLOCKED ? "waiting to lock monitor " : "waiting for ownable synchronizer ")
                    .append(described(lock, lockNames)).append(",\n  which is held by \"")
                    .append(info.getLockOwnerName()).append("\"\n");
        }
        return out.toString();
    }

    /**
     * The threads' stacks in full, with the locks each holds and waits for, in the form of
     * {@code jcmd <pid> Thread.print} (identity hash codes where jcmd prints addresses; no
     * operating-system fields). Unlike {@link ThreadInfo#toString()}, no stack is cut at 8 frames.
     */
    static String stacks(List<ThreadInfo> infos, Map<Integer, String> lockNames) {
        StringBuilder out = new StringBuilder("Java stack information for the threads listed above:\n"
                + "===================================================\n");
        for (ThreadInfo info : infos) {
            out.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId())
                    .append(info.isDaemon() ? " daemon" : "").append(" prio=").append(info.getPriority()).append('\n');
            Thread.State state = info.getThreadState();
            out.append("   java.lang.Thread.State: ").append(state)
                    .append(state == Thread.State.BLOCKED ? " (on object monitor)"
                            : info.getLockInfo() != null && state != Thread.State.RUNNABLE ? " (parking)" : "").append('\n');
            StackTraceElement[] frames = info.getStackTrace();
            for (int depth = 0; depth < frames.length; depth++) {
                out.append("\tat ").append(frame(frames[depth])).append('\n');
                if (depth == 0 && info.getLockInfo() != null) {
                    out.append(state == Thread.State.BLOCKED ? "\t- waiting to lock " : "\t- parking to wait for  ")
                            .append(described(info.getLockInfo(), lockNames)).append('\n');
                }
                for (MonitorInfo m : info.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == depth) {
                        out.append("\t- locked ").append(described(m, lockNames)).append('\n');
                    }
                }
            }
            out.append("\n   Locked ownable synchronizers:\n");
            LockInfo[] synchronizers = info.getLockedSynchronizers();
            if (synchronizers.length == 0) {
                out.append("\t- None\n");
            }
            for (LockInfo s : synchronizers) {
                out.append("\t- ").append(described(s, lockNames)).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String frame(StackTraceElement e) {
        String where = e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "Unknown Source"
                : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
        String module = e.getModuleName() == null ? "" : e.getModuleName()
                + (e.getModuleVersion() == null ? "" : "@" + e.getModuleVersion()) + "/";
        return e.getClassName() + "." + e.getMethodName() + "(" + module + where + ")";
    }

    /**
     * Where a {@code jcmd} sits beside this JVM's {@code java}: the real thread dump of this
     * process, {@code jcmd <pid> Thread.print -l}, cut down to the given threads' entries and the
     * deadlock report that names them. Empty where there is no jcmd (a JRE, a jlinked image) or
     * it does not answer within 20 s (it is then ended).
     *
     * @throws CancellationException if the calling thread is interrupted (jcmd is ended first)
     */
    public static Optional<String> jcmd(Collection<Thread> threads) {
        Optional<Path> jcmd = jcmdPath();
        if (jcmd.isEmpty()) {
            return Optional.empty();
        }
        Process process;
        try {
            process = new ProcessBuilder(jcmd.get().toString(), Long.toString(ProcessHandle.current().pid()),
                    "Thread.print", "-l").redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            process.getOutputStream().close();
            byte[][] output = new byte[1][];
            Thread reader = Thread.ofPlatform().daemon().name("jcmd-reader").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    output[0] = in.readAllBytes();
                } catch (IOException e) {
                    output[0] = new byte[0];
                }
            });
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
            reader.join(5_000);
            if (output[0] == null || process.exitValue() != 0) {
                return Optional.empty();
            }
            Set<String> wanted = new HashSet<>();
            threads.forEach(t -> wanted.add(t.getName()));
            return Optional.of(filterDump(new String(output[0], StandardCharsets.UTF_8), wanted));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Deadlocks.jcmd was interrupted; jcmd was ended");
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            process.destroyForcibly();
        }
    }

    /** The jcmd beside the java running this JVM, if there is one. */
    static Optional<Path> jcmdPath() {
        Optional<Path> java = ProcessHandle.current().info().command().map(Path::of);
        Path home = Path.of(System.getProperty("java.home"), "bin");
        for (Path dir : java.map(j -> List.of(j.getParent(), home)).orElse(List.of(home))) {
            Path candidate = dir == null ? null : dir.resolve("jcmd");
            if (candidate != null && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps a thread dump's entries for the named threads, and from its deadlock report the
     * entries that name them; drops the rest (other threads, and the report's copies of stacks
     * already kept).
     */
    static String filterDump(String dump, Set<String> names) {
        List<List<String>> sections = new ArrayList<>();
        for (String line : dump.split("\n", -1)) {
            boolean starts = !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("=");
            if (starts || sections.isEmpty()) {
                sections.add(new ArrayList<>());
            }
            sections.get(sections.size() - 1).add(line);
        }
        StringBuilder kept = new StringBuilder();
        boolean inReport = false, inCopies = false;
        String reportHeader = null;
        for (List<String> section : sections) {
            String head = section.get(0);
            if (head.startsWith("Found ") && head.contains("deadlock")) {
                inReport = true;
                inCopies = false;
                reportHeader = String.join("\n", section).strip();
                continue;
            }
            if (head.startsWith("Java stack information")) {
                inCopies = true;
                continue;
            }
            if (!head.startsWith("\"")) {
                inReport = inReport && head.isBlank();
                inCopies = inCopies && head.isBlank();
                continue;
            }
            if (inCopies || names.stream().noneMatch(n -> head.startsWith("\"" + n + "\""))) {
                continue;
            }
            if (inReport && reportHeader != null) {
                kept.append(reportHeader).append("\n");
                reportHeader = null;
            }
            kept.append(String.join("\n", section).stripTrailing()).append(inReport ? "\n" : "\n\n");
        }
        return kept.toString().strip();
    }
}
