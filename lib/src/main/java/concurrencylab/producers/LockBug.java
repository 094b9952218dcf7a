package concurrencylab.producers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.runners.CPython;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The article's lock bug in CPython, beside lesson 06's Java: runs the lab's Python program
 * (shipped in the jar as concurrencylab/cpython/producer_consumer.py) and returns what it saw.
 *
 * <p>Contract: the Python producer reads scripted commands (never the keyboard); in the article's
 * version it releases a {@code threading.Lock} it never acquired for each unknown command, and
 * with {@code fixed} it takes the lock only to set the flag. Its consumers look at the flag under
 * the lock once a tick and give up after {@code giveUp}, so the program always ends (in about
 * {@code giveUp} at most, plus Python's start-up). When no {@code python3} is installed, both
 * methods return empty and a lesson goes on without them. Nothing here runs in this JVM's threads
 * but the caller's.
 *
 * <pre>{@code
 * LockBug.inCPython(false, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(3), "hello", "Start")
 *         .ifPresent(System.out::println); // producer: RuntimeError: release unlocked lock ...
 * }</pre>
 */
public final class LockBug {

    private static final String PROGRAM = "producer_consumer.py";

    private LockBug() {
    }

    /**
     * What the CPython program saw: how its producer ended, and each consumer's outcome.
     *
     * @param producer e.g. "RuntimeError: release unlocked lock (at 0 ms)" or "set the flag at 200 ms"
     * @param consumers one outcome per consumer, e.g. "gave up at 3016 ms" or "saw the flag at 201 ms"
     * @param python the Python version that ran it
     */
    public record CPythonRun(String producer, List<String> consumers, String python) {

        /** Copies the list; rejects nulls. */
        public CPythonRun {
            Objects.requireNonNull(producer, "producer");
            consumers = List.copyOf(consumers);
            Objects.requireNonNull(python, "python");
        }

        /** True when every consumer saw the flag. */
        public boolean consumersStarted() {
            return consumers.stream().allMatch(c -> c.startsWith("saw the flag"));
        }

        /** A few lines: the producer's end, then each consumer's. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("CPython " + python + ": the producer ended with " + producer);
            for (int k = 0; k < consumers.size(); k++) {
                out.append("\n  consumer ").append(k + 1).append(' ').append(consumers.get(k));
            }
            return out.toString();
        }
    }

    /**
     * Runs the article's producer and two consumers in CPython with these commands, and waits for
     * it to end.
     *
     * @param fixed false for the article's producer, true for the one that locks only to set the flag
     * @param gap the producer's wait after an unknown command, 1 ms to 60 s
     * @param tick how often a consumer looks at the flag, 1 ms to 60 s
     * @param giveUp how long a consumer looks before it gives up, 1 ms to 60 s
     * @param commands what the producer reads, in order (at least one)
     * @return empty when no python3 is installed
     * @throws IllegalArgumentException for a bad duration or no commands, before Python starts
     * @throws IllegalStateException if the Python program fails
     * @throws CancellationException if the calling thread is interrupted; Python is stopped first
     */
    public static Optional<CPythonRun> inCPython(boolean fixed, Duration gap, Duration tick, Duration giveUp,
            String... commands) {
        List<String> arguments = new ArrayList<>(List.of("--gap-ms", millis("gap", gap), "--tick-ms",
                millis("tick", tick), "--give-up-ms", millis("giveUp", giveUp)));
        if (commands == null || commands.length == 0) {
            throw new IllegalArgumentException("give at least one command, e.g. \"hello\", \"Start\"");
        }
        arguments.add("--commands");
        for (String command : commands) {
            arguments.add(Objects.requireNonNull(command, "a command"));
        }
        if (fixed) {
            arguments.add("--fixed");
        }
        return CPython.find().map(python -> {
            JsonNode json = read(python.runProgram(PROGRAM, arguments));
            List<String> consumers = new ArrayList<>();
            json.get("consumers").forEach(c -> consumers.add(c.asText()));
            return new CPythonRun(json.get("producer").asText(), consumers, json.get("python").asText());
        });
    }

    /**
     * Releases each of Python's {@code threading} locks from a thread that did not acquire it,
     * and returns a table of what happened: a {@code Lock} or {@code Semaphore} has no owner, an
     * {@code RLock} has one.
     *
     * @return empty when no python3 is installed
     * @throws IllegalStateException if the Python program fails
     * @throws CancellationException if the calling thread is interrupted; Python is stopped first
     */
    public static Optional<Table> releasesInCPython() {
        return CPython.find().map(python -> {
            JsonNode json = read(python.runProgram(PROGRAM, List.of("--owners")));
            StringColumn lock = StringColumn.create("Python " + json.get("python").asText());
            StringColumn outcome = StringColumn.create("release() from a thread that did not acquire it");
            for (JsonNode row : json.get("releases")) {
                lock.append(row.get(0).asText());
                outcome.append(row.get(1).asText());
            }
            return Table.create("Releasing a lock one does not hold, in CPython", lock, outcome);
        });
    }

    private static String millis(String name, Duration duration) {
        if (duration == null || duration.toMillis() < 1 || duration.toMillis() > 60_000) {
            throw new IllegalArgumentException(name + " must be between 1 ms and 60 s (got "
                    + (duration == null ? "null" : duration.toMillis() + " ms") + ")");
        }
        return Long.toString(duration.toMillis());
    }

    private static JsonNode read(String output) {
        try {
            JsonNode json = new ObjectMapper().readTree(output);
            if (json == null || !json.isObject()) {
                throw new IOException("not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new IllegalStateException("the CPython program " + PROGRAM + " printed something other than its JSON"
                    + " result: " + output.strip(), e);
        }
    }
}
