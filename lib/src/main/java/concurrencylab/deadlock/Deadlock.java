package concurrencylab.deadlock;

import concurrencylab.display.Displayable;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A deadlock that {@link Deadlocks} found: the cycle of threads, each holding a lock the previous
 * one waits for, and the part of a thread dump that shows it. Displayed, it draws its wait-for
 * graph; {@link #dump()} is the dump excerpt, {@link #table()} the same facts as a table.
 *
 * <p>Contract: the cycle is in order: each waiter waits for a lock held by the next, and the last
 * waits for one held by the first. The result is a snapshot taken when the deadlock was found; it
 * holds names and text only, no reference to a thread or a lock.
 *
 * <pre>{@code
 * Deadlock found = Deadlocks.await(List.of(t1, t2), Map.of(), Duration.ofSeconds(2)).orElseThrow();
 * Display.show(found);                  // the wait-for graph
 * System.out.println(found.dump());     // as jcmd <pid> Thread.print shows those threads
 * }</pre>
 *
 * @param cycle the threads in the cycle, in order
 * @param dump the thread-dump excerpt: the deadlock summary and each thread's full stack with its locks
 * @param foundAfterMillis how long the search watched before it found the cycle
 */
public record Deadlock(List<Waiter> cycle, String dump, double foundAfterMillis) implements Displayable {

    /**
     * One thread of the cycle.
     *
     * @param thread its name
     * @param threadId its id
     * @param state its state when found (BLOCKED on a monitor; WAITING or TIMED_WAITING when parked on a lock)
     * @param holds the locks it holds, by name
     * @param waitsFor the lock it waits for, by name
     * @param heldBy the thread that holds that lock (the next in the cycle)
     * @param monitor true when it waits to enter a {@code synchronized} block: such a wait cannot be ended from outside
     */
    public record Waiter(String thread, long threadId, Thread.State state, List<String> holds, String waitsFor,
                         String heldBy, boolean monitor) {

        public Waiter {
            holds = List.copyOf(holds);
        }

        /** True when the wait has a time limit (a {@code tryLock(time, unit)}): it may yet end by itself. */
        public boolean timed() {
            return state == Thread.State.TIMED_WAITING;
        }

        /** "transfer-1 holds Alex's lock and waits for Sam's lock, held by transfer-2". */
        public String sentence() {
            return thread + (holds.isEmpty() ? " holds nothing" : " holds " + String.join(" and ", holds))
                    + " and waits for " + waitsFor + ", held by " + heldBy;
        }
    }

    public Deadlock {
        cycle = List.copyOf(cycle);
        Objects.requireNonNull(dump, "dump");
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("a deadlock has at least one thread");
        }
    }

    /** The names of the threads in the cycle, in order. */
    public List<String> threadNames() {
        return cycle.stream().map(Waiter::thread).toList();
    }

    /** True if a thread of the cycle waits to enter a {@code synchronized} block: then no interrupt can free it. */
    public boolean onMonitors() {
        return cycle.stream().anyMatch(Waiter::monitor);
    }

    /** True if every wait in the cycle is without a time limit: it will never end by itself. */
    public boolean permanent() {
        return cycle.stream().noneMatch(Waiter::timed);
    }

    /** The cycle as one sentence a check can quote: "transfer-1 holds A and waits for B, held by transfer-2; ...". */
    public String cycleSentence() {
        return String.join("; ", cycle.stream().map(Waiter::sentence).toList());
    }

    /** The wait-for graph, drawn: threads and locks as nodes, "waits for" and "held by" edges, the cycle in red. */
    public BufferedImage graph() {
        return WaitForGraph.draw(this);
    }

    /** One row per thread of the cycle: what it holds, what it waits for, who holds that. */
    public Table table() {
        return Table.create("Deadlock of " + cycle.size() + " threads",
                StringColumn.create("thread", cycle.stream().map(Waiter::thread).toList()),
                StringColumn.create("state", cycle.stream().map(w -> w.monitor() ? "BLOCKED (synchronized)"
                        : w.state() + " (parked)").toList()),
                StringColumn.create("holds", cycle.stream().map(w -> String.join(", ", w.holds())).toList()),
                StringColumn.create("waits for", cycle.stream().map(Waiter::waitsFor).toList()),
                StringColumn.create("which is held by", cycle.stream().map(Waiter::heldBy).toList()));
    }

    @Override
    public Object toDisplay() {
        return graph();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "deadlock of %d thread%s, found after %.0f ms: %s", cycle.size(),
                cycle.size() == 1 ? "" : "s", foundAfterMillis, cycleSentence());
    }
}
