package concurrencylab.check;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One run of a learner's answer made by {@link Check}: what it returned or threw, whether it
 * finished within its limit, how long it took, and the threads and processes it started that
 * were still alive after it returned.
 *
 * <p>An attempt is fine ({@link #fine()}) when the code returned within the limit, threw
 * nothing and left nothing running; otherwise {@link #problem()} says, in one phrase, what went
 * wrong, ready to put after "Not yet: ".
 *
 * @param value what the code returned, or null if it threw or did not finish
 * @param failure what the code threw, or null
 * @param timedOut true if the code had not returned when its limit passed (it was then interrupted)
 * @param elapsed wall time until it returned, or the limit if it did not
 * @param threadsLeft names of non-daemon platform threads it started that were still alive afterwards
 * @param processesLeft descriptions ("pid 123: java ...") of child processes it started that were still alive
 * @param <T> the type of the value
 */
public record Attempt<T>(T value, Throwable failure, boolean timedOut, Duration elapsed,
                         List<String> threadsLeft, List<String> processesLeft) {

    public Attempt {
        Objects.requireNonNull(elapsed, "elapsed");
        threadsLeft = List.copyOf(threadsLeft);
        processesLeft = List.copyOf(processesLeft);
    }

    /** True if the code returned within its limit without throwing (it may have left something running). */
    public boolean completed() {
        return !timedOut && failure == null;
    }

    /** True if the code returned within its limit, threw nothing and left no thread or process running. */
    public boolean fine() {
        return completed() && threadsLeft.isEmpty() && processesLeft.isEmpty();
    }

    /**
     * What went wrong, as a phrase ("did not finish within 5 s", "threw IllegalStateException:
     * ...", "left 2 threads running: pool-1-thread-1, pool-1-thread-2"), or null when the attempt
     * is {@link #fine()}.
     */
    public String problem() {
        if (timedOut) {
            return "did not finish within " + seconds(elapsed) + " (is something waiting for a signal that never comes?)";
        }
        if (failure != null) {
            String message = failure.getMessage();
            return "threw " + failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        if (!threadsLeft.isEmpty()) {
            return "left " + plural(threadsLeft.size(), "thread") + " running after it returned ("
                    + String.join(", ", threadsLeft) + "): shut the executor down, or join the threads";
        }
        if (!processesLeft.isEmpty()) {
            return "left " + plural(processesLeft.size(), "process", "processes") + " running after it returned ("
                    + String.join("; ", processesLeft) + "): wait for each child, or destroy it";
        }
        return null;
    }

    @Override
    public String toString() {
        String what = problem();
        return what != null ? "attempt: " + what : "attempt: returned " + value + " in " + seconds(elapsed);
    }

    static String seconds(Duration d) {
        double s = d.toNanos() / 1e9;
        return s < 10 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.0f s", s);
    }

    private static String plural(int n, String one) {
        return plural(n, one, one + "s");
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
