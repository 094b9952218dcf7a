package concurrencylab.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoadTest {

    @Test
    void itsThreadsCountUntilClosedAndAreGoneWhenCloseReturns() throws InterruptedException {
        Load load = Load.start(2);
        assertThat(load.threads()).isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (load.increments() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(load.increments()).as("increments after a while").isPositive();
        load.close();
        long after = load.increments();
        assertThat(loadThreads()).isEmpty();
        Thread.sleep(50);
        assertThat(load.increments()).as("nothing counts after close").isEqualTo(after);
    }

    @Test
    void itsThreadsUseCpuTimeNotSleep() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Load load = Load.start(1)) {
            Thread.sleep(300);
            long cpu = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("lab-load-"))
                    .mapToLong(t -> threads.getThreadCpuTime(t.threadId())).sum();
            assertThat(Duration.ofNanos(cpu)).as("CPU time of a counting thread").isPositive();
        }
    }

    @Test
    void aThreadCountOutOfRangeIsRefusedWithTheRange() {
        assertThatThrownBy(() -> Load.start(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be from 1 to 1024");
    }

    private static java.util.List<String> loadThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("lab-load-")).toList();
    }
}
