package concurrencylab.runners;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * CPython beside Java: runs the lab's own Python program (shipped in the jar), which counts the
 * way the article's programs do, and returns its run in the same form as ours, so that both
 * join one table and one chart.
 *
 * <p>Only the strategies CPython has are offered: sequential, processes (multiprocessing) and
 * threads (threading, under the real GIL). When no {@code python3} is installed,
 * {@link #find()} says so and a lesson goes on without it.
 *
 * <pre>{@code
 * Optional<CPython> python = CPython.find();
 * python.ifPresent(p -> Display.show(Runs.of(ours, p.run(Strategy.THREADS, 4, MAX_COUNT))));
 * }</pre>
 */
public final class CPython {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command;
    private final String version;

    private CPython(String command, String version) {
        this.command = command;
        this.version = version;
    }

    /** The first {@code python3} (or {@code python}, if it is Python 3) on the PATH, if any. */
    public static Optional<CPython> find() {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process process = new ProcessBuilder(candidate, "-c", "import platform; print(platform.python_version())")
                        .redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && out.startsWith("3.")) {
                    return Optional.of(new CPython(candidate, out));
                }
            } catch (IOException e) {
                // Not installed under this name.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The Python version, e.g. "3.11.2". */
    public String version() {
        return version;
    }

    /**
     * Runs N CPython workers that each count to {@code maxCount}, and waits for them.
     *
     * @param strategy SEQUENTIAL, PROCESSES or THREADS
     * @throws IllegalArgumentException for another strategy or a bad count, before anything starts
     * @throws IllegalStateException if the Python program fails (its error output is in the message)
     * @throws CancellationException if the calling thread is interrupted; Python is stopped first
     */
    public Run run(Strategy strategy, int workers, long maxCount) {
        if (strategy != Strategy.SEQUENTIAL && strategy != Strategy.PROCESSES && strategy != Strategy.THREADS) {
            throw new IllegalArgumentException("CPython runs only sequential, processes and threads (got "
                    + strategy.label() + "): its threads already have a real GIL");
        }
        Runner.requireWorkers(strategy, workers);
        Task task = Task.count(maxCount);
        return parse(runProgram("count.py", List.of("--strategy", strategy.label(),
                "--workers", Integer.toString(workers), "--max-count", Long.toString(maxCount))), task);
    }

    /**
     * Runs one of the lab's Python programs (shipped in the jar under concurrencylab/cpython/)
     * with the given arguments, waits for it, and returns what it printed on standard output.
     *
     * @throws IllegalStateException if the program fails (its error output is in the message)
     * @throws CancellationException if the calling thread is interrupted; Python is stopped first
     */
    public String runProgram(String program, List<String> arguments) {
        List<String> args = new java.util.ArrayList<>(List.of(command, script(program).toString()));
        args.addAll(arguments);
        return ChildJvms.outputOf(args, "the CPython program " + program);
    }

    private static Run parse(String output, Task task) {
        Run run;
        try {
            run = Run.fromSummary(JSON.readTree(output));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the CPython program printed something other than its JSON result: "
                    + output.strip(), e);
        }
        for (long result : run.results()) {
            if (result != task.expectedResult()) {
                throw new IllegalStateException("a CPython worker returned " + result + ", not " + task.expectedResult());
            }
        }
        return run;
    }

    /** A Python program of the lab's, copied once out of the jar into a temporary folder. */
    private static synchronized Path script(String name) {
        Path script = SCRIPTS.get(name);
        if (script == null) {
            try (InputStream in = CPython.class.getResourceAsStream("/concurrencylab/cpython/" + name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " is missing from the helper jar");
                }
                Path folder = Files.createTempDirectory("concurrency-lab-cpython");
                script = folder.resolve(name);
                Files.copy(in, script);
                script.toFile().deleteOnExit();
                folder.toFile().deleteOnExit();
                SCRIPTS.put(name, script);
            } catch (IOException e) {
                throw new UncheckedIOException("could not unpack the CPython program: " + e.getMessage(), e);
            }
        }
        return script;
    }

    private static final java.util.Map<String, Path> SCRIPTS = new java.util.HashMap<>();

    @Override
    public String toString() {
        return "CPython " + version + " (" + command + ")";
    }
}
