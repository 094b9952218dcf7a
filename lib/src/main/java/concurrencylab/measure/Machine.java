package concurrencylab.measure;

import concurrencylab.display.Display;
import concurrencylab.display.Displayable;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The machine a lesson runs on, as the JVM sees it: hardware threads, JVM, memory, operating
 * system and Java kernel. Every timing in the lab depends on these, so each lesson shows them.
 *
 * <p>{@code hardwareThreads} is what {@link Runtime#availableProcessors()} reports: hardware
 * threads, not cores (a 4-core laptop with two hyperthreads per core reports 8), after the
 * process's CPU affinity and container limits (Binder gives a session one CPU). It is the most
 * threads that can execute at the same instant, and so an upper bound on a speed-up: two
 * hyperthreads share one core's execution units, and hybrid laptops mix fast and slow cores, so
 * real speed-ups fall short of it. The record is a snapshot: it does not change when the
 * machine's load does.
 *
 * <p>Where Linux says, {@link #physicalCores()} counts the machine's cores (each core once,
 * however many hardware threads it runs), so that the table shows both numbers side by side.
 *
 * <pre>{@code
 * Machine machine = Machine.describe();
 * Display.show(machine);                   // a table
 * machine.hardwareThreads();               // 2
 * }</pre>
 *
 * @param hardwareThreads CPUs (hardware threads, not cores) available to this JVM
 * @param javaVersion the running Java version, e.g. "25.0.1"
 * @param jvm the virtual machine's name and vendor
 * @param maxHeapBytes the most heap this JVM will use (-Xmx)
 * @param physicalMemoryBytes memory of the machine or container, or -1 if unknown
 * @param os operating system name, version and architecture
 * @param kernel the Java kernel this code runs in, or "no Jupyter kernel"
 */
public record Machine(int hardwareThreads, String javaVersion, String jvm, long maxHeapBytes,
                      long physicalMemoryBytes, String os, String kernel) implements Displayable {

    /** Reads the machine this JVM runs on. */
    public static Machine describe() {
        Runtime runtime = Runtime.getRuntime();
        return new Machine(
                runtime.availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name") + " (" + System.getProperty("java.vm.vendor") + ")",
                runtime.maxMemory(),
                physicalMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " (" + System.getProperty("os.arch") + ")",
                Display.kernelName());
    }

    /** Where Linux describes each CPU's place in the machine: its core and its package (socket). */
    static final Path LINUX_CPUS = Path.of("/sys/devices/system/cpu");

    /**
     * The machine's physical cores, as Linux lists them: each distinct (package, core) pair among
     * its CPUs counts once, so two hyperthreads of one core count as one. This is the whole
     * machine's count, not this JVM's share (a container's limit or a CPU affinity may leave the
     * JVM fewer {@link #hardwareThreads}); empty where the operating system does not say (macOS,
     * Windows, some containers).
     */
    public static OptionalInt physicalCores() {
        return physicalCores(LINUX_CPUS);
    }

    /** {@link #physicalCores()} read from a folder laid out as Linux's /sys/devices/system/cpu. */
    static OptionalInt physicalCores(Path cpus) {
        if (!Files.isDirectory(cpus)) {
            return OptionalInt.empty();
        }
        Set<String> cores = new HashSet<>();
        try (Stream<Path> entries = Files.list(cpus)) {
            for (Path cpu : entries.filter(p -> p.getFileName().toString().matches("cpu[0-9]+")).toList()) {
                Path topology = cpu.resolve("topology");
                Path core = topology.resolve("core_id");
                Path chip = topology.resolve("physical_package_id");
                if (Files.isReadable(core) && Files.isReadable(chip)) {
                    cores.add(Files.readString(chip).strip() + "/" + Files.readString(core).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
        return cores.isEmpty() ? OptionalInt.empty() : OptionalInt.of(cores.size());
    }

    /** True when only one CPU is available, so that nothing can run in parallel. */
    public boolean singleCore() {
        return hardwareThreads == 1;
    }

    /**
     * One sentence on what this machine can run in parallel: with one CPU, nothing; with
     * more, at most one thread per hardware thread at any instant.
     */
    public String parallelism() {
        if (singleCore()) {
            return "1 CPU: threads and processes here take turns on it, so nothing runs in parallel. "
                    + "Lessons that measure speed-ups show a reference run from a multi-core machine beside yours.";
        }
        return hardwareThreads + " CPUs (hardware threads): at most " + hardwareThreads
                + " threads (or processes) run at the same instant; any more take turns.";
    }

    /**
     * The machine as label/value pairs, in the order a person reads them: hardware threads first,
     * then the machine's physical cores (where Linux says), Java, memory, system and kernel.
     */
    public Map<String, String> properties() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("CPUs (hardware threads) available to the JVM", Integer.toString(hardwareThreads));
        OptionalInt cores = physicalCores();
        rows.put("physical cores of the whole machine", cores.isPresent() ? Integer.toString(cores.getAsInt())
                : "not known here (Linux lists them)");
        rows.put("Java version", javaVersion);
        rows.put("JVM", jvm);
        rows.put("max heap (-Xmx)", bytes(maxHeapBytes));
        rows.put("physical memory", physicalMemoryBytes < 0 ? "unknown" : bytes(physicalMemoryBytes));
        rows.put("operating system", os);
        rows.put("Jupyter kernel", kernel);
        return rows;
    }

    /** A two-column table (property, value) of {@link #properties()}. */
    public Table table() {
        StringColumn property = StringColumn.create("property");
        StringColumn value = StringColumn.create("value");
        properties().forEach((k, v) -> {
            property.append(k);
            value.append(v);
        });
        return Table.create("This machine", property, value);
    }

    @Override
    public Object toDisplay() {
        return table();
    }

    /** One line: hardware threads, Java, heap, kernel. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d CPU%s, Java %s, max heap %s, %s",
                hardwareThreads, hardwareThreads == 1 ? "" : "s", javaVersion, bytes(maxHeapBytes), kernel);
    }

    /** Bytes in the largest binary unit that keeps the number at least 1, e.g. "1.5 GiB". */
    static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static long physicalMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }
}
