package concurrencylab.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lesson's exercise, with the lesson's Account, judged as its check cell judges it. */
class TransferCheckTest {

    private static final AtomicLong NEXT = new AtomicLong();

    static final class Account {
        final long number = NEXT.incrementAndGet();
        final String name;
        final ReentrantLock lock;
        private long balance;

        Account(String name, long balance, ReentrantLock lock) {
            this.name = name;
            this.balance = balance;
            this.lock = lock;
        }

        long balance() {
            return balance;
        }

        void withdraw(long amount) {
            guard();
            balance -= amount;
        }

        void deposit(long amount) {
            guard();
            balance += amount;
        }

        private void guard() {
            if (!lock.isHeldByCurrentThread()) {
                throw new IllegalStateException(name + "'s balance changed without " + name + "'s lock held");
            }
        }
    }

    private static String judge(TransferCheck.Transfer<Account> transfer) {
        return TransferCheck.judge(6, (name, lock) -> new Account(name, 1_000, lock), Account::balance, transfer);
    }

    private static void inOrder(Account first, Account second, Account from, Account to, long amount) {
        first.lock.lock();
        try {
            second.lock.lock();
            try {
                from.withdraw(amount);
                to.deposit(amount);
            } finally {
                second.lock.unlock();
            }
        } finally {
            first.lock.unlock();
        }
    }

    @Test
    void theOriginalOppositeOrderIsADeadlockNamedWithItsCycle() {
        assertThat(judge((from, to, amount) -> inOrder(from, to, from, to, amount)))
                .startsWith("Not yet: trial 1 of 6: a deadlock: transfer-1 holds Alex's lock and waits for Sam's lock")
                .contains("one global order");
    }

    @Test
    void oneGlobalOrderByAccountNumberIsRight() {
        assertThat(judge((from, to, amount) -> {
            boolean fromFirst = from.number < to.number;
            inOrder(fromFirst ? from : to, fromFirst ? to : from, from, to, amount);
        })).startsWith("Right");
    }

    @Test
    void tryLockWithRandomBackOffIsRight() {
        assertThat(judge((from, to, amount) -> {
            while (true) {
                from.lock.lock();
                try {
                    if (to.lock.tryLock()) {
                        try {
                            from.withdraw(amount);
                            to.deposit(amount);
                            return;
                        } finally {
                            to.lock.unlock();
                        }
                    }
                } finally {
                    from.lock.unlock();
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10));
            }
        })).startsWith("Right");
    }

    @Test
    void anOrderByNameTiesWhenTwoAccountsShareOne() {
        assertThat(judge((from, to, amount) -> {
            boolean fromFirst = from.name.compareTo(to.name) < 0;
            inOrder(fromFirst ? from : to, fromFirst ? to : from, from, to, amount);
        })).startsWith("Not yet: trial 2 of 6: a deadlock").contains("both accounts were called Alex").contains("account number");
    }

    @Test
    void anOrderByIdentityHashCodeTiesOnThePairTheCheckFinds() {
        assertThat(judge((from, to, amount) -> {
            boolean fromFirst = System.identityHashCode(from) < System.identityHashCode(to);
            inOrder(fromFirst ? from : to, fromFirst ? to : from, from, to, amount);
        })).startsWith("Not yet: trial 3 of 6: a deadlock").contains("the same System.identityHashCode");
    }

    @Test
    void tryLockThatKeepsTheFirstLockWhileRetryingNeverFinishes() {
        assertThat(judge((from, to, amount) -> {
            from.lock.lock();
            try {
                while (!to.lock.tryLock(10, TimeUnit.MILLISECONDS)) {
                    Thread.onSpinWait();
                }
                try {
                    from.withdraw(amount);
                    to.deposit(amount);
                } finally {
                    to.lock.unlock();
                }
            } finally {
                from.lock.unlock();
            }
        })).startsWith("Not yet: trial 1 of 6: the transfers never finished").contains("unlock the lock you hold");
    }

    @Test
    void takingOnlyOneLockIsRefusedByTheAccount() {
        assertThat(judge((from, to, amount) -> {
            from.lock.lock();
            try {
                from.withdraw(amount);
                to.deposit(amount);
            } finally {
                from.lock.unlock();
            }
        })).startsWith("Not yet").contains("balance changed without");
    }

    @Test
    void aTransferThatGivesUpWhenTryLockFailsLeavesTheBalancesWrong() {
        assertThat(judge((from, to, amount) -> {
            from.lock.lock();
            try {
                if (to.lock.tryLock()) {
                    try {
                        from.withdraw(amount);
                        to.deposit(amount);
                    } finally {
                        to.lock.unlock();
                    }
                }
            } finally {
                from.lock.unlock();
            }
        })).startsWith("Not yet: trial 1 of 6: the balances came out wrong");
    }

    @Test
    void aTransferThatReturnsHoldingALockIsNamed() {
        assertThat(judge((from, to, amount) -> {
            boolean fromFirst = from.number < to.number;
            Account first = fromFirst ? from : to, second = fromFirst ? to : from;
            first.lock.lock();
            second.lock.lock();
            from.withdraw(amount);
            to.deposit(amount);
            first.lock.unlock();
        })).startsWith("Not yet").contains("returned still holding");
    }

    @Test
    void aDeadlockOnSynchronizedEndsTheCheckAndSaysOnlyARestartFreesTheThreads() {
        CountDownLatch both = new CountDownLatch(2);
        long start = System.nanoTime();
        String verdict = judge((from, to, amount) -> {
            synchronized (from) {
                both.countDown();
                both.await(1, TimeUnit.SECONDS);
                synchronized (to) {
                    from.balance -= amount;
                    to.balance += amount;
                }
            }
        });
        assertThat(verdict).startsWith("Not yet: trial 1 of 6: a deadlock on synchronized")
                .contains("cannot be interrupted").contains("restart the kernel");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void interruptingTheCheckStopsItWithinASecondAndLeavesNoThreadOfItsOwn() throws Exception {
        Set<String> before = liveThreadNames();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                judge((from, to, amount) -> {
                    from.lock.lock();
                    try {
                        while (!to.lock.tryLock()) {
                            Thread.onSpinWait();
                        }
                        to.lock.unlock();
                    } finally {
                        from.lock.unlock();
                    }
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(500);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        Thread.sleep(300);
        Set<String> after = liveThreadNames();
        after.removeAll(before);
        assertThat(after).isEmpty();
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
