package concurrencylab.deadlock;

import concurrencylab.check.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * The check of lesson 11's exercise: a learner's {@code transfer(from, to, amount)} run by two
 * threads at once, in opposite directions between two accounts, under the schedule that made the
 * lesson's transfer deadlock.
 *
 * <p>Contract: each trial makes two accounts with the learner's constructor, each with a
 * {@link LabLock} of its own, both under one {@link Handshake#once}: each thread holds its first
 * lock until the other thread holds its own or waits for one (at most a second). Opposite orders
 * therefore deadlock every time, on one CPU as on many; one global order, or {@code tryLock} with
 * back-off, completes. Each thread makes {@value #TRANSFERS} transfers, one of 1 and the other
 * of 2 a time. Trials take turns at three pairs of accounts: two names ("Alex", "Sam"); one name
 * for both ("Alex", "Alex"), so that an order by name ties; one name and the same
 * {@link System#identityHashCode}, found with {@link Ties}, so that an order by identity hash code
 * ties too. A trial passes when both threads finish within {@value #GIVE_UP_SECONDS} s, throw
 * nothing, leave every lock free and leave both balances right.
 *
 * <p>Otherwise the check stops the trial: it looks for a deadlock with {@link Deadlocks}, names
 * the cycle, then cancels the handshake and interrupts both threads ({@code LabLock}'s waits, even
 * {@code lock()}'s, end on an interrupt). Threads deadlocked in {@code synchronized} cannot be freed:
 * the verdict says so, and that only restarting the kernel ends them (they are daemon threads, so
 * they do not keep the JVM alive). Each trial runs as {@link Check#judge} runs one: on its own
 * thread, within a limit; the first problem is the verdict.
 *
 * <p>What it does not do: it cannot prove an answer free of deadlocks; it runs the schedules
 * above, which every named wrong answer of the lesson fails.
 *
 * <pre>{@code
 * TransferCheck.judge(6, (name, lock) -> new Account(name, 1_000, lock), Account::balance,
 *         (from, to, amount) -> transfer(from, to, amount))
 * }</pre>
 */
public final class TransferCheck {

    /** How many transfers each of the two threads makes in a trial. */
    public static final int TRANSFERS = 100;
    /** How long a trial may run before the check stops it. */
    public static final int GIVE_UP_SECONDS = 3;

    private static final int TIE_SEARCH_LIMIT = 300_000;

    private TransferCheck() {}

    /**
     * The learner's transfer: move {@code amount} from one account to the other.
     *
     * @param <A> the account type
     */
    @FunctionalInterface
    public interface Transfer<A> {
        /** Moves {@code amount} from {@code from} to {@code to}. */
        void transfer(A from, A to, long amount) throws Exception;
    }

    /**
     * Runs {@code trials} trials and returns the verdict, "Right: ..." or "Not yet: ...".
     *
     * @param trials how many trials, 1 to 100 (they take turns at the three pairs of accounts; use 3 or more)
     * @param account the learner's constructor: an account with this name and this lock
     * @param balance reads an account's balance (called only when no transfer runs)
     * @param transfer the learner's transfer
     * @throws IllegalArgumentException if trials is not between 1 and 100
     * @throws CancellationException if the calling thread is interrupted
     */
    public static <A> String judge(int trials, BiFunction<String, ReentrantLock, A> account, ToLongFunction<A> balance,
                                   Transfer<A> transfer) {
        if (trials < 1 || trials > 100) {
            throw new IllegalArgumentException("trials must be between 1 and 100 (got " + trials + ")");
        }
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(transfer, "transfer");
        AtomicInteger next = new AtomicInteger();
        return Check.judge(trials, Duration.ofSeconds(GIVE_UP_SECONDS + 25),
                () -> trial(next.getAndIncrement() % 3, account, balance, transfer),
                "two transfers in opposite directions, " + TRANSFERS + " each, always finished (" + trials
                        + " trials, under the schedule that deadlocked the lesson's transfer, with accounts whose names"
                        + " and identity hash codes tie), every balance came out right and every lock was released.");
    }

    /** One trial on pair {@code kind} (0: two names, 1: one name, 2: one name and one identity hash); null if it passed. */
    static <A> String trial(int kind, BiFunction<String, ReentrantLock, A> account, ToLongFunction<A> balance,
                            Transfer<A> transfer) throws InterruptedException {
        Handshake handshake = Handshake.once(2, Duration.ofSeconds(1));
        record Made<A>(A account, LabLock lock) {}
        String pair;
        Made<A> x, y;
        Optional<Ties.Tie<Made<A>>> tie = kind != 2 ? Optional.empty()
                : Ties.sameIdentityHash(() -> {
                    LabLock lock = new LabLock("Alex's lock", handshake);
                    return new Made<>(account.apply("Alex", lock), lock);
                }, Made::account, TIE_SEARCH_LIMIT);
        if (tie.isPresent()) {
            x = tie.get().first();
            y = tie.get().second();
            pair = "both accounts were called Alex and had the same System.identityHashCode (" + System.identityHashCode(x.account())
                    + "; the check found such a pair among " + String.format(Locale.ROOT, "%,d", tie.get().made()) + " accounts)";
        } else {
            kind = Math.min(kind, 1);   // kind 2 with no tie among that many (vanishingly rare): the same-name pair instead
            LabLock first = new LabLock("Alex's lock", handshake);
            LabLock second = new LabLock("Sam's lock", handshake);
            x = new Made<>(account.apply("Alex", first), first);
            y = new Made<>(account.apply(kind == 1 ? "Alex" : "Sam", second), second);
            pair = kind == 1 ? "both accounts were called Alex" : "the accounts were Alex and Sam";
        }
        LabLock lx = x.lock(), ly = y.lock();
        String nameX = kind == 0 ? "Alex" : "Alex (1)", nameY = kind == 0 ? "Sam" : "Alex (2)";
        lx.rename(nameX + "'s lock");
        ly.rename(nameY + "'s lock");
        A ax = x.account(), ay = y.account();
        long x0 = balance.applyAsLong(ax), y0 = balance.applyAsLong(ay);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> failedIn = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<LabLock> both = List.of(lx, ly);
        Thread one = worker("transfer-1", go, () -> transfer.transfer(ax, ay, 1), both, failure, failedIn);
        Thread two = worker("transfer-2", go, () -> transfer.transfer(ay, ax, 2), both, failure, failedIn);
        String who = "transfer-1 moves 1 from " + nameX + " to " + nameY + ", transfer-2 moves 2 back, " + TRANSFERS
                + " times each";
        List<Thread> threads = List.of(one, two);
        Map<Object, String> names = new LinkedHashMap<>();
        names.put(lx, lx.name());
        names.put(ly, ly.name());
        names.put(ax, nameX + " (the account's monitor)");
        names.put(ay, nameY + " (the account's monitor)");
        threads.forEach(Thread::start);
        go.countDown();
        Optional<Deadlock> deadlock;
        try {
            deadlock = Deadlocks.await(threads, names, Duration.ofSeconds(GIVE_UP_SECONDS));
        } catch (CancellationException e) {
            stop(threads, handshake);
            throw new InterruptedException("the check was interrupted");
        }
        Throwable failed = failure.get();    // before any stop: what the answer itself threw
        String threw = failed == null ? null : failed instanceof LeftHeld ? failedIn.get() + "'s " + failed.getMessage()
                : failedIn.get() + " threw " + failed.getClass().getSimpleName()
                        + (failed.getMessage() == null ? "" : ": " + failed.getMessage()) + " (" + who + ")";
        if (threads.stream().anyMatch(Thread::isAlive)) {
            String holding = holding(threads, both);
            List<String> left = stop(threads, handshake);
            if (threw != null && (deadlock.isEmpty() || !deadlock.get().onMonitors())) {
                return threw + (left.isEmpty() ? "" : " (and " + String.join(", ", left) + " could not be stopped: restart the kernel)");
            }
            return stuck(kind, pair, who, deadlock, holding, left);
        }
        if (threw != null) {
            return threw;
        }
        for (LabLock lock : List.of(lx, ly)) {
            if (lock.isLocked()) {
                return lock.name() + " was still held when both transfers had ended: every lock() needs its unlock(), in a finally block";
            }
        }
        long x1 = balance.applyAsLong(ax), y1 = balance.applyAsLong(ay);
        long wantX = x0 - TRANSFERS + 2L * TRANSFERS, wantY = y0 + TRANSFERS - 2L * TRANSFERS;
        if (x1 != wantX || y1 != wantY) {
            return String.format(Locale.ROOT, "the balances came out wrong: %s has %,d (should be %,d) and %s has %,d (should be %,d), "
                    + "after %s. Every transfer must happen exactly once: one that cannot get both locks must release what it holds, "
                    + "wait, and try again, not give up", nameX, x1, wantX, nameY, y1, wantY, who);
        }
        return null;
    }

    private interface Body {
        void run() throws Exception;
    }

    /** A transfer that returned with a lock still held. */
    private static final class LeftHeld extends RuntimeException {
        LeftHeld(String message) {
            super(message, null, false, false);
        }
    }

    private static Thread worker(String name, CountDownLatch go, Body body, List<LabLock> locks,
                                 AtomicReference<Throwable> failure, AtomicReference<String> failedIn) {
        return Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                go.await();
                for (int i = 0; i < TRANSFERS; i++) {
                    body.run();
                    for (LabLock lock : locks) {
                        if (lock.isHeldByCurrentThread()) {
                            throw new LeftHeld("transfer returned still holding " + lock.name() + ": every lock() needs "
                                    + "its unlock(), in a finally block, or the next transfer waits for it forever");
                        }
                    }
                }
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    failedIn.set(name);
                }
            }
        });
    }

    /** What each live thread holds and tries, from the locks' own records: "transfer-1 holds X and tried Y 312 times". */
    private static String holding(List<Thread> threads, List<LabLock> locks) {
        List<String> parts = new ArrayList<>();
        for (Thread t : threads) {
            if (!t.isAlive()) {
                continue;
            }
            List<String> holds = new ArrayList<>();
            String tries = "";
            for (LabLock l : locks) {
                if (l.owner().orElse(null) == t) {
                    holds.add(l.name());
                } else if (l.failedTries(t) > 0) {
                    tries = " and has failed to get " + l.name() + String.format(Locale.ROOT, " %,d time%s", l.failedTries(t),
                            l.failedTries(t) == 1 ? "" : "s");
                }
            }
            parts.add(t.getName() + (holds.isEmpty() ? " holds no lock" : " holds " + String.join(" and ", holds)) + tries);
        }
        return String.join("; ", parts);
    }

    private static String stuck(int kind, String pair, String who, Optional<Deadlock> deadlock, String holding, List<String> left) {
        if (deadlock.isPresent() && deadlock.get().onMonitors()) {
            return "a deadlock on synchronized: " + deadlock.get().cycleSentence() + " (" + who + "). A thread blocked in "
                    + "synchronized cannot be interrupted, so these two threads stay stuck until you restart the kernel "
                    + "(Kernel, then Restart). Use the accounts' locks instead (lock and unlock, or tryLock), taken in one order";
        }
        String stillRunning = left.isEmpty() ? "" : " (and " + String.join(", ", left)
                + " could not be stopped: restart the kernel)";
        boolean retrying = holding.contains("failed to get");
        if (retrying || (deadlock.isPresent() && !deadlock.get().permanent())) {
            return "the transfers never finished: " + holding + " (" + who + "). Each kept its first lock while it retried "
                    + "the second, so neither could ever succeed. When tryLock fails, unlock the lock you hold, wait a random "
                    + "while, then try both again" + stillRunning;
        }
        if (deadlock.isPresent()) {
            String why = switch (kind) {
                case 1 -> " In this trial " + pair + ": an order by name ties, and then each transfer took the locks in its own "
                        + "order. Order by a key no two accounts share (the account number), or break ties";
                case 2 -> " In this trial " + pair + ": an order by identityHashCode ties too. Order by a key no two accounts "
                        + "share (the account number)";
                default -> " The two transfers took the same two locks in opposite orders. Take them in one global order "
                        + "(the account with the smaller number first), or use tryLock and back off";
            };
            return "a deadlock: " + deadlock.get().cycleSentence() + " (" + who + ")." + why + stillRunning;
        }
        return "the transfers did not finish within " + GIVE_UP_SECONDS + " s: " + holding + " (" + who + "). "
                + "Does every path release what it took, and does a transfer that cannot go on let go of its lock?" + stillRunning;
    }

    /** Cancels the handshake, interrupts the threads, waits up to a second; the names of those still alive. */
    private static List<String> stop(List<Thread> threads, Handshake handshake) {
        handshake.cancel();
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        boolean interrupted = false;
        for (Thread t : threads) {
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
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }
}
