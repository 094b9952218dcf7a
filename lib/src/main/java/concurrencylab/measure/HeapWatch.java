package concurrencylab.measure;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The most heap this JVM used while something ran: sampled every 5 ms and at every garbage
 * collection (from the memory pools' peaks, which the JVM tracks itself), so short peaks are
 * not missed. Garbage not yet collected counts too; to see what a program keeps alive rather
 * than what it throws away, run it in a JVM with a small young generation (e.g. -Xmn16m), where
 * the heap is collected often.
 *
 * <pre>{@code
 * try (HeapWatch watch = HeapWatch.start()) {
 *     pool.map(...);
 *     peak = watch.peakMegabytes();
 * }
 * }</pre>
 */
public final class HeapWatch implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile long peakBytes;
    private volatile boolean running = true;

    private HeapWatch() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        peakBytes = memory.getHeapMemoryUsage().getUsed();
        sampler = Thread.ofPlatform().daemon().name("heap-watch").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts watching now. */
    public static HeapWatch start() {
        return new HeapWatch();
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        long peaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peaks += pool.getPeakUsage().getUsed();
            }
        }
        // The pools' peaks need not coincide in time, so their sum may overstate; cap it by what the heap can hold.
        long committed = memory.getHeapMemoryUsage().getCommitted();
        long peak = Math.max(used, Math.min(peaks, committed));
        if (peak > peakBytes) {
            peakBytes = peak;
        }
    }

    /** The most heap used since the watch started, in megabytes (2^20 bytes). */
    public double peakMegabytes() {
        sample();
        return peakBytes / (1024.0 * 1024.0);
    }

    /** Stops the sampler. */
    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
