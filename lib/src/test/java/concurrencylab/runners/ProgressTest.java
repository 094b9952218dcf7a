package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /**
     * The reporter's time goes in the listener, that is in a kernel's socket send, where an
     * interrupt cuts a message in two. Closing must not interrupt it: here the listener blocks
     * in an interruptible wait (standing in for the send) when close() is called.
     */
    @Test
    void closingNeverInterruptsAReportInProgress() throws InterruptedException {
        CountDownLatch reporting = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finishedSeen = new AtomicBoolean();
        AtomicInteger reports = new AtomicInteger();
        ProgressListener listener = (done, total, finished) -> {
            if (finished) {
                finishedSeen.set(true);
                return;
            }
            reports.incrementAndGet();
            reporting.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            if (Thread.currentThread().isInterrupted()) {
                interrupted.set(true);
            }
        };

        Progress progress = new Progress(2, 10, listener);
        progress.set(1, 5);
        assertThat(reporting.await(10, TimeUnit.SECONDS)).as("the reporter reported while the run lasted").isTrue();
        progress.close();

        assertThat(interrupted).as("the reporter was interrupted in the middle of a report").isFalse();
        assertThat(finishedSeen).as("close() sends the final state").isTrue();
        int afterClose = reports.get();
        Thread.sleep(400);
        assertThat(reports.get()).as("no report after close() returned").isEqualTo(afterClose);
    }
}
