package concurrencylab.pools;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.durableexecutor.DurableExecutorServiceFuture;
import com.hazelcast.partition.Partition;
import concurrencylab.runners.ChildJvms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool whose workers are the members of a Hazelcast cluster: see {@link Pool#cluster}.
 *
 * <p>Each member is a lane: a sender thread here takes the lane's next task from the pool and
 * submits it to Hazelcast's durable executor on a key that the member owns, so that the task
 * runs there (one executor thread per member). The durable executor keeps each task, and then
 * its result, in a partition with one backup on another member. When a member dies, its
 * partitions' backups take over and run again the tasks it had not finished; the client then
 * fetches their results from the new owner. So a task runs at least once, and may run twice: a
 * function should be idempotent. A task that no member re-runs within a grace period fails its
 * call naming the member and the task; the pool goes on with the members that are left, and is
 * broken only when none is.
 */
final class ClusterPool extends Pool {

    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final long START_TIMEOUT_SECONDS = 60;
    /** How long the pool waits for a dead member's task to come back from another member, before long tasks are allowed for. */
    private static final long RERUN_GRACE_MILLIS = 10_000;
    private static final long RETRY_PAUSE_MILLIS = 100;
    private static final long WATCH_MILLIS = 100;
    private static final long EXIT_WAIT_MILLIS = 2_000;
    /** How many short tasks a member may be sent ahead of its work. */
    private static final int MAX_IN_FLIGHT = 64;
    private static final int STDERR_LINES_KEPT = 20;

    private final int heapMegabytes;
    private final List<String> join;
    private final String name;
    private final Duration connectTimeout;
    private final boolean exactMembers;
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    private final Map<UUID, Lane> byUuid = new ConcurrentHashMap<>();
    private final Map<Long, Sent> sent = new ConcurrentHashMap<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile HazelcastInstance client;
    private volatile DurableExecutorService executor;
    private volatile ScheduledExecutorService timer;
    private volatile boolean stopping;

    ClusterPool(int members, boolean exactMembers, int heapMegabytes, PrintStream out, Duration timeout, List<String> join,
                String clusterName, Duration connectTimeout) {
        super(members, out, timeout);
        this.exactMembers = exactMembers;
        this.heapMegabytes = heapMegabytes;
        this.join = join;
        this.connectTimeout = connectTimeout;
        this.name = clusterName != null ? clusterName : "lab-" + ProcessHandle.current().pid() + "-" + POOLS.incrementAndGet()
                + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    @Override
    public Kind kind() {
        return Kind.CLUSTER;
    }

    /** One member, as the pool sees it: its slot, its address, its JVM if the pool started it. */
    private final class Lane {
        final Slot slot;
        final String address;
        final Process process;
        final CompletableFuture<String> started = new CompletableFuture<>();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Deque<String> stderrTail = new ArrayDeque<>();
        volatile UUID uuid;
        volatile Integer key;
        volatile long goneNanos;
        volatile long goneMicros;
        volatile String why;

        Lane(int number, String address, Process process) {
            this.slot = new Slot(number, MAX_IN_FLIGHT);
            this.address = address;
            this.process = process;
        }

        String name() {
            return "member " + slot.number + " (" + (process != null ? "a JVM, pid " + process.pid() + ", " : "") + address + ")";
        }

        boolean gone() {
            return goneNanos != 0;
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

    /** A task handed to Hazelcast, until its result is in. */
    private static final class Sent {
        final Chunk chunk;
        final Lane lane;
        final ClusterTask task;
        final long sentMicros = epochMicros();
        volatile long taskId = -1;
        /** Set once the task is in doubt (its member gone, or its result unreachable): when to stop waiting for it. */
        volatile long deadlineNanos;

        Sent(Chunk chunk, Lane lane, ClusterTask task) {
            this.chunk = chunk;
            this.lane = lane;
            this.task = task;
        }
    }

    /** A function as members find it: its class name, and the class files of one compiled in a cell. */
    private record FunctionRef(String className, byte[] code) {}

    // ---- Start ----

    @Override
    void startWorkers() {
        long t0 = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("cluster-" + name + "-timer").unstarted(r));
        try {
            if (join.isEmpty()) {
                startMembers();
            }
            connect();
        } catch (InterruptedException e) {
            shutdown(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while the cluster's members were starting: they were stopped");
        } catch (RuntimeException | Error e) {
            shutdown(true);
            throw e;
        }
        started((System.nanoTime() - t0) / 1e6);
        for (Lane lane : lanes) {
            threads.add(Thread.ofPlatform().daemon().name("cluster-" + name + "-member-" + lane.slot.number + "-sender").start(() -> send(lane)));
        }
        timer.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts the members on loopback: the first forms the cluster, the others join it. */
    private void startMembers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        int[] ports = freePorts(workers);
        String first = "127.0.0.1:" + ports[0];
        for (int m = 1; m <= workers; m++) {
            List<String> command = ChildJvms.command(heapMegabytes, ClusterMemberMain.class, memberOptions());
            command.addAll(List.of("--cluster", name, "--member", Integer.toString(m), "--bind", "127.0.0.1",
                    "--port", Integer.toString(ports[m - 1]), "--expect", Integer.toString(workers),
                    "--parent", Long.toString(ProcessHandle.current().pid())));
            if (m > 1) {
                command.addAll(List.of("--join", first));
            }
            Process process;
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start member " + m + " of the cluster (" + command.get(0) + "): "
                        + e.getMessage(), e);
            }
            Lane lane = new Lane(m, "127.0.0.1:" + ports[m - 1], process);
            lanes.add(lane);
            threads.add(Thread.ofPlatform().daemon().name("cluster-" + name + "-member-" + m + "-stdout").start(() -> readStdout(lane)));
            threads.add(Thread.ofPlatform().daemon().name("cluster-" + name + "-member-" + m + "-stderr").start(() -> readStderr(lane)));
            if (m == 1) {
                // The others join the first, so it must be listening before they start.
                await(lane.started, lane, "had not started", deadline);
            }
        }
        for (Lane lane : lanes) {
            await(lane.ready, lane, "had not joined its cluster", deadline);
        }
    }

    /** Quiet start-up: Hazelcast asks for these to reach the JDK's internals, and says so on every start without them. */
    private static List<String> memberOptions() {
        List<String> options = new ArrayList<>(List.of("--add-modules", "java.se",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-Djava.util.logging.SimpleFormatter.format=%4$s %5$s%6$s%n"));
        if (Runtime.version().feature() >= 23) {
            // JDK 23 and later warn when a library uses sun.misc.Unsafe's memory access, as Hazelcast's queues do.
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    private void await(CompletableFuture<?> future, Lane lane, String what, long deadline) throws InterruptedException {
        try {
            future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not start the cluster: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not start the cluster: " + lane.name() + " " + what + " after "
                    + START_TIMEOUT_SECONDS + " s" + lane.stderrText());
        }
    }

    /** Ports that were free a moment ago on loopback (a member that finds its port taken says so). */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("could not find free ports on loopback for the cluster's members: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a probe
                }
            }
        }
    }

    private void readStdout(Lane lane) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(lane.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("STARTED ")) {
                    lane.started.complete(line);
                } else if (line.startsWith("READY")) {
                    lane.ready.complete(null);
                } else {
                    show(lane, line);
                }
            }
        } catch (IOException e) {
            // The member is gone; how it ended is reported below.
        }
        String how = ended(lane.process);
        IllegalStateException error = new IllegalStateException(lane.name() + " " + how + lane.stderrText());
        lane.started.completeExceptionally(error);
        lane.ready.completeExceptionally(error);
        gone(lane, how);
    }

    private void readStderr(Lane lane) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(lane.process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                lane.keep(line);
                show(lane, line);
            }
        } catch (IOException e) {
            // The member is gone.
        }
    }

    private void show(Lane lane, String line) {
        if (stopping) {
            return; // what a member says while the pool stops it is kept for a message, not shown
        }
        synchronized (out) {
            out.println("[member " + lane.slot.number + "] " + line);
        }
    }

    /** How a member's JVM ended, once its output has: "was killed (SIGKILL: ...)", "exited with status 1", ... */
    private static String ended(Process process) {
        try {
            if (!process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return "closed its output but is still running";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "stopped answering";
        }
        int status = process.exitValue();
        return switch (status) {
            case 0 -> "exited";
            case 137 -> "was killed (SIGKILL: kill -9, or the system ran out of memory)";
            case 134 -> "crashed (SIGABRT)";
            case 139 -> "crashed (SIGSEGV)";
            case ChildJvms.ORPHANED -> "halted because it lost its parent";
            default -> status > 128 ? "was ended by signal " + (status - 128) : "exited with status " + status;
        };
    }

    /** Connects this JVM to the cluster as a client and learns which member is which. */
    private void connect() throws InterruptedException {
        List<String> addresses = join.isEmpty() ? lanes.stream().map(lane -> lane.address).toList() : join;
        long connectMillis = join.isEmpty() ? TimeUnit.SECONDS.toMillis(START_TIMEOUT_SECONDS) : connectTimeout.toMillis();
        try {
            client = HazelcastClient.newHazelcastClient(ClusterConfigs.client(name, addresses, connectMillis));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("could not reach a member of cluster \"" + name + "\" at " + String.join(", ", addresses)
                    + " within " + connectMillis + " ms: check that the members run (ClusterMemberMain), that the addresses"
                    + " and the cluster name are theirs, and that no firewall is in the way", e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectMillis);
        List<Member> members = new ArrayList<>(client.getCluster().getMembers());
        while (members.size() < workers && (exactMembers || members.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            members = new ArrayList<>(client.getCluster().getMembers());
        }
        if (exactMembers && members.size() < workers) {
            throw new IllegalStateException("cluster \"" + name + "\" has " + members.size() + " member" + (members.size() == 1 ? "" : "s")
                    + ", not the " + workers + " asked for: start the others, or ask for " + members.size());
        }
        if (!join.isEmpty()) {
            // Members started elsewhere: numbered by the number each was given, else in the cluster's order.
            members.sort(Comparator.comparingInt(ClusterPool::numberOf));
            List<Member> kept = exactMembers ? members.subList(0, workers) : members;
            int number = 1;
            for (Member member : kept) {
                Lane lane = new Lane(number++, member.getAddress().getHost() + ":" + member.getAddress().getPort(), null);
                lane.uuid = member.getUuid();
                lanes.add(lane);
            }
            if (lanes.size() != workers) {
                throw new IllegalStateException("cluster \"" + name + "\" has " + lanes.size() + " members: ask for that many with"
                        + " .workers(" + lanes.size() + ")");
            }
        } else {
            for (Member member : members) {
                int number = numberOf(member);
                if (number >= 1 && number <= lanes.size()) {
                    lanes.get(number - 1).uuid = member.getUuid();
                }
            }
            for (Lane lane : lanes) {
                if (lane.uuid == null) {
                    throw new IllegalStateException("could not start the cluster: " + lane.name() + " is not among its members");
                }
            }
        }
        lanes.forEach(lane -> byUuid.put(lane.uuid, lane));
        client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // A member that joins later gets no lane: the pool's workers are fixed when it starts.
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                Lane lane = byUuid.get(event.getMember().getUuid());
                if (lane != null) {
                    gone(lane, "left the cluster");
                }
            }
        });
        executor = client.getDurableExecutorService(ClusterConfigs.EXECUTOR);
        // The client learns the partition table a moment after it connects; each lane needs a key of its member's.
        while (System.nanoTime() < deadline) {
            if (lanes.stream().allMatch(lane -> keyFor(lane, false) != null)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("could not start the cluster: the client did not learn which member owns which"
                + " partition within " + connectMillis + " ms");
    }

    private static int numberOf(Member member) {
        try {
            return Integer.parseInt(member.getAttribute(ClusterConfigs.MEMBER_ATTRIBUTE));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * A key whose partition this lane's member owns, so that the durable executor runs the task
     * there; null if none is known. A lane whose member is gone borrows another's.
     */
    private Integer keyFor(Lane lane, boolean borrow) {
        Integer key = lane.key;
        if (key != null && ownedBy(key, lane)) {
            return key;
        }
        if (!lane.gone()) {
            for (int candidate = 0; candidate < 100 * ClusterConfigs.PARTITIONS; candidate++) {
                if (ownedBy(candidate, lane)) {
                    lane.key = candidate;
                    return candidate;
                }
            }
        }
        if (borrow) {
            for (Lane other : lanes) {
                if (other != lane && !other.gone()) {
                    Integer theirs = keyFor(other, false);
                    if (theirs != null) {
                        return theirs;
                    }
                }
            }
            return lane.slot.number;
        }
        return null;
    }

    private boolean ownedBy(int key, Lane lane) {
        Partition partition = client.getPartitionService().getPartition(key);
        Member owner = partition == null ? null : partition.getOwner();
        return owner != null && owner.getUuid().equals(lane.uuid);
    }

    // ---- Work ----

    /** Hands this lane's tasks to its member, one submit at a time. */
    private void send(Lane lane) {
        try {
            while (true) {
                Chunk chunk = take(lane.slot, true);
                if (chunk == null) {
                    return;
                }
                FunctionRef function = (FunctionRef) chunk.function;
                Sent task = new Sent(chunk, lane, new ClusterTask(chunk.id, function.className(), function.code(), chunk.inputs));
                sent.put(chunk.id, task);
                submit(task);
            }
        } catch (InterruptedException e) {
            // Stopped.
        } catch (RuntimeException | Error e) {
            if (!stopping) {
                internalError(lane.slot, e);
            }
        }
    }

    /**
     * Submits a task to the durable executor; a submit that fails (its member left meanwhile, say)
     * is tried again, on the key's new owner, until the task's deadline.
     */
    private void submit(Sent task) {
        while (!stopping) {
            try {
                DurableExecutorServiceFuture<byte[]> future = executor.submitToKeyOwner(task.task, keyFor(task.lane, true));
                task.taskId = future.getTaskId();
                future.whenComplete((bytes, error) -> completed(task, bytes, error));
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                if (inDoubt(task)) {
                    lose(task, "could not be handed to any member (" + e.getMessage() + ")");
                    return;
                }
                try {
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Starts the task's deadline if need be; true once it has passed. */
    private boolean inDoubt(Sent task) {
        long now = System.nanoTime();
        if (task.deadlineNanos == 0) {
            task.deadlineNanos = now + graceNanos(task.lane);
        }
        return now - task.deadlineNanos > 0;
    }

    /** Grace for a task to come back from another member: ten seconds, plus twice the time its recent tasks took. */
    private static long graceNanos(Lane lane) {
        double average = Math.max(0, lane.slot.averageMicros());
        return TimeUnit.MILLISECONDS.toNanos(RERUN_GRACE_MILLIS) + (long) (2_000 * average);
    }

    private void completed(Sent task, byte[] bytes, Throwable error) {
        if (stopping || !isRunning(task.chunk.id)) {
            sent.remove(task.chunk.id);
            return;
        }
        if (error != null) {
            // Usually its member left while the client waited. The result (or the task, run again) is
            // on the partition's backup, which now owns it: ask again until the deadline.
            if (inDoubt(task)) {
                lose(task, "did not come back (" + error + ")");
                return;
            }
            timer.schedule(() -> retrieve(task), RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        sent.remove(task.chunk.id);
        dispose(task.taskId);
        ClusterTask.Outcome outcome;
        try {
            outcome = ClusterTask.Outcome.read(bytes);
        } catch (IOException | RuntimeException e) {
            internalError(task.lane.slot, new IllegalStateException("a member sent a result that could not be read: " + e, e));
            return;
        }
        Lane ranOn = byUuid.get(outcome.member());
        int worker = ranOn == null ? 0 : ranOn.slot.number;
        if (worker != 0 && worker != task.lane.slot.number && task.lane.gone()) {
            lostAttempt(task.chunk.id, task.lane.slot.number, task.sentMicros, task.lane.goneMicros);
        }
        if (outcome.done()) {
            finished(task.lane.slot, List.of(new Done(task.chunk.id, outcome.results(), outcome.startMicros(),
                    outcome.endMicros(), worker)));
        } else {
            failed(task.lane.slot, worker == 0 ? task.lane.slot.number : worker, task.chunk.id, outcome.offset(),
                    outcome.error(), outcome.startMicros(), outcome.endMicros());
        }
    }

    private void retrieve(Sent task) {
        if (stopping) {
            return;
        }
        try {
            ((CompletionStage<byte[]>) executor.<byte[]>retrieveResult(task.taskId))
                    .whenComplete((bytes, error) -> completed(task, bytes, error));
        } catch (RuntimeException e) {
            completed(task, null, e);
        }
    }

    /** Frees the task's place in its partition (a result stays there until it is collected). */
    private void dispose(long taskId) {
        ScheduledExecutorService runner = timer;
        if (runner != null && !stopping) {
            try {
                runner.execute(() -> {
                    try {
                        if (!stopping) {
                            executor.disposeResult(taskId);
                        }
                    } catch (RuntimeException e) {
                        // Its member left: the place went with it.
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Stopping.
            }
        }
    }

    private void lose(Sent task, String what) {
        sent.remove(task.chunk.id);
        Lane lane = task.lane;
        String message = "the pool lost " + task.chunk.describe() + ": it was sent to " + lane.name()
                + (lane.gone() ? ", which " + lane.why : "") + ", and " + what + " within "
                + TimeUnit.NANOSECONDS.toSeconds(graceNanos(lane)) + " s. With one backup, a task survives one member's"
                + " death at a time; the pool goes on with the members that are left, so run the call again";
        lost(task.chunk.id, new TaskLostException(lane.slot.number, message), task.sentMicros,
                lane.gone() ? lane.goneMicros : epochMicros());
    }

    /** A member is gone: its lane takes no more tasks, and its tasks in flight get a deadline to come back. */
    private void gone(Lane lane, String why) {
        synchronized (lane) {
            if (lane.gone()) {
                return;
            }
            lane.why = why;
            lane.goneMicros = epochMicros();
            lane.goneNanos = System.nanoTime();
        }
        lane.slot.gone = true;
        wakeWorkers();
        if (stopping) {
            return;
        }
        long inFlight = sent.values().stream().filter(task -> task.lane == lane).count();
        synchronized (out) {
            out.println("[pool] " + lane.name() + " " + why + (inFlight == 0 ? "; it held no task"
                    : "; its " + inFlight + " task" + (inFlight == 1 ? "" : "s") + " in flight run again on the members"
                    + " that held their backups"));
        }
        if (lanes.stream().allMatch(Lane::gone)) {
            died(lane.slot, why + ", and no member of the cluster is left");
        }
    }

    /** Every 100 ms: tasks whose member is gone and that have not come back by their deadline are lost. */
    private void watch() {
        try {
            for (Sent task : sent.values()) {
                if (task.lane.gone() && task.taskId >= 0 && inDoubt(task)) {
                    lose(task, "no other member ran it");
                }
            }
            // A joined member's end is seen only by the client: members started here are watched by their output.
            HazelcastInstance hz = client;
            if (hz != null && !stopping && !hz.getLifecycleService().isRunning()) {
                for (Lane lane : lanes) {
                    gone(lane, "became unreachable (the client lost the cluster)");
                }
            }
        } catch (RuntimeException e) {
            // The next round tries again.
        }
    }

    // ---- Stop ----

    @Override
    void stopWorkers(boolean now) {
        shutdown(now);
    }

    /** Stops the client, the members this pool started (killed when {@code now}), and the pool's threads. */
    private void shutdown(boolean now) {
        boolean interrupted = Thread.interrupted();
        stopping = true;
        List<Process> processes = lanes.stream().map(lane -> lane.process).filter(p -> p != null).toList();
        if (now) {
            processes.forEach(Process::destroyForcibly);
        }
        threads.stream().filter(t -> t.getName().endsWith("-sender")).forEach(Thread::interrupt);
        HazelcastInstance hz = client;
        if (hz != null) {
            try {
                hz.shutdown();
            } catch (RuntimeException e) {
                // Already stopping.
            }
        }
        ScheduledExecutorService runner = timer;
        if (runner != null) {
            runner.shutdownNow();
        }
        // A member whose standard input closes halts at once.
        for (Process process : processes) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // Gone already.
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MILLIS);
        for (Process process : processes) {
            try {
                if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.destroyForcibly();
            }
        }
        joinAll(threads, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MILLIS));
        if (runner != null) {
            try {
                runner.awaitTermination(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- What travels ----

    @Override
    public List<Long> workerPids() {
        return lanes.stream().filter(lane -> lane.process != null).map(lane -> lane.process.pid()).toList();
    }

    @Override
    void checkInput(Object input, long index) {
        requireInput(input, index);
        if (!Wire.supports(input)) {
            throw new IllegalArgumentException("input " + index + " is a " + input.getClass().getName() + ": a cluster pool"
                    + " sends inputs to its members over the network and carries only " + Wire.SUPPORTED + "; convert it,"
                    + " or use Pool.threads(n), whose workers share this JVM's objects");
        }
    }

    @Override
    List<Object> keep(List<Object> inputs) {
        return Wire.compact(inputs);
    }

    @Override
    Object prepare(PoolFunction<?, ?> function) {
        String[] reference = PoolFunctions.reference(function, "a cluster pool cannot send this function to its members");
        return new FunctionRef(reference[0], ClusterTask.pack(reference[1].isEmpty() ? null : java.nio.file.Path.of(reference[1])));
    }

    /** The cluster's name and members' addresses, for the pool's one-line description. */
    String describeMembers() {
        return "cluster \"" + name + "\": " + String.join(", ", lanes.stream().map(lane -> lane.address
                + (lane.gone() ? " (gone)" : "")).toList());
    }

    @Override
    public String toString() {
        return super.toString() + "; " + describeMembers();
    }

    /** For tests and lessons: this pool's Hazelcast client. */
    HazelcastInstance client() {
        return client;
    }

    /** The heap of each member this pool started (MB); members it joined have their own. */
    int heapMegabytes() {
        return heapMegabytes;
    }

    /**
     * The cluster's name: unique per pool unless given, and part of the name of every thread the
     * pool and its Hazelcast client start in this JVM.
     */
    String clusterName() {
        return name;
    }

    /** Whether the members were started elsewhere and joined by address. */
    boolean joined() {
        return !join.isEmpty();
    }
}
