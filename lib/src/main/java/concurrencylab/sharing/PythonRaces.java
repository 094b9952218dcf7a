package concurrencylab.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import concurrencylab.display.Displayable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The lost-update race in CPython: the lab's {@code lost_updates.py}, run by every CPython
 * found on the PATH ({@code python3}, and free-threaded builds named {@code python3.13t},
 * {@code python3.14t} or {@code python3t}), each run labelled with the interpreter's version
 * and GIL state as the interpreter itself reports them ({@code sys._is_gil_enabled()}, 3.13+).
 *
 * <p>Three ways of adding 1, each a {@link Way}: the in-place {@code counter.value += 1}; a read
 * and a write with a call between them; the same under {@code with lock:}. Each total is read
 * after the threads are joined and compared with threads x adds.
 *
 * <p>Contract: a run that would exceed its time limit (a minute unless told) is stopped and
 * reported as such, not waited for; interrupting the caller stops the Python process at once
 * and throws {@link CancellationException}. No python3 on the PATH: {@link #interpreters()} is
 * empty and a lesson goes on without it.
 *
 * <pre>{@code
 * for (String python : PythonRaces.interpreters()) {
 *     System.out.println(PythonRaces.run(python, PythonRaces.Way.CALL, 4, 200_000));
 * }
 * }</pre>
 */
public final class PythonRaces implements Displayable {

    /** How CPython's threads add 1. */
    public enum Way {
        /** {@code counter.value += 1}: one statement. */
        INPLACE("counter.value += 1"),
        /** {@code v = counter.value; counter.value = add_one(v)}: a call between the read and the write. */
        CALL("v = counter.value; counter.value = add_one(v)"),
        /** {@code with lock: counter.value = add_one(counter.value)}. */
        LOCKED("with lock: counter.value = add_one(counter.value)");

        private final String code;

        Way(String code) {
            this.code = code;
        }

        /** The Python statement each thread runs per add. */
        public String code() {
            return code;
        }
    }

    /** The names tried on the PATH, the standard build first. */
    public static final List<String> CANDIDATES = List.of("python3", "python3.14t", "python3.13t", "python3t");
    /** The most adds per thread one run takes. */
    public static final long MAX_ADDS = 10_000_000L;
    /** The most threads one run starts. */
    public static final int MAX_THREADS = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_LIMIT = Duration.ofMinutes(1);

    private final List<Result> results;

    private PythonRaces(List<Result> results) {
        this.results = List.copyOf(results);
    }

    /**
     * One CPython run.
     *
     * @param interpreter the command that ran it, e.g. "python3"
     * @param version as the interpreter reports it, e.g. "3.11.7"
     * @param gil true if its GIL was on
     * @param way how its threads added
     * @param threads how many threads
     * @param adds adds per thread
     * @param total the total after the joins
     * @param seconds how long the threads took
     */
    public record Result(String interpreter, String version, boolean gil, Way way, int threads, long adds,
                         long total, double seconds) {

        /** threads x adds. */
        public long expected() {
            return threads * adds;
        }

        /** Adds lost. */
        public long lost() {
            return expected() - total;
        }

        /** "CPython 3.11.7 (GIL)" or "CPython 3.14.0 (no GIL)". */
        public String label() {
            return "CPython " + version + " (" + (gil ? "GIL" : "no GIL") + ")";
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s, %s, %d threads x %,d: total %,d of %,d, %s", label(), way.code(),
                    threads, adds, total, expected(), lost() == 0 ? "exact"
                            : String.format(Locale.ROOT, "%,d lost (%.1f%%)", lost(), 100.0 * lost() / expected()));
        }
    }

    /** The CPython commands on this PATH that run (each tried once, for a few seconds at most). */
    public static List<String> interpreters() {
        List<String> found = new ArrayList<>();
        for (String candidate : CANDIDATES) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import sys; print(sys.implementation.name)")
                        .redirectErrorStream(true).start();
                try {
                    if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0
                            && new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().equals("cpython")) {
                        found.add(candidate);
                    }
                } finally {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                // not installed under this name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while looking for python3");
            }
        }
        return found;
    }

    /**
     * Runs the race once with {@code interpreter}, within a minute.
     *
     * @throws IllegalArgumentException if threads is not 1 to {@value #MAX_THREADS} or adds not 1 to {@value #MAX_ADDS}
     * @throws IllegalStateException if the program fails or runs past a minute (it is stopped first)
     * @throws CancellationException if the calling thread is interrupted (the program is stopped first)
     */
    public static Result run(String interpreter, Way way, int threads, long adds) {
        return run(interpreter, way, threads, adds, DEFAULT_LIMIT);
    }

    /** As {@link #run(String, Way, int, long)}, within {@code limit}. */
    public static Result run(String interpreter, Way way, int threads, long adds, Duration limit) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("CPython threads must be from 1 to " + MAX_THREADS + " (got " + threads + ")");
        }
        if (adds < 1 || adds > MAX_ADDS) {
            throw new IllegalArgumentException("CPython adds per thread must be from 1 to " + MAX_ADDS + " (got " + adds + ")");
        }
        List<String> command = List.of(interpreter, script().toString(), "--threads", Integer.toString(threads),
                "--adds", Long.toString(adds), "--way", way.name().toLowerCase(Locale.ROOT));
        JsonNode json;
        try {
            json = JSON.readTree(outputOf(command, limit));
        } catch (IOException e) {
            throw new IllegalStateException("lost_updates.py printed something other than its JSON result", e);
        }
        return new Result(interpreter, json.get("version").asText(), json.get("gil").asBoolean(), way, threads, adds,
                json.get("total").asLong(), json.get("seconds").asDouble());
    }

    /** Every way, with every interpreter found, {@code threads} threads x {@code adds} each. */
    public static PythonRaces runAll(int threads, long adds) {
        List<Result> results = new ArrayList<>();
        for (String python : interpreters()) {
            for (Way way : Way.values()) {
                results.add(run(python, way, threads, adds));
            }
        }
        return new PythonRaces(results);
    }

    /** The runs, in order. */
    public List<Result> results() {
        return results;
    }

    /** One row per run: interpreter, way, expected, total, lost. */
    public Table table() {
        StringColumn python = StringColumn.create("interpreter");
        StringColumn way = StringColumn.create("each add");
        LongColumn expected = LongColumn.create("expected");
        LongColumn total = LongColumn.create("total");
        LongColumn lost = LongColumn.create("lost");
        for (Result r : results) {
            python.append(r.label());
            way.append(r.way().code());
            expected.append(r.expected());
            total.append(r.total());
            lost.append(r.lost());
        }
        return Table.create("CPython threads adding to one counter", python, way, expected, total, lost);
    }

    @Override
    public Object toDisplay() {
        return results.isEmpty() ? "No python3 here: no CPython run." : table();
    }

    @Override
    public String toString() {
        Map<String, Long> lost = new LinkedHashMap<>();
        results.forEach(r -> lost.merge(r.label() + " " + r.way().name().toLowerCase(Locale.ROOT), r.lost(), Long::sum));
        return results.isEmpty() ? "no CPython runs" : "CPython lost adds: " + lost;
    }

    private static String outputOf(List<String> command, Duration limit) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("lost_updates.py ran past " + limit.toSeconds()
                        + " s and was stopped: fewer adds or threads");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("lost_updates.py exited with status " + process.exitValue() + ": "
                        + err.get().strip());
            }
            return out.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: the CPython race was stopped");
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read lost_updates.py's output: " + e.getCause(), e.getCause());
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path script;

    /** lost_updates.py, copied once out of the jar into a temporary file. */
    private static synchronized Path script() {
        if (script == null) {
            try (InputStream in = PythonRaces.class.getResourceAsStream("/concurrencylab/sharing/lost_updates.py")) {
                if (in == null) {
                    throw new IllegalStateException("lost_updates.py is missing from the helper jar");
                }
                Path file = Files.createTempFile("concurrency-lab-lost-updates", ".py");
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                script = file;
            } catch (IOException e) {
                throw new UncheckedIOException("could not unpack lost_updates.py: " + e.getMessage(), e);
            }
        }
        return script;
    }
}
