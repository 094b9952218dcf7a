package concurrencylab.sharing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run of {@link Counters#run}: {@code threads} threads each added 1 {@code incrementsPerThread}
 * times with one {@link CounterKind}; what the total came to, and how long it took.
 *
 * <pre>{@code
 * CounterRun run = Counters.run(CounterKind.RACY, 2, 10_000_000);
 * run.lostFraction();          // 0 to 1; often 0.3 or more on two CPUs
 * run.incrementsPerSecond();   // all threads together
 * }</pre>
 *
 * @param kind how the threads added
 * @param threads how many threads added at once
 * @param incrementsPerThread how many times each added 1
 * @param total the total after every thread ended
 * @param nanos wall time from the start signal to the last thread's end
 * @param firstCall true if this was the JVM's first run of this kind here (timed before the JIT compiled it)
 */
public record CounterRun(CounterKind kind, int threads, long incrementsPerThread, long total, long nanos,
                         boolean firstCall) {

    /** What the total should be: threads x increments. */
    public long expected() {
        return threads * incrementsPerThread;
    }

    /** Increments lost: expected minus total (0 for every exact kind). */
    public long lost() {
        return expected() - total;
    }

    /** {@link #lost()} as a fraction of {@link #expected()}, 0 to 1. */
    public double lostFraction() {
        return (double) lost() / expected();
    }

    /** Increments made per second by all threads together (counting the lost ones: each was still a read and a write). */
    public double incrementsPerSecond() {
        return expected() * 1e9 / Math.max(1, nanos);
    }

    /** Wall time per increment, in nanoseconds, all threads together. */
    public double nanosPerIncrement() {
        return (double) nanos / expected();
    }

    /** The run as JSON-ready values, as the command line and the reference file write them. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", kind.name());
        json.put("threads", threads);
        json.put("incrementsPerThread", incrementsPerThread);
        json.put("expected", expected());
        json.put("total", total);
        json.put("lost", lost());
        json.put("lostFraction", lostFraction());
        json.put("nanos", nanos);
        json.put("incrementsPerSecond", incrementsPerSecond());
        json.put("firstCall", firstCall);
        return json;
    }

    @Override
    public String toString() {
        String outcome = lost() == 0 ? "exact" : String.format(Locale.ROOT, "lost %,d (%.1f%%)", lost(), 100 * lostFraction());
        return String.format(Locale.ROOT, "%s, %d thread%s x %,d: total %,d of %,d, %s, in %,.1f ms (%,.0f million increments/s)%s",
                kind.label(), threads, threads == 1 ? "" : "s", incrementsPerThread, total, expected(), outcome,
                nanos / 1e6, incrementsPerSecond() / 1e6, firstCall ? ", first call" : "");
    }
}
