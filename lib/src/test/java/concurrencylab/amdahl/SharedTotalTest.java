package concurrencylab.amdahl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedTotalTest {

    private static void onThreads(int workers, long items, java.util.function.BiConsumer<Long, Long> worker) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long from = items * w / workers;
            long to = items * (w + 1) / workers;
            threads.add(Thread.ofPlatform().start(() -> worker.accept(from, to)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void eachWorkerCombiningOnceGivesTheExactTotalWithNoWorkUnderTheLock() throws Exception {
        SharedTotal shared = new SharedTotal(1_000);
        onThreads(4, 4_000, (from, to) -> {
            long mine = 0;
            for (long i = from; i < to; i++) {
                mine += shared.work(i);
            }
            shared.lock.lock();
            try {
                shared.add(mine);
            } finally {
                shared.lock.unlock();
            }
        });

        assertThat(shared.total()).isEqualTo(shared.expectedTotal(4_000));
        assertThat(shared.unitsUnderLock()).isZero();
        assertThat(shared.units()).isEqualTo(4_000_000);
        assertThat(shared.mostUpdatesByOneThread()).isEqualTo(1);
        assertThat(shared.updatingThreads()).isEqualTo(4);
        assertThat(shared.unguardedAdds()).isZero();
    }

    @Test
    void workDoneHoldingTheLockIsCounted() throws Exception {
        SharedTotal shared = new SharedTotal(1_000);
        onThreads(2, 100, (from, to) -> {
            shared.lock.lock();
            try {
                for (long i = from; i < to; i++) {
                    shared.add(shared.work(i));
                }
            } finally {
                shared.lock.unlock();
            }
        });

        assertThat(shared.shareUnderLock()).isEqualTo(1.0);
        assertThat(shared.mostUpdatesByOneThread()).isEqualTo(50);
        assertThat(shared.total()).isEqualTo(shared.expectedTotal(100));
    }

    @Test
    void anAddWithoutTheLockIsCountedEvenWhenNoUpdateIsLost() {
        SharedTotal shared = new SharedTotal(10);
        shared.add(shared.work(3));

        assertThat(shared.unguardedAdds()).isEqualTo(1);
        assertThat(shared.total()).isEqualTo(13);
    }

    @Test
    void atomicAddsNeedNoLockButCountAsUpdates() throws Exception {
        SharedTotal shared = new SharedTotal(10);
        onThreads(2, 1_000, (from, to) -> {
            for (long i = from; i < to; i++) {
                shared.addAtomically(shared.work(i));
            }
        });

        assertThat(shared.total()).isEqualTo(shared.expectedTotal(1_000));
        assertThat(shared.unguardedAdds()).isZero();
        assertThat(shared.mostUpdatesByOneThread()).isEqualTo(500);
        assertThat(shared.atomicAdds()).isEqualTo(1_000);
    }

    @Test
    void theTotalCanBeReadWhileALockAnAnswerLeftHeldIsStillHeld() throws Exception {
        SharedTotal shared = new SharedTotal(10);
        Thread.ofPlatform().start(() -> { shared.lock.lock(); shared.add(1); }).join();

        assertThat(shared.lock.isLocked()).isTrue();
        assertThat(shared.total()).isEqualTo(1);
    }

    @Test
    void theExpectedTotalIsTheSumOfEveryItemsResult() {
        SharedTotal shared = new SharedTotal(5);
        for (long items : new long[] {0, 1, 6, 7, 8, 100}) {
            long sum = 0;
            for (long i = 0; i < items; i++) {
                sum += 5 + i % 7;
            }
            assertThat(shared.expectedTotal(items)).as("%d items", items).isEqualTo(sum);
        }
    }

    @Test
    void anItemSizeOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new SharedTotal(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unitsPerItem must be between 1 and");
    }

    @Test
    void itDescribesItselfInOneLine() {
        SharedTotal shared = new SharedTotal(10);
        shared.lock.lock();
        try {
            shared.add(shared.work(0));
        } finally {
            shared.lock.unlock();
        }

        assertThat(shared.toString()).doesNotContain("\n").contains("total 10").contains("100.0 % of 10 increments under the lock");
    }

    @Test
    void theProblemAfterARightAnswerIsNone() throws Exception {
        SharedTotal shared = new SharedTotal(100);
        onThreads(3, 300, (from, to) -> {
            long mine = 0;
            for (long i = from; i < to; i++) {
                mine += shared.work(i);
            }
            shared.addAtomically(mine);
        });

        assertThat(shared.problemAfter(300)).isNull();
    }

    @Test
    void theProblemAfterAnAtomicAddPerItemNamesTheUpdatesAndTheFix() throws Exception {
        SharedTotal shared = new SharedTotal(100);
        onThreads(2, 100, (from, to) -> {
            for (long i = from; i < to; i++) {
                shared.addAtomically(shared.work(i));
            }
        });

        assertThat(shared.problemAfter(100)).contains("updated it 50 times").contains("addAtomically needs no lock")
                .contains("add it to the total once, at the end");
    }

    @Test
    void theProblemAfterAnUnguardedAddComesFirstEvenWhenTheTotalIsRight() {
        SharedTotal shared = new SharedTotal(10);
        shared.add(shared.work(0));

        assertThat(shared.problemAfter(1)).contains("without holding shared.lock").contains("none was lost this time");
    }

    @Test
    void theProblemAfterAMissingItemIsTheTotal() {
        SharedTotal shared = new SharedTotal(10);

        assertThat(shared.problemAfter(1)).startsWith("the total was 0, not 10");
    }

    @Test
    void theProblemAfterALockLeftHeldSaysToReleaseItInFinally() throws Exception {
        SharedTotal shared = new SharedTotal(10);
        Thread.ofPlatform().start(() -> {
            long mine = shared.work(0);
            shared.lock.lock();
            shared.add(mine);
        }).join();

        assertThat(shared.problemAfter(1)).contains("still held").contains("finally");
    }
}
