package concurrencylab.deadlock;

import concurrencylab.display.Displayable;
import concurrencylab.display.Html;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one {@link DeadlockDemo} run did: how many transfers each thread completed, how often the
 * tryLock ways retried, the deadlock it found (if any), and how its threads ended. Displayed, it
 * draws the deadlock's wait-for graph, or, when there was none, a line saying what happened.
 *
 * @param way how each transfer took its locks
 * @param inStep true when the threads were kept in step at every retry
 * @param threads how many threads (and accounts)
 * @param transfersEach how many transfers each thread was asked to make
 * @param completed the transfers each thread completed
 * @param retries how often a tryLock failed and its thread backed off
 * @param deadlockOrNull the deadlock found, or null
 * @param jcmdOrNull the real jcmd dump of the deadlocked threads, or null (not asked for, or no jcmd here)
 * @param watchedMillis how long the run was watched, from the start to a deadlock, the end, or giving up
 * @param finished true when every thread ended by itself, its transfers done
 * @param stopMillis how long it took to end the threads that had not finished (0 when all had)
 * @param threadsLeft threads still alive after the run (always empty for the lab's own demo)
 * @param balancesRight true when every balance matches the transfers completed, and every lock is free
 */
public record TransferRun(DeadlockDemo.Way way, boolean inStep, int threads, int transfersEach, long[] completed,
                          long retries, Deadlock deadlockOrNull, String jcmdOrNull, double watchedMillis,
                          boolean finished, double stopMillis, List<String> threadsLeft, boolean balancesRight)
        implements Displayable {

    public TransferRun {
        completed = completed.clone();
        threadsLeft = List.copyOf(threadsLeft);
    }

    /** The deadlock the run found, if it found one. */
    public Optional<Deadlock> deadlock() {
        return Optional.ofNullable(deadlockOrNull);
    }

    /** The real {@code jcmd <pid> Thread.print} output for the deadlocked threads, if it was taken. */
    public Optional<String> jcmd() {
        return Optional.ofNullable(jcmdOrNull);
    }

    /** The transfers completed, all threads together. */
    public long completedTransfers() {
        return Arrays.stream(completed).sum();
    }

    /** The transfers asked for, all threads together. */
    public long askedTransfers() {
        return (long) transfersEach * threads;
    }

    /** The way and the schedule, as a chart's label ("fixed back-off, in step"). */
    public String label() {
        return way.label() + (inStep ? ", in step" : "");
    }

    /** How the run ended, in a phrase. */
    public String ending() {
        if (finished) {
            return "every transfer done";
        }
        String why = deadlockOrNull != null ? "deadlocked" : String.format(Locale.ROOT, "still at it after %.0f ms", watchedMillis);
        return String.format(Locale.ROOT, "%s; we interrupted the threads and %s within %.0f ms", why,
                threadsLeft.isEmpty() ? "all ended" : threadsLeft.size() + " did not end", stopMillis);
    }

    @Override
    public Object toDisplay() {
        if (deadlockOrNull != null) {
            return deadlockOrNull.graph();
        }
        return Html.of("<p><b>" + Html.escape(label()) + "</b>: " + Html.escape(summaryWithoutLabel()) + "</p>");
    }

    private String summaryWithoutLabel() {
        return String.format(Locale.ROOT, "%d threads, %,d of %,d transfers done, %,d retries, %s; balances %s",
                threads, completedTransfers(), askedTransfers(), retries, ending(), balancesRight ? "right" : "WRONG");
    }

    @Override
    public String toString() {
        return label() + ": " + summaryWithoutLabel();
    }
}
