package concurrencylab.amdahl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import concurrencylab.measure.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Lesson 12's sweeps measured once on a multi-core machine and shipped in the jar, so that a
 * learner on one CPU (Binder gives one) sees what more CPUs do beside their own run. Each sweep
 * it returns is labelled with the machine and the date ({@link AmdahlSweep#source()}), and its
 * chart and table say "Reference".
 *
 * <p>Made by the command below, on a machine with nothing else heavy running, and kept in
 * {@value #RESOURCE}:
 * <pre>{@code
 * java -cp lib/target/concurrency-lab.jar concurrencylab.amdahl.AmdahlReference \
 *     lib/src/main/resources/concurrencylab/reference/amdahl-reference.json
 * }</pre>
 *
 * @param machine the machine, in one line
 * @param date when
 * @param childJvms {@link AmdahlSweep#childJvms} at {@value #TOTAL_COUNT} and 1 to 2 x CPUs workers
 * @param sharedLock {@link AmdahlSweep#sharedLock} at {@value #TOTAL_COUNT}, {@value #LOCKED_PERCENT} %
 * @param scaled {@link AmdahlSweep#scaledChildJvms} at {@value #COUNT_PER_WORKER} a worker
 */
public record AmdahlReference(String machine, String date, AmdahlSweep childJvms, AmdahlSweep sharedLock,
                              AmdahlSweep scaled) {

    /** Where the reference lives inside the jar. */
    public static final String RESOURCE = "/concurrencylab/reference/amdahl-reference.json";
    /** The whole job of the child-JVM and shared-lock sweeps: lesson 12's default. */
    public static final long TOTAL_COUNT = 3_000_000_000L;
    /** The shared-lock sweep's share of each item under the lock: lesson 12's default. */
    public static final int LOCKED_PERCENT = 60;
    /** Each worker's share in the scaled sweep: lesson 12's default. */
    public static final long COUNT_PER_WORKER = 2_000_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The reference shipped in the jar, each sweep labelled with its machine and date.
     *
     * @throws IllegalStateException if the jar holds none
     */
    public static AmdahlReference load() {
        try (InputStream in = AmdahlReference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the helper jar holds no Amdahl reference (" + RESOURCE + ")");
            }
            return JSON.readValue(in, AmdahlReference.class).labelled();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the Amdahl reference: " + e.getMessage(), e);
        }
    }

    /** A reference written by {@link #write(Path)}. */
    public static AmdahlReference load(Path file) {
        try {
            return JSON.readValue(file.toFile(), AmdahlReference.class).labelled();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private AmdahlReference labelled() {
        String where = machine + ", " + date;
        return new AmdahlReference(machine, date, childJvms.measuredOn(where), sharedLock.measuredOn(where),
                scaled.measuredOn(where));
    }

    /** Measures the three sweeps here, from 1 to twice the CPUs, at the lesson's defaults. */
    public static AmdahlReference measure() {
        Machine machine = Machine.describe();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int workers = Math.min(2 * machine.hardwareThreads(), concurrencylab.runners.Runner.maxChildJvms());
        AmdahlSweep jvms = AmdahlSweep.childJvms(TOTAL_COUNT, workers);
        AmdahlSweep lock = AmdahlSweep.sharedLock(TOTAL_COUNT, LOCKED_PERCENT, workers);
        AmdahlSweep scaled = AmdahlSweep.scaledChildJvms(COUNT_PER_WORKER, workers);
        String description = String.format(Locale.ROOT, "a %d-CPU %s machine (%s, Java %s%s)", machine.hardwareThreads(),
                System.getProperty("os.name"), System.getProperty("os.arch"), machine.javaVersion(),
                load < 0 ? "" : String.format(Locale.ROOT, "; load average %.1f as it began", load));
        return new AmdahlReference(description, LocalDate.now().toString(), jvms, lock, scaled);
    }

    /** Writes this reference as JSON, in the form {@link #load()} reads. */
    public Path write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), new AmdahlReference(machine, date, childJvms.measuredOn(""),
                    sharedLock.measuredOn(""), scaled.measuredOn("")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** All three sweeps, in the lesson's order. */
    public List<AmdahlSweep> sweeps() {
        return List.of(childJvms, sharedLock, scaled);
    }

    /** Measures the reference and writes it to the file named by the one argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp concurrency-lab.jar concurrencylab.amdahl.AmdahlReference FILE.json");
            System.exit(2);
        }
        AmdahlReference reference = measure();
        reference.sweeps().forEach(System.out::println);
        System.out.println("written to " + reference.write(Path.of(args[0])));
    }

    @Override
    public String toString() {
        return "Amdahl reference: 3 sweeps measured on " + machine + ", " + date;
    }
}
