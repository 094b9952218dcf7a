package concurrencylab.amdahl;

/**
 * The two laws of how far more workers take a program, as plain functions.
 *
 * <p>Amdahl's law fixes the work: a fraction {@code s} of one worker's time is serial (no other
 * worker can share it), the rest divides evenly among {@code n} workers, so the time on n
 * workers is {@code s + (1 - s) / n} of the time on one, and the speed-up is its inverse. However
 * many workers, it stays below {@code 1 / s}. Gustafson's law grows the work with the workers
 * instead: n workers do n times the parallel work in the time one worker does one share, so one
 * worker alone would need {@code s + (1 - s) n} times as long.
 *
 * <p>Neither law knows about CPUs: n workers on C CPUs run at best as C workers do. Neither
 * measures anything; {@link AmdahlSweep} measures.
 *
 * <pre>{@code
 * Amdahl.speedUp(0.1, 4);         // 3.08
 * Amdahl.limit(0.1);              // 10: no number of workers gets past it
 * Amdahl.scaledSpeedUp(0.1, 4);   // 3.7, Gustafson's view of the same 10 %
 * }</pre>
 */
public final class Amdahl {

    private Amdahl() {}

    /**
     * Amdahl's speed-up, {@code 1 / (s + (1 - s) / n)}.
     *
     * @param serialFraction the serial part of one worker's time, from 0 to 1
     * @param workers how many workers, at least 1 (a fraction is allowed, for drawing the curve)
     * @throws IllegalArgumentException if either is out of range
     */
    public static double speedUp(double serialFraction, double workers) {
        check(serialFraction, workers);
        return 1 / (serialFraction + (1 - serialFraction) / workers);
    }

    /**
     * Gustafson's scaled speed-up, {@code s + (1 - s) n}: how many times longer one worker
     * would take to do what n workers did, when each of them did one share of parallel work.
     *
     * @throws IllegalArgumentException if either is out of range
     */
    public static double scaledSpeedUp(double serialFraction, double workers) {
        check(serialFraction, workers);
        return serialFraction + (1 - serialFraction) * workers;
    }

    /**
     * Amdahl's ceiling, {@code 1 / s}: the speed-up no number of workers reaches (infinite for
     * {@code s = 0}).
     *
     * @throws IllegalArgumentException if the fraction is outside 0 to 1
     */
    public static double limit(double serialFraction) {
        check(serialFraction, 1);
        return 1 / serialFraction;
    }

    /**
     * The serial fraction a measured speed-up implies on n workers (the Karp-Flatt metric):
     * {@code (1 / S - 1 / n) / (1 - 1 / n)}. It is the s for which Amdahl's law predicts the
     * speed-up seen, so a fraction that grows with n says that something besides the measured
     * serial part holds the run back (the CPUs, contention).
     *
     * @throws IllegalArgumentException if workers is below 2 or the speed-up is not positive
     */
    public static double impliedSerialFraction(double speedUp, double workers) {
        if (!(workers >= 2) || !(speedUp > 0)) {
            throw new IllegalArgumentException("the implied serial fraction needs at least 2 workers and a positive"
                    + " speed-up (got " + workers + " workers, speed-up " + speedUp + ")");
        }
        return (1 / speedUp - 1 / workers) / (1 - 1 / workers);
    }

    private static void check(double serialFraction, double workers) {
        if (!(serialFraction >= 0 && serialFraction <= 1)) {
            throw new IllegalArgumentException("the serial fraction must be between 0 and 1 (got " + serialFraction
                    + "): it is the share of one worker's time that no other worker can take over, e.g. 0.1");
        }
        if (!(workers >= 1)) {
            throw new IllegalArgumentException("workers must be at least 1 (got " + workers + ")");
        }
    }
}
