package concurrencylab.visibility;

import concurrencylab.chart.Bar;
import concurrencylab.chart.Charts;
import concurrencylab.runners.ChildJvms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs lesson 10's race in a fresh child JVM and reports when the JIT compiled the reader's loop:
 * a reader spins on a flag, the main thread sets it after a pause, and
 * {@code -XX:+PrintCompilation} says when the loop was compiled, and by which tier.
 *
 * <p>A fresh JVM is what makes the result repeatable: in the kernel the loop may already be
 * compiled, or its compiler busy with our cells. With {@link Jit#INTERPRETER} ({@code -Xint})
 * nothing is compiled; with {@link Jit#TIERED}, the JVM's default, the loop is compiled while it
 * spins (an on-stack replacement, marked {@code %}), first by C1 (tiers 1-3), then by C2 (tier 4).
 *
 * <p>Contract: one child JVM per run, started with {@link ChildJvms#command} and a 64 MB heap. The
 * child gives up {@code giveUp} after the write: a reader still spinning then cannot be stopped, so
 * the child halts itself and the run says the reader never saw the write. The call returns when
 * the child has ended; interrupting the calling thread kills it at once and throws
 * {@link java.util.concurrent.CancellationException}.
 *
 * <p>What it does not do: show the machine code (that needs the hsdis plug-in, which the JDK does
 * not ship); it shows when the loop changed tier, and whether the reader saw the write.
 *
 * <pre>{@code
 * JitRaceRun run = JitRace.run(JitRace.Loop.PLAIN, JitRace.Jit.TIERED, Duration.ofMillis(300), Duration.ofSeconds(1));
 * run.sawWrite()     // false on JDK 25 here: C2 compiled the loop before the write
 * }</pre>
 */
public final class JitRace {

    /** How the reader's loop is written. */
    public enum Loop {
        /** {@code while (!flag.started && spins < MAX) spins++;} on a plain field. */
        PLAIN("plain field"),
        /** The same, bounded by {@code System.nanoTime() < deadline} instead of a spin count. */
        DEADLINE("plain field, deadline check"),
        /** The same, stopping on {@code Thread.currentThread().isInterrupted()}. */
        INTERRUPT_CHECK("plain field, interrupt check"),
        /** A worker's stop flag: the loop computes something until a plain field says stop. */
        WORK("plain stop flag, loop does work"),
        /** {@code while (!flag.started ...)} on a volatile field. */
        VOLATILE("volatile field");

        private final String label;

        Loop(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Which of HotSpot's execution engines run the loop. */
    public enum Jit {
        /** {@code -Xint}: the interpreter only, which reads the field on every spin. */
        INTERPRETER("-Xint", "interpreter only"),
        /** The default: interpreted, then compiled by C1, then by C2. */
        TIERED(null, "JIT (default)");

        private final String flag;
        private final String label;

        Jit(String flag, String label) {
            this.flag = flag;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * One compilation of the reader's loop, as {@code -XX:+PrintCompilation} printed it.
     *
     * @param millis when, in milliseconds since the child JVM started
     * @param tier 1 to 3: C1; 4: C2
     * @param osr true for an on-stack replacement: the running loop switched to compiled code
     */
    public record Compile(long millis, int tier, boolean osr) {}

    private JitRace() {}

    /**
     * Runs one race in a child JVM.
     *
     * @param writeAfter how long the main thread waits before it sets the flag
     * @param giveUp how long after the write the child waits for the reader before it halts
     * @throws IllegalArgumentException if writeAfter is not between 0 and 10 s, or giveUp not
     *     between 100 ms and 30 s
     * @throws IllegalStateException if the child fails to start or ends in an unexpected way
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public static JitRaceRun run(Loop loop, Jit jit, Duration writeAfter, Duration giveUp) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(jit, "jit");
        if (writeAfter.isNegative() || writeAfter.toMillis() > 10_000) {
            throw new IllegalArgumentException("writeAfter must be between 0 and 10 s (got " + writeAfter + ")");
        }
        if (giveUp.toMillis() < 100 || giveUp.toMillis() > 30_000) {
            throw new IllegalArgumentException("giveUp must be between 100 ms and 30 s (got " + giveUp + ")");
        }
        List<String> options = new ArrayList<>();
        if (jit.flag != null) {
            options.add(jit.flag);
        }
        options.add("-XX:+PrintCompilation");
        List<String> command = ChildJvms.command(64, JitRaceMain.class, options);
        command.addAll(List.of(loop.name(), Long.toString(writeAfter.toMillis()), Long.toString(giveUp.toMillis()),
                Long.toString(ProcessHandle.current().pid())));
        String out = ChildJvms.outputOf(command, "the race's child JVM");
        return parse(loop, jit, out);
    }

    /**
     * Runs each loop under each JIT setting, one child JVM after another.
     *
     * @throws IllegalArgumentException as {@link #run}, or if either list is empty
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public static JitRaces runAll(List<Loop> loops, List<Jit> jits, Duration writeAfter, Duration giveUp) {
        if (loops.isEmpty() || jits.isEmpty()) {
            throw new IllegalArgumentException("runAll needs at least one loop and one JIT setting");
        }
        List<JitRaceRun> runs = new ArrayList<>();
        for (Loop loop : loops) {
            for (Jit jit : jits) {
                runs.add(run(loop, jit, writeAfter, giveUp));
            }
        }
        return new JitRaces(runs);
    }

    // "   43   48 %     4       concurrencylab.visibility.JitRaceMain::spinPlain @ 2 (24 bytes)"
    private static final Pattern COMPILE = Pattern.compile(
            "^\\s*(\\d+)\\s+\\d+\\s+([%sbn! ]*?)\\s*([0-4])\\s+(\\S+)::(\\w+)(.*)$");

    // The child's own events; the JIT's output shares standard output and may cut into a line.
    private static final Pattern EVENT = Pattern.compile("@race (start|wrote|ended|halted) (\\d+)(?: (true|false) (-?\\d+))?");

    static JitRaceRun parse(Loop loop, Jit jit, String out) {
        String method = methodOf(loop);
        long start = -1;
        long wrote = -1;
        long ended = -1;
        boolean saw = false;
        long spins = -1;
        List<Compile> compiles = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher event = EVENT.matcher(line);
            if (event.find()) {
                long at = Long.parseLong(event.group(2));
                switch (event.group(1)) {
                    case "start" -> start = at;
                    case "wrote" -> wrote = at;
                    case "ended" -> {
                        ended = at;
                        saw = Boolean.parseBoolean(event.group(3));
                        spins = Long.parseLong(event.group(4));
                    }
                    default -> ended = at;   // halted
                }
                continue;
            }
            Matcher m = COMPILE.matcher(line);
            if (m.matches() && m.group(4).endsWith("JitRaceMain") && m.group(5).equals(method)
                    && !m.group(6).contains("made not entrant") && !m.group(6).contains("made zombie")) {
                compiles.add(new Compile(Long.parseLong(m.group(1)), Integer.parseInt(m.group(3)), m.group(2).contains("%")));
            }
        }
        if (start < 0 || wrote < 0 || ended < 0) {
            throw new IllegalStateException("the race's child JVM did not report its start, write and end: " + out.strip());
        }
        return new JitRaceRun(loop, jit, start, wrote, ended, saw, spins, compiles);
    }

    static String methodOf(Loop loop) {
        return switch (loop) {
            case PLAIN -> "spinPlain";
            case DEADLINE -> "spinDeadline";
            case INTERRUPT_CHECK -> "spinInterruptCheck";
            case WORK -> "spinWork";
            case VOLATILE -> "spinVolatile";
        };
    }

    /** The timeline of runs: a row each, coloured by how the loop ran, and the write marked. */
    static org.jfree.chart.JFreeChart chart(List<JitRaceRun> runs) {
        List<Bar> bars = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        double span = runs.stream().mapToLong(JitRaceRun::endedMillis).max().orElse(1);
        int row = 0;
        for (JitRaceRun run : runs) {
            row++;
            rows.add(run.loop() + ", " + run.jit());
            long from = run.startMillis();
            int tier = 0;
            for (Compile c : run.compiles()) {
                // Only an on-stack replacement changes how the running loop runs; tiers only go up: interpreted, C1, C2.
                if (!c.osr() || tier == 4 || (tier > 0 && c.tier() < 4)) {
                    continue;
                }
                long at = Math.max(from, Math.min(c.millis(), run.endedMillis()));
                if (at > from) {
                    bars.add(new Bar(row, from, at, label(tier)));
                }
                from = at;
                tier = c.tier();
            }
            bars.add(new Bar(row, from, run.endedMillis(), label(tier)));
            bars.add(new Bar(row, run.wroteMillis(), run.wroteMillis() + Math.max(4, span / 90), "the write"));
        }
        return Charts.subtitle(Charts.timeline("The reader's loop: how it ran, and when the flag was set", rows, bars),
                "each row a fresh JVM; a row that runs on past the write is a reader that never saw it (the JVM halted it)");
    }

    private static String label(int tier) {
        return tier == 0 ? "spinning, interpreted" : tier == 4 ? "spinning, compiled by C2" : "spinning, compiled by C1";
    }
}
