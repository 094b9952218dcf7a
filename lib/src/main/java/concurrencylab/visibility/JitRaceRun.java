package concurrencylab.visibility;

import concurrencylab.display.Displayable;
import java.util.List;
import java.util.Locale;

/**
 * One {@link JitRace}: how the loop was written and run, when the reader started, when the flag
 * was written, when the reader ended (or was halted), whether it saw the write, and each time the
 * JIT compiled the loop. Times are milliseconds since the child JVM started.
 *
 * <p>{@code Display.show(run)} draws its timeline; {@code toString()} is one line.
 *
 * @param loop how the reader's loop was written
 * @param jit which engines could run it
 * @param startMillis when the reader began to spin
 * @param wroteMillis when the main thread set the flag
 * @param endedMillis when the reader stopped (the deadline loop: at its deadline), or the child halted it
 * @param sawWrite true if the reader left its loop because it saw the flag set
 * @param spins how many times the loop went round, or -1 when the child was halted mid-loop
 * @param compiles the loop's compilations, in order
 */
public record JitRaceRun(JitRace.Loop loop, JitRace.Jit jit, long startMillis, long wroteMillis, long endedMillis,
                         boolean sawWrite, long spins, List<JitRace.Compile> compiles) implements Displayable {

    /** Copies the list. */
    public JitRaceRun {
        compiles = List.copyOf(compiles);
    }

    /**
     * When C2 (tier 4) first compiled the running loop (an on-stack replacement), in ms since the
     * JVM started, or -1 if it never did.
     */
    public long c2Millis() {
        return compiles.stream().filter(c -> c.tier() == 4 && c.osr()).mapToLong(JitRace.Compile::millis).findFirst().orElse(-1);
    }

    /** True if C2 compiled the loop before the flag was written. */
    public boolean compiledBeforeWrite() {
        long c2 = c2Millis();
        return c2 >= 0 && c2 <= wroteMillis;
    }

    /** What happened, in a phrase: "saw the write 0 ms after it" or "never saw the write (halted 1,000 ms after it)". */
    public String outcome() {
        long after = endedMillis - wroteMillis;
        return sawWrite ? String.format(Locale.ROOT, "saw the write %,d ms after it", after)
                : loop == JitRace.Loop.DEADLINE ? String.format(Locale.ROOT, "never saw the write (its deadline ended it %,d ms after it)", after)
                : String.format(Locale.ROOT, "never saw the write (halted %,d ms after it)", after);
    }

    @Override
    public String toString() {
        long c2 = c2Millis();
        return loop + ", " + jit + ": " + outcome() + "; written at " + wroteMillis + " ms, "
                + (c2 < 0 ? "C2 never compiled the loop" : "C2 compiled the loop at " + c2 + " ms");
    }

    @Override
    public Object toDisplay() {
        return JitRace.chart(List.of(this));
    }
}
