package concurrencylab.deadlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bank transfers round a ring of accounts, one thread each, in one of four ways: the lab's
 * deadlock demo, bounded and cleaned up. Thread k moves money from account k to account k+1 (the
 * last to the first), so two threads are the classic pair of opposite transfers and more make a
 * longer cycle.
 *
 * <p>Contract: each account's lock is a {@link LabLock}, and all of them share a
 * {@link Handshake}, which holds each thread at its first lock until every thread has one (or
 * waits for one), so that {@link Way#FROM_THEN_TO} deadlocks every time, on one CPU as on many.
 * {@link Builder#inStep} keeps the threads in step at every retry instead (the worst case for
 * back-off: a livelock). {@link #run()} watches with {@link Deadlocks#await} until the transfers are
 * done, a deadlock is found or the give-up time passes; then it cancels the handshake, interrupts
 * every thread that is still running and joins them, and returns a {@link TransferRun} saying what
 * happened. No thread outlives {@code run()}: threads of this class can always be freed, since
 * they wait only in {@code LabLock}s and sleeps. Interrupting the calling thread stops the run
 * within a second, its threads ended, and {@code run()} throws {@link CancellationException}.
 *
 * <p>What it does not do: it does not use {@code synchronized}, whose deadlocks cannot be ended
 * from outside (see the lesson); nor virtual threads, which the JDK's deadlock detector does not see.
 *
 * <pre>{@code
 * TransferRun run = DeadlockDemo.builder(DeadlockDemo.Way.FROM_THEN_TO).threads(2).build().run();
 * Display.show(run);     // the wait-for graph of the deadlock it found, before it ended the threads
 * }</pre>
 */
public final class DeadlockDemo {

    /** The most threads (and accounts) a ring may have: each is a platform thread drawn in the graph. */
    public static final int MAX_THREADS = 16;

    /** How each transfer takes its two locks. */
    public enum Way {
        /** The naive order: the account money leaves, then the account it goes to. Deadlocks. */
        FROM_THEN_TO("from, then to"),
        /** One global order for every transfer: the account with the smaller number first. */
        ONE_ORDER("one global order"),
        /** Take the first lock, then {@code tryLock()} the second; on failure release, wait a random time up to the back-off, retry. */
        TRY_LOCK_RANDOM_BACKOFF("random back-off"),
        /** As the random back-off, but every thread waits exactly the back-off: polite threads that stay in step. */
        TRY_LOCK_FIXED_BACKOFF("fixed back-off");

        private final String label;

        Way(String label) {
            this.label = label;
        }

        /** A short label for charts ("one global order", "random back-off": the back-off ways use tryLock). */
        public String label() {
            return label;
        }
    }

    private final Way way;
    private final int threads;
    private final int transfers;
    private final Duration hold;
    private final Duration giveUp;
    private final Duration backoff;
    private final boolean inStep;
    private final boolean jcmd;

    private DeadlockDemo(Builder b) {
        this.way = b.way;
        this.threads = b.threads;
        this.transfers = b.transfers;
        this.hold = b.hold;
        this.giveUp = b.giveUp;
        this.backoff = b.backoff;
        this.inStep = b.inStep;
        this.jcmd = b.jcmd;
    }

    /** A builder for a ring of transfers made in the given way. */
    public static Builder builder(Way way) {
        return new Builder(Objects.requireNonNull(way, "way"));
    }

    /** Builds a {@link DeadlockDemo}; every setter checks its value and says which range it accepts. */
    public static final class Builder {
        private final Way way;
        private int threads = 2;
        private int transfers = 1;
        private Duration hold = Duration.ofSeconds(1);
        private Duration giveUp = Duration.ofSeconds(2);
        private Duration backoff = Duration.ofMillis(10);
        private boolean inStep;
        private boolean jcmd;

        private Builder(Way way) {
            this.way = way;
        }

        /**
         * How many threads (and accounts) in the ring; default 2.
         *
         * @throws IllegalArgumentException if not between 2 and {@value #MAX_THREADS}
         */
        public Builder threads(int threads) {
            if (threads < 2 || threads > MAX_THREADS) {
                throw new IllegalArgumentException("threads must be between 2 and " + MAX_THREADS + " (got " + threads
                        + "): a ring needs two accounts, and each thread is drawn in the graph");
            }
            this.threads = threads;
            return this;
        }

        /**
         * How many transfers each thread makes; default 1.
         *
         * @throws IllegalArgumentException if not between 1 and 10,000,000
         */
        public Builder transfers(int transfers) {
            if (transfers < 1 || transfers > 10_000_000) {
                throw new IllegalArgumentException("transfers must be between 1 and 10,000,000 (got " + transfers + ")");
            }
            this.transfers = transfers;
            return this;
        }

        /**
         * At most how long a thread holds its first lock waiting for the others to take theirs
         * (the handshake's bound); default 1 s. With {@link #inStep} the hold is at most a tenth of
         * the back-off instead.
         *
         * @throws IllegalArgumentException if not between 0 and a minute
         */
        public Builder hold(Duration hold) {
            this.hold = checked("hold", hold, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long the run may take before it is stopped; default 2 s.
         *
         * @throws IllegalArgumentException if not between 10 ms and ten minutes
         */
        public Builder giveUp(Duration giveUp) {
            this.giveUp = checked("giveUp", giveUp, Duration.ofMillis(10), Duration.ofMinutes(10));
            return this;
        }

        /**
         * The back-off of the tryLock ways: the fixed wait, or the largest random one; default 10 ms.
         *
         * @throws IllegalArgumentException if not between 1 ms and 10 s
         */
        public Builder backoff(Duration backoff) {
            this.backoff = checked("backoff", backoff, Duration.ofMillis(1), Duration.ofSeconds(10));
            return this;
        }

        /** Keep the threads in step at every retry, not only at their first lock: the worst case for back-off. */
        public Builder inStep(boolean inStep) {
            this.inStep = inStep;
            return this;
        }

        /** Also take the real {@code jcmd <pid> Thread.print} of the deadlock, where jcmd exists (about half a second). */
        public Builder jcmd(boolean jcmd) {
            this.jcmd = jcmd;
            return this;
        }

        /** The demo, ready to {@link DeadlockDemo#run()}. */
        public DeadlockDemo build() {
            return new DeadlockDemo(this);
        }

        private static Duration checked(String name, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min.toMillis() + " ms and "
                        + max.toMillis() + " ms (got " + d.toMillis() + " ms)");
            }
            return d;
        }
    }

    static String accountName(int k) {
        return String.valueOf((char) ('A' + k));
    }

    /**
     * Runs the transfers, watches them, ends every thread still running, and reports.
     *
     * @throws CancellationException if the calling thread is interrupted (the run's threads are ended first)
     */
    public TransferRun run() {
        Duration holdFor = inStep ? backoff.dividedBy(10) : hold;
        Handshake handshake = inStep ? Handshake.inStep(threads, holdFor) : Handshake.once(threads, holdFor);
        List<LabLock> locks = new ArrayList<>();
        Map<Object, String> names = new LinkedHashMap<>();
        for (int k = 0; k < threads; k++) {
            LabLock lock = new LabLock(accountName(k) + "'s lock", handshake);
            locks.add(lock);
            names.put(lock, lock.name());
        }
        long[] balances = new long[threads];
        AtomicLongArray done = new AtomicLongArray(threads);
        AtomicLong retries = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int from = k, to = (k + 1) % threads;
            workers.add(Thread.ofPlatform().daemon().name(accountName(from) + "-to-" + accountName(to)).unstarted(() -> {
                try {
                    go.await();
                    for (int i = 0; i < transfers; i++) {
                        transfer(locks, balances, from, to, retries);
                        done.incrementAndGet(from);
                    }
                } catch (InterruptedException | CancellationException e) {
                    // asked to stop: stop
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        go.countDown();
        Optional<Deadlock> deadlock;
        String jcmdText = null;
        try {
            deadlock = Deadlocks.await(workers, names, giveUp).filter(Deadlock::permanent);
            if (deadlock.isPresent() && jcmd) {
                jcmdText = Deadlocks.jcmd(workers).orElse(null);
            }
        } catch (CancellationException e) {
            stop(workers, handshake);
            throw e;
        }
        double watched = (System.nanoTime() - start) / 1e6;
        boolean finished = workers.stream().noneMatch(Thread::isAlive);
        long stopStart = System.nanoTime();
        List<String> left = finished ? List.of() : stop(workers, handshake);
        double stopMillis = finished ? 0 : (System.nanoTime() - stopStart) / 1e6;
        long[] completed = new long[threads];
        for (int k = 0; k < threads; k++) {
            completed[k] = done.get(k);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a transfer thread failed: " + failure.get(), failure.get());
        }
        boolean balancesRight = true;
        for (int k = 0; k < threads; k++) {
            int previous = (k + threads - 1) % threads;
            long expected = -(k + 1) * completed[k] + (previous + 1) * completed[previous];
            balancesRight &= balances[k] == expected;
        }
        boolean locksFree = locks.stream().noneMatch(LabLock::isLocked);
        return new TransferRun(way, inStep, threads, transfers, completed, retries.get(), deadlock.orElse(null),
                jcmdText, watched, finished, stopMillis, left, balancesRight && locksFree);
    }

    /** Cancels the handshake, interrupts every live thread, waits up to a second for all; the names of those left. */
    private static List<String> stop(List<Thread> workers, Handshake handshake) {
        handshake.cancel();
        workers.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive() && System.nanoTime() < deadline) {
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return workers.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    private void transfer(List<LabLock> locks, long[] balances, int from, int to, AtomicLong retries)
            throws InterruptedException {
        LabLock a = locks.get(from), b = locks.get(to);
        switch (way) {
            case FROM_THEN_TO -> both(a, b, balances, from, to);
            case ONE_ORDER -> both(from < to ? a : b, from < to ? b : a, balances, from, to);
            case TRY_LOCK_RANDOM_BACKOFF, TRY_LOCK_FIXED_BACKOFF -> {
                while (true) {
                    a.lock();
                    try {
                        if (b.tryLock()) {
                            try {
                                move(balances, from, to);
                                return;
                            } finally {
                                b.unlock();
                            }
                        }
                    } finally {
                        a.unlock();
                    }
                    retries.incrementAndGet();
                    long wait = backoff.toNanos();
                    if (way == Way.TRY_LOCK_RANDOM_BACKOFF) {
                        wait = ThreadLocalRandom.current().nextLong(wait + 1);
                    }
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
    }

    private static void both(LabLock first, LabLock second, long[] balances, int from, int to) {
        first.lock();
        try {
            second.lock();
            try {
                move(balances, from, to);
            } finally {
                second.unlock();
            }
        } finally {
            first.unlock();
        }
    }

    /** Thread k moves k + 1 each time, so that a lost or doubled transfer shows in the balances. */
    private static void move(long[] balances, int from, int to) {
        balances[from] -= from + 1;
        balances[to] += from + 1;
    }
}
