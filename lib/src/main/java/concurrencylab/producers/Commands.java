package concurrencylab.producers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a producer's commands come from: the keyboard (where the front end lets a cell read
 * input), or a script of commands that arrive one after another with a pause before each, so
 * a notebook runs unattended. The end of the input is an empty result, never a hang: under
 * nbconvert, the keyboard's input ends at once.
 *
 * <pre>{@code
 * Commands commands = Commands.script(Duration.ofSeconds(1), "hello", "Start");
 * Optional<String> first = commands.next();   // "hello", after a second
 * }</pre>
 *
 * <p>Not thread-safe: one producer reads it.
 */
public final class Commands {

    private final List<String> script;
    private final Duration gap;
    private final BufferedReader keyboard;
    private int next;
    private final long t0 = System.nanoTime();
    private final List<Double> arrivals = new ArrayList<>();

    private Commands(List<String> script, Duration gap, BufferedReader keyboard) {
        this.script = script;
        this.gap = gap;
        this.keyboard = keyboard;
    }

    /**
     * The given commands, each arriving {@code gap} after the one before (the first, {@code gap}
     * after the first call to {@link #next()}).
     *
     * @throws IllegalArgumentException for no commands, a blank one, or a gap outside 0 to 1 minute
     */
    public static Commands script(Duration gap, String... commands) {
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(commands, "commands");
        if (commands.length == 0) {
            throw new IllegalArgumentException("the script has no commands: give at least one, e.g. "
                    + "Commands.script(Duration.ofSeconds(1), \"Start\")");
        }
        for (String command : commands) {
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("a scripted command is empty: write each as a word, e.g. \"Start\"");
            }
        }
        if (gap.isNegative() || gap.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("gap must be between 0 and 1 minute (got " + gap + ")");
        }
        return new Commands(List.of(commands), gap, null);
    }

    /** Lines typed on the keyboard (System.in), as far as the front end passes them on. */
    public static Commands keyboard() {
        return from(System.in);
    }

    /** Lines read from {@code in}, one command each. */
    public static Commands from(InputStream in) {
        return new Commands(null, Duration.ZERO, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /**
     * Waits for the next command (a script's pause, or a line typed); empty at the end of the
     * input. A scripted pause ends early if the thread is interrupted.
     *
     * @throws InterruptedException if the thread is interrupted during a scripted pause
     */
    public Optional<String> next() throws InterruptedException {
        Optional<String> command;
        if (script != null) {
            if (next == script.size()) {
                return Optional.empty();
            }
            Thread.sleep(gap);
            command = Optional.of(script.get(next++));
        } else {
            try {
                String line = keyboard.readLine();
                command = line == null ? Optional.empty() : Optional.of(line.strip());
            } catch (IOException e) {
                throw new UncheckedIOException("could not read a command: " + e.getMessage(), e);
            }
        }
        command.ifPresent(c -> arrivals.add((System.nanoTime() - t0) / 1e6));
        return command;
    }

    /** True for a script (which a notebook can run unattended); false for the keyboard. */
    public boolean isScripted() {
        return script != null;
    }

    /** When each command so far arrived, in ms since this source was made. */
    public List<Double> arrivals() {
        return List.copyOf(arrivals);
    }

    @Override
    public String toString() {
        return script != null ? "script " + script + " with " + gap.toMillis() + " ms before each" : "keyboard";
    }
}
