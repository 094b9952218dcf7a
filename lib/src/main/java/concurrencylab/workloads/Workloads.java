package concurrencylab.workloads;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The work the lessons time.
 *
 * <h2>Why not just {@code for (i = 0; i < n; i++) counter++}?</h2>
 * The JIT compiler sees that such a loop only adds 1 to {@code counter} n times, replaces it
 * with {@code counter += n}, and, if the result is never used, deletes it: the "work" then takes
 * no time at all and every measurement lies. {@link #naiveCount(long)} is that loop, kept for
 * the lesson that shows the trap. {@link #count(long)} is the honest version: every increment
 * is compared with a value the compiler cannot know (a field that is never equal), so the loop
 * must run all its iterations. The JIT still keeps the counter in the loop's index register and
 * unrolls the loop, so an iteration costs a compare and a branch: on a 2.6 GHz server core about
 * 0.13 ns, several increments per clock cycle, and the time grows in proportion to
 * {@code maxCount}. Its result is returned, and the runners check that it equals
 * {@code maxCount}.
 *
 * <p>{@code count} works in chunks of {@value #CHUNK} increments (well under a millisecond);
 * after each it calls a {@link Checkpoint}, where runners publish progress and notice
 * interrupts, so an interrupted count stops within a millisecond or so.
 *
 * <pre>{@code
 * long n = Workloads.count(100_000_000);     // n == 100_000_000, after ~0.05 s
 * }</pre>
 */
public final class Workloads {

    /** Increments between two checkpoints. */
    public static final int CHUNK = 1 << 20;

    /**
     * Never equal to a count: the loop compares every increment with it. It is not final, so
     * the compiler must assume it could be anything and cannot drop the comparison.
     */
    private static long trap = Long.MIN_VALUE;

    /** Where a count that met {@link #trap} would leave its value; never written in practice. */
    private static volatile long escaped;

    private Workloads() {}

    /**
     * Increments a counter {@code maxCount} times and returns it, stopping early (with a
     * {@link CancellationException}) if the current thread is interrupted.
     *
     * @param maxCount how many increments, at least 1
     * @return the counter, which equals {@code maxCount}
     * @throws IllegalArgumentException if maxCount is below 1
     * @throws CancellationException if the thread is interrupted; its interrupt flag stays set
     */
    public static long count(long maxCount) {
        return count(maxCount, Checkpoint.interruptible());
    }

    /**
     * Increments a counter {@code maxCount} times, calling {@code checkpoint} after every chunk
     * of {@value #CHUNK} increments and at the end, and returns the counter.
     *
     * @param maxCount how many increments, at least 1
     * @param checkpoint called with the count so far; may throw to stop the work
     * @return the counter, which equals {@code maxCount}
     * @throws IllegalArgumentException if maxCount is below 1
     */
    public static long count(long maxCount, Checkpoint checkpoint) {
        requireCount(maxCount);
        Objects.requireNonNull(checkpoint, "checkpoint");
        long counter = 0;
        long remaining = maxCount;
        while (remaining > 0) {
            int chunk = (int) Math.min(CHUNK, remaining);
            counter = countChunk(counter, chunk);
            remaining -= chunk;
            checkpoint.reached(counter);
        }
        return counter;
    }

    private static long countChunk(long counter, int increments) {
        long never = trap;
        for (int i = 0; i < increments; i++) {
            counter++;
            if (counter == never) {
                escaped = counter;
            }
        }
        return counter;
    }

    /**
     * The loop a first attempt would write: {@code counter++}, {@code maxCount} times. The JIT
     * may turn it into {@code counter = maxCount} once it is compiled, so it proves nothing
     * about speed. Kept to show that trap; use {@link #count(long)} to measure.
     */
    public static long naiveCount(long maxCount) {
        requireCount(maxCount);
        long counter = 0;
        for (long i = 0; i < maxCount; i++) {
            counter++;
        }
        return counter;
    }

    /**
     * Sleeps, as a stand-in for waiting on a disk, a network or a person.
     *
     * @param duration how long, from 0 to one hour
     * @throws IllegalArgumentException if duration is negative or longer than an hour
     * @throws CancellationException if the thread is interrupted; its interrupt flag stays set
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("sleep must be between 0 and 1 hour (got " + duration + ")");
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException(Thread.currentThread().getName() + " was interrupted while sleeping");
        }
    }

    static void requireCount(long maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "maxCount must be at least 1 (got %,d): it is how many times to add 1, e.g. 100_000_000",
                    maxCount));
        }
    }
}
