package concurrencylab.measure;

import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What it costs to start one worker and wait for it to finish: a platform thread, a virtual
 * thread, and a whole new JVM (a child process). The article's claim that a process is costly
 * and a thread cheap, measured here.
 *
 * <p>Each figure is the median of several samples, after one unmeasured warm-up of each kind.
 * A sample covers start to end of a worker that does almost nothing: for a thread, increment
 * a shared counter (checked afterwards, so a thread that never ran fails the measurement); for
 * a JVM, start {@code java -version} with a 64 MiB heap, discard its output and wait for it to
 * exit with status 0.
 *
 * <p>The measurement is interruptible: interrupting the calling thread destroys a child JVM
 * that is still starting and ends the call with an {@link IllegalStateException} whose cause
 * is the {@link InterruptedException}.
 *
 * <pre>{@code
 * StartupCost cost = StartupCost.measure(200, 3);
 * Display.show(cost.chart());
 * }</pre>
 *
 * @param threadSamples how many platform and virtual threads were timed, of each
 * @param jvmSamples how many child JVMs were timed
 * @param platformThreadMicros median microseconds to start and join one platform thread
 * @param virtualThreadMicros median microseconds to start and join one virtual thread
 * @param jvmMicros median microseconds to start a JVM and wait for it to exit
 */
public record StartupCost(int threadSamples, int jvmSamples, double platformThreadMicros,
                          double virtualThreadMicros, double jvmMicros) implements Displayable {

    /** Most threads of each kind one measurement may start. */
    public static final int MAX_THREAD_SAMPLES = 100_000;
    /** Most child JVMs one measurement may start, one after another. */
    public static final int MAX_JVM_SAMPLES = 20;

    private static final long JVM_TIMEOUT_SECONDS = 60;

    /**
     * Measures all three kinds of worker.
     *
     * @param threadSamples threads of each kind to time, 1 to {@value #MAX_THREAD_SAMPLES}
     * @param jvmSamples child JVMs to time, 1 to {@value #MAX_JVM_SAMPLES}
     * @throws IllegalArgumentException if a count is out of range, before anything starts
     * @throws IllegalStateException if a child JVM fails, or the calling thread is interrupted
     */
    public static StartupCost measure(int threadSamples, int jvmSamples) {
        if (threadSamples < 1 || threadSamples > MAX_THREAD_SAMPLES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "threadSamples must be between 1 and %,d (got %,d): use a few hundred for a stable median",
                    MAX_THREAD_SAMPLES, threadSamples));
        }
        if (jvmSamples < 1 || jvmSamples > MAX_JVM_SAMPLES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "jvmSamples must be between 1 and %d (got %,d): each one starts a whole JVM, so 3 to 5 is plenty",
                    MAX_JVM_SAMPLES, jvmSamples));
        }
        double platform = median(threads(Thread.ofPlatform(), threadSamples));
        double virtual = median(threads(Thread.ofVirtual(), threadSamples));
        double jvm = median(jvms(jvmSamples));
        return new StartupCost(threadSamples, jvmSamples, platform, virtual, jvm);
    }

    /** How many platform threads start in the time one JVM does. */
    public double threadsPerJvm() {
        return jvmMicros / platformThreadMicros;
    }

    /** The three medians as a bar chart on a logarithmic axis. */
    public JFreeChart chart() {
        Map<String, Double> bars = new LinkedHashMap<>();
        bars.put("virtual thread", virtualThreadMicros);
        bars.put("platform thread", platformThreadMicros);
        bars.put("child JVM (process)", jvmMicros);
        JFreeChart chart = Charts.bars("Starting one worker and waiting for it", "microseconds (log scale)", bars, true);
        return Charts.subtitle(chart, String.format(Locale.ROOT,
                "median of %d threads of each kind and %d JVM%s; one JVM start costs as much as %,.0f platform thread starts",
                threadSamples, jvmSamples, jvmSamples == 1 ? "" : "s", threadsPerJvm()));
    }

    /** The medians as a table: worker, samples, median microseconds. */
    public Table table() {
        return Table.create("Start-up cost",
                StringColumn.create("worker", List.of("virtual thread", "platform thread", "child JVM (process)")),
                IntColumn.create("samples", threadSamples, threadSamples, jvmSamples),
                DoubleColumn.create("median µs", round(virtualThreadMicros), round(platformThreadMicros), round(jvmMicros)));
    }

    @Override
    public Object toDisplay() {
        return chart();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "start-up cost (median): virtual thread %.1f µs, platform thread %.1f µs, child JVM %,.0f µs",
                virtualThreadMicros, platformThreadMicros, jvmMicros);
    }

    private static double[] threads(Thread.Builder builder, int samples) {
        AtomicInteger ran = new AtomicInteger();
        Runnable work = ran::incrementAndGet;
        startAndJoin(builder, work); // warm-up, not measured
        double[] micros = new double[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            startAndJoin(builder, work);
            micros[i] = (System.nanoTime() - start) / 1_000.0;
        }
        if (ran.get() != samples + 1) {
            throw new IllegalStateException("only " + ran.get() + " of " + (samples + 1) + " threads ran");
        }
        return micros;
    }

    private static void startAndJoin(Thread.Builder builder, Runnable work) {
        Thread thread = builder.start(work);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring thread start-up", e);
        }
    }

    private static double[] jvms(int samples) {
        runJvm(); // warm-up: the first start also pays for reading the JDK from disk
        double[] micros = new double[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            runJvm();
            micros[i] = (System.nanoTime() - start) / 1_000.0;
        }
        return micros;
    }

    private static void runJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start a child JVM with " + java + ": " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(JVM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a child JVM did not exit within " + JVM_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("a child JVM (" + java + " -version) exited with status " + process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring JVM start-up; the child JVM was stopped", e);
        } finally {
            destroyAndWait(process);
        }
    }

    /**
     * Kills a child that is still running and waits, uninterruptibly and for at most 5 s, until
     * it is gone: a kill signal is asynchronous, and returning earlier would leave it behind.
     */
    private static void destroyAndWait(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (process.isAlive() && System.nanoTime() < deadline) {
                try {
                    process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double round(double micros) {
        return Math.round(micros * 10) / 10.0;
    }
}
