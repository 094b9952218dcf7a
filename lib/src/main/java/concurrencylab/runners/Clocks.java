package concurrencylab.runners;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/** The clocks a run reads: one wall clock shared with child JVMs, and this process's CPU time. */
final class Clocks {

    private Clocks() {}

    /** Microseconds since the epoch: the clock that every JVM on a machine agrees on. */
    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Processor time this JVM has used so far, in nanoseconds, or -1 where unknown. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
