package concurrencylab.visibility;

import concurrencylab.display.Displayable;
import concurrencylab.display.Html;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How often each outcome of a two-thread race was seen, in the form of OpenJDK's jcstress: each
 * outcome with its count, what the Java Memory Model says of it, and what it means.
 *
 * <p>Contract: the counts are those a {@link Racer} recorded, one outcome a round, and add up to
 * {@link #rounds()}. A count of zero says only that this run did not see the outcome here, never
 * that it cannot happen: {@link Expect} says what the language allows.
 *
 * <p>{@code toString()} is one line; {@code Display.show(outcomes)} draws the table, and
 * {@link #table(List)} puts several runs in one.
 *
 * <pre>{@code
 * Outcomes seen = Racer.storeBuffering(Racer.Fields.PLAIN, 10_000_000, Duration.ofSeconds(5));
 * seen.count("0, 0")   // rounds in which each thread missed the other's write
 * }</pre>
 *
 * @param test what was raced ("publication", "store buffering")
 * @param variant how its fields were declared ("plain fields", "volatile")
 * @param outcomes each outcome and its count, in the test's order
 * @param rounds how many rounds ran (the sum of the counts)
 * @param elapsed how long the rounds took
 * @param cpus the CPUs this JVM had while it ran
 * @param stopped why it ran fewer rounds than asked ("the time limit", "an interrupt"), or null
 */
public record Outcomes(String test, String variant, List<Outcome> outcomes, long rounds, Duration elapsed, int cpus,
                       String stopped) implements Displayable {

    /** What the Java Memory Model says of an outcome, in jcstress's words. */
    public enum Expect {
        /** Allowed, and unremarkable: some interleaving of the two threads gives it. */
        ACCEPTABLE,
        /** Allowed by the Java Memory Model for this code, yet no interleaving gives it: a reordering was seen. */
        ACCEPTABLE_INTERESTING,
        /** Forbidden for this code: seeing it would be a bug in the JVM or the hardware. */
        FORBIDDEN
    }

    /**
     * One outcome: its name (the values the threads read, as jcstress writes them), its count, and
     * what it means.
     *
     * @param name the values read, e.g. "0, 0"
     * @param expect what the Java Memory Model says of it
     * @param meaning one phrase, e.g. "each thread missed the other's write"
     * @param count how many rounds ended with it
     */
    public record Outcome(String name, Expect expect, String meaning, long count) {
        /** Rejects a negative count. */
        public Outcome {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expect, "expect");
            Objects.requireNonNull(meaning, "meaning");
            if (count < 0) {
                throw new IllegalArgumentException("a count cannot be negative (" + name + ": " + count + ")");
            }
        }
    }

    /**
     * Rejects counts that do not add up to the rounds.
     *
     * @throws IllegalStateException if they do not: a round went uncounted, or was counted twice
     */
    public Outcomes {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(variant, "variant");
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(elapsed, "elapsed");
        long sum = outcomes.stream().mapToLong(Outcome::count).sum();
        if (sum != rounds) {
            throw new IllegalStateException("the outcomes add up to " + sum + ", not to the " + rounds + " rounds run");
        }
    }

    /**
     * How many rounds ended with the named outcome.
     *
     * @throws IllegalArgumentException if the test has no such outcome
     */
    public long count(String name) {
        return outcomes.stream().filter(o -> o.name().equals(name)).mapToLong(Outcome::count).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(test + " has no outcome \"" + name + "\"; it has "
                        + outcomes.stream().map(Outcome::name).toList()));
    }

    /** Rounds that ended in an outcome marked {@link Expect#ACCEPTABLE_INTERESTING}: reorderings seen. */
    public long interesting() {
        return total(Expect.ACCEPTABLE_INTERESTING);
    }

    /** Rounds that ended in an outcome marked {@link Expect#FORBIDDEN}; anything but zero is a bug below Java. */
    public long forbidden() {
        return total(Expect.FORBIDDEN);
    }

    private long total(Expect expect) {
        return outcomes.stream().filter(o -> o.expect() == expect).mapToLong(Outcome::count).sum();
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(test + " (" + variant + "): ");
        List<String> parts = new ArrayList<>();
        for (Outcome o : outcomes) {
            parts.add(String.format(Locale.ROOT, "[%s] %,d", o.name(), o.count()));
        }
        line.append(String.join(", ", parts));
        line.append(String.format(Locale.ROOT, " in %,d rounds, %s, %d CPU%s", rounds, seconds(elapsed), cpus,
                cpus == 1 ? "" : "s"));
        if (stopped != null) {
            line.append(" (stopped early by ").append(stopped).append(")");
        }
        return line.toString();
    }

    @Override
    public Object toDisplay() {
        return table(List.of(this));
    }

    /**
     * Several runs in one table, jcstress-style: a row per outcome, with its count, what the Java
     * Memory Model says of it and what it means; an outcome marked interesting or forbidden that
     * was seen is shown in bold.
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public static Html table(List<Outcomes> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("Outcomes.table needs at least one run");
        }
        StringBuilder html = new StringBuilder("<table><thead><tr><th>test</th><th>observed</th>"
                + "<th style=\"text-align:right\">occurrences</th><th>expectation</th><th>interpretation</th></tr></thead><tbody>");
        for (Outcomes run : runs) {
            boolean first = true;
            for (Outcome o : run.outcomes()) {
                boolean notable = o.count() > 0 && o.expect() != Expect.ACCEPTABLE;
                html.append("<tr>");
                if (first) {
                    html.append("<td rowspan=\"").append(run.outcomes().size()).append("\">")
                            .append(Html.escape(run.test() + " (" + run.variant() + ")")).append("<br><small>")
                            .append(Html.escape(String.format(Locale.ROOT, "%,d rounds, %s, %d CPU%s%s", run.rounds(),
                                    seconds(run.elapsed()), run.cpus(), run.cpus() == 1 ? "" : "s",
                                    run.stopped() == null ? "" : "; stopped by " + run.stopped())))
                            .append("</small></td>");
                    first = false;
                }
                String count = String.format(Locale.ROOT, "%,d", o.count());
                html.append("<td>[").append(Html.escape(o.name())).append("]</td><td style=\"text-align:right\">")
                        .append(notable ? "<b>" + count + "</b>" : count).append("</td><td>").append(o.expect())
                        .append("</td><td>").append(Html.escape(o.meaning())).append("</td></tr>");
            }
        }
        html.append("</tbody></table>");
        return new Html(html.toString(), runs.size() == 1 ? runs.get(0).toString() : runs.size() + " races: "
                + String.join("; ", runs.stream().map(Outcomes::toString).toList()));
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
