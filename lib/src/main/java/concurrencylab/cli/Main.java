package concurrencylab.cli;

import concurrencylab.compare.Comparison;
import concurrencylab.coroutines.Sleepers;
import concurrencylab.coroutines.SleepersRun;
import concurrencylab.measure.Machine;
import concurrencylab.measure.StartupCost;
import concurrencylab.pools.Pool;
import concurrencylab.pools.PoolExperiment;
import concurrencylab.pools.PoolRun;
import concurrencylab.runners.ReferenceRuns;
import concurrencylab.runners.Run;
import concurrencylab.runners.Runner;
import concurrencylab.runners.Strategy;
import concurrencylab.runners.Task;
import concurrencylab.sharing.CounterKind;
import concurrencylab.sharing.CounterRun;
import concurrencylab.sharing.Counters;
import concurrencylab.workloads.Load;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The jar's command line: each sub-command runs one experiment and prints it, as text or,
 * with {@code --json}, as exactly one JSON object on standard output.
 *
 * <p>The commands declare their options in code rather than with picocli's annotations: a fresh
 * JVM reads each annotation type through a proxy class it generates on the spot, and declaring
 * the options in code took {@code machine --json} from about 0.23 s to 0.19 s on JDK 25 (issue
 * 16; docs/benchmarks.md).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The sub-commands, in the order the help lists them. */
    private static final Map<String, Supplier<Command>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("count", CountCommand::new);
        COMMANDS.put("machine", MachineCommand::new);
        COMMANDS.put("startup-cost", StartupCostCommand::new);
        COMMANDS.put("reference", ReferenceCommand::new);
        COMMANDS.put("pool", PoolCommand::new);
        COMMANDS.put("sleepers", SleepersCommand::new);
        COMMANDS.put("compare", CompareCommand::new);
        COMMANDS.put("load", LoadCommand::new);
        COMMANDS.put("lost-updates", LostUpdatesCommand::new);
    }

    /** Runs the command line and returns its exit status (0 on success, 2 on a usage error). */
    public static int run(String... args) {
        return commandLine(args).setExecutionExceptionHandler(Main::explain).execute(args);
    }

    /**
     * The command line for {@code args}: when they start with a sub-command other than help,
     * only that one is set up; otherwise all, for the help and for picocli's "did you mean".
     */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new RootCommand().spec);
        Supplier<Command> chosen = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (chosen != null) {
            line.addSubcommand(args[0], new CommandLine(chosen.get().spec));
        } else {
            COMMANDS.forEach((name, command) -> line.addSubcommand(name, new CommandLine(command.get().spec)));
            line.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return line;
    }

    /** A learner's mistake (a bad parameter) gets its one-line message, not a stack trace. */
    private static int explain(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException) {
            command.getErr().println(command.getColorScheme().errorText("error: " + e.getMessage()));
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
        throw e;
    }

    /** A command and its options; {@link #call()} runs it once picocli has parsed them. */
    abstract static class Command implements Callable<Integer> {
        final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

        Command(String name, String... description) {
            spec.name(name).versionProvider(Main::version);
            spec.usageMessage().description(description);
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
            spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                    .description("Print version information and exit.").build());
        }

        /** Adds an option taking one value, with a default ({@code null} for none) that the help shows. */
        final void option(String name, Class<?> type, String label, String defaultValue, String description) {
            spec.addOption(valued(name, type, label).defaultValue(defaultValue).description(description).build());
        }

        final void required(String name, Class<?> type, String label, String description) {
            spec.addOption(valued(name, type, label).required(true).description(description).build());
        }

        /** Adds an option without a value: {@link #isSet} says whether it was given. */
        final void flag(String name, String description) {
            // Without an initial value, picocli leaves a flag declared in code null until it is given.
            spec.addOption(OptionSpec.builder(name).type(boolean.class).initialValue(false).description(description).build());
        }

        static OptionSpec.Builder valued(String name, Class<?> type, String label) {
            return OptionSpec.builder(name).type(type).paramLabel(label);
        }

        /** The parsed value of {@code name}, or its default ({@code null} when it has none). */
        final <T> T value(String name) {
            return spec.findOption(name).getValue();
        }

        final boolean isSet(String flag) {
            return Boolean.TRUE.equals(value(flag));
        }

        final boolean json() {
            return isSet("--json");
        }
    }

    private static String[] version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"Concurrency Lab " + (version == null ? "(development build)" : version)
                + ", running on Java " + System.getProperty("java.version")};
    }

    static final class RootCommand extends Command {
        RootCommand() {
            super("concurrency-lab", "Runs Concurrency Lab experiments from the command line.");
        }

        @Override
        public Integer call() {
            spec.commandLine().usage(System.out);
            return 0;
        }
    }

    static final class CountCommand extends Command {
        CountCommand() {
            super("count", "Runs N workers that each count to M with one strategy, and prints the run.",
                    "For 'sequential', the N counts run one after another on one thread.");
            required("--strategy", String.class, "S", "sequential, processes, threads, gil-threads or virtual-threads.");
            option("--workers", int.class, "N", "4", "How many workers (default ${DEFAULT-VALUE}).");
            option("--max-count", long.class, "M", "100000000", "How far each worker counts (default ${DEFAULT-VALUE}).");
            option("--switch-interval-ms", double.class, "MS", "5",
                    "For gil-threads: how long a waiting thread waits before asking for the lock (default ${DEFAULT-VALUE}).");
            flag("--json", "Print exactly one JSON object instead of text.");
        }

        @Override
        public Integer call() {
            Strategy chosen = Strategy.fromName(value("--strategy"));
            double switchMillis = value("--switch-interval-ms");
            Runner runner = Runner.builder(chosen).workers(value("--workers"))
                    .switchInterval(Duration.ofNanos(Math.round(switchMillis * 1e6)))
                    .output(System.err)
                    .build();
            Run run = runner.run(Task.count(value("--max-count")));
            System.out.println(json() ? JsonText.of(run.summary()) : run.toString());
            return 0;
        }
    }

    static final class PoolCommand extends Command {
        PoolCommand() {
            super("pool", "Starts a pool, hands it K inputs in one call, and prints the run.",
                    "The run shows the start-up, the time to the first and the last result, the results' sum "
                            + "(checked), the peak heap and, for up to 1,000 inputs, which worker ran which task when.");
            option("--kind", String.class, "KIND", "processes", "processes (worker JVMs), threads, or cluster (Hazelcast "
                    + "members, each a JVM on loopback; this JVM is their client) (default ${DEFAULT-VALUE}).");
            option("--workers", Integer.class, "N", null, "How many workers, or a cluster's members, 1 to 8 (default: one per core).");
            option("--mode", String.class, "MODE", "map", "map, imap or imap-unordered (default ${DEFAULT-VALUE}).");
            option("--chunksize", Integer.class, "C", null,
                    "Inputs per task (default: CPython's, ceil(K / (4 x N)) for map, 1 for imap).");
            ArgGroupSpec counts = ArgGroupSpec.builder().exclusive(false).multiplicity("0..1")
                    .addArg(valued("--tasks", long.class, "K").required(true).description("Map count over K inputs ...").build())
                    .addArg(valued("--max-count", long.class, "M").required(true).description("... each equal to M.").build())
                    .build();
            spec.addArgGroup(ArgGroupSpec.builder().exclusive(true).multiplicity("1")
                    .addArg(valued("--squares", Long.class, "K").description("Map x -> x * x over 0 .. K-1 (tiny tasks).").build())
                    .addSubgroup(counts)
                    .build());
            option("--repeat", int.class, "R", "1",
                    "Make the call R times on the same pool and report the median (default ${DEFAULT-VALUE}).");
            flag("--json", "Print exactly one JSON object instead of text.");
        }

        @Override
        public Integer call() {
            Long squares = value("--squares");
            PoolExperiment experiment = squares != null ? PoolExperiment.squares(squares)
                    : PoolExperiment.counts(value("--tasks"), value("--max-count"));
            experiment.kind(Pool.Kind.fromName(value("--kind"))).mode(PoolExperiment.Mode.fromName(value("--mode")))
                    .repeat(value("--repeat")).output(System.err);
            Integer workers = value("--workers");
            if (workers != null) {
                experiment.workers(workers);
            }
            Integer chunksize = value("--chunksize");
            if (chunksize != null) {
                experiment.chunksize(chunksize);
            }
            PoolRun run = experiment.run();
            System.out.println(json() ? JsonText.of(run.summary()) : run.toString());
            return 0;
        }
    }

    static final class SleepersCommand extends Command {
        SleepersCommand() {
            super("sleepers", "Starts N tasks that each sleep S ms at the same time, waits for all, and prints the run.");
            required("--runner", String.class, "R", "event-loop, virtual-threads or platform-threads.");
            required("--tasks", int.class, "N", "How many sleepers.");
            option("--sleep-ms", long.class, "S", "1000", "How long each sleeps, in ms (default ${DEFAULT-VALUE}).");
            option("--repeat", int.class, "R", "1", "Run R times in this JVM and report the median (default ${DEFAULT-VALUE}).");
            flag("--json", "Print exactly one JSON object instead of text.");
        }

        @Override
        public Integer call() {
            long sleepMillis = value("--sleep-ms");
            if (sleepMillis < 0) {
                throw new IllegalArgumentException("sleep must be between 0 and 60,000 ms (got " + sleepMillis + " ms)");
            }
            SleepersRun run = Sleepers.run(Sleepers.Runner.fromName(value("--runner")), value("--tasks"),
                    Duration.ofMillis(sleepMillis), value("--repeat"));
            System.out.println(json() ? JsonText.of(run.summary()) : run.toString());
            return 0;
        }
    }

    static final class ReferenceCommand extends Command {
        ReferenceCommand() {
            super("reference", "Measures the reference runs that lessons show beside a one-CPU session's own.",
                    "Writes them as JSON (ship the file as lib/src/main/resources" + ReferenceRuns.RESOURCE + ").");
            required("--output", Path.class, "FILE", "Where to write the JSON.");
        }

        @Override
        public Integer call() {
            Path output = value("--output");
            ReferenceRuns runs = ReferenceRuns.measure();
            runs.write(output);
            System.out.println("wrote " + runs + " to " + output);
            return 0;
        }
    }

    static final class CompareCommand extends Command {
        CompareCommand() {
            super("compare", "Measures every strategy on CPU-bound work, I/O-bound work and many waiting tasks.",
                    "Prints each as a speed-up over one piece at a time (lesson 08's table) as it completes. With "
                            + "--output, also writes them as JSON (ship the file as lib/src/main/resources"
                            + Comparison.REFERENCE_RESOURCE + " for 1-CPU sessions).");
            option("--workers", int.class, "N", "4", "Workers (1 to 16; default ${DEFAULT-VALUE}).");
            flag("--no-cpython", "Leave CPython's counterparts out.");
            option("--output", Path.class, "FILE", null, "Also write the comparison as JSON here.");
        }

        @Override
        public Integer call() {
            Comparison comparison = Comparison.builder().workers(value("--workers")).cpython(!isSet("--no-cpython")).run();
            comparison.guide().forEach(System.out::println);
            Path output = value("--output");
            if (output != null) {
                System.out.println("wrote " + comparison + " to " + comparison.write(output));
            }
            return 0;
        }
    }

    static final class MachineCommand extends Command {
        MachineCommand() {
            super("machine", "Describes this machine as the JVM sees it: hardware threads, Java, memory, operating system.");
            flag("--json", "Print one JSON object instead of text.");
        }

        @Override
        public Integer call() {
            Machine machine = Machine.describe();
            if (json()) {
                System.out.println(JsonText.of(machine));
            } else {
                machine.properties().forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
            }
            return 0;
        }
    }

    static final class StartupCostCommand extends Command {
        StartupCostCommand() {
            super("startup-cost", "Measures what it costs to start a platform thread, a virtual thread and a child JVM.");
            option("--threads", int.class, "N", "200", "Threads of each kind to time (1 to 100000; default ${DEFAULT-VALUE}).");
            option("--jvms", int.class, "N", "3", "Child JVMs to time (1 to 20; default ${DEFAULT-VALUE}).");
            flag("--json", "Print one JSON object instead of text.");
        }

        @Override
        public Integer call() {
            StartupCost cost = StartupCost.measure(value("--threads"), value("--jvms"));
            System.out.println(json() ? JsonText.of(cost) : cost.toString());
            return 0;
        }
    }

    static final class LoadCommand extends Command {
        LoadCommand() {
            super("load", "Keeps CPUs busy, one counting thread each, until standard input closes (or for --seconds).",
                    "A busy machine to run a lesson against: ./lab test runs every exercise's check under it.");
            option("--threads", Integer.class, "N", null, "CPUs to keep busy, 1 to 1024 (default: all of them).");
            option("--seconds", Double.class, "S", null,
                    "Stop after S seconds, 0.1 to 86400 (default: when standard input closes).");
        }

        @Override
        public Integer call() throws Exception {
            Integer threads = value("--threads");
            Double seconds = value("--seconds");
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (seconds != null && !(seconds >= 0.1 && seconds <= 86_400)) {
                throw new IllegalArgumentException("--seconds must be from 0.1 to 86400, not " + seconds);
            }
            long increments;
            try (Load load = Load.start(n)) {
                System.out.println("load: " + n + " thread(s) counting "
                        + (seconds == null ? "until standard input closes" : "for " + seconds + " s"));
                System.out.flush();
                if (seconds != null) {
                    Thread.sleep(Math.round(seconds * 1000));
                } else {
                    while (System.in.read() != -1) {
                        // only the end of input matters
                    }
                }
                increments = load.increments();
            }
            System.out.println("load: stopped after " + increments + " increments");
            return 0;
        }
    }

    static final class LostUpdatesCommand extends Command {
        LostUpdatesCommand() {
            super("lost-updates", "Runs N threads that each add 1 to one shared counter M times, all started together.",
                    "Prints what the total came to and how many increments were lost (lesson 09). The default counter "
                            + "is the racy one (a volatile long and value++); the others must be exact, and a wrong total fails.");
            option("--threads", int.class, "N", "4", "Threads adding at once, 1 to 1024 (default ${DEFAULT-VALUE}).");
            option("--increments", long.class, "M", "10000000", "Times each thread adds 1 (default ${DEFAULT-VALUE}).");
            option("--kind", String.class, "K", "racy",
                    "racy, synchronized, reentrant-lock, atomic-long, long-adder or per-thread (default ${DEFAULT-VALUE}).");
            option("--repeat", int.class, "R", "1",
                    "Runs R times in this JVM after one warm-up run, and prints each (default ${DEFAULT-VALUE}; 1 to 100).");
            flag("--json", "Print exactly one JSON object instead of text.");
        }

        @Override
        public Integer call() {
            CounterKind chosen = CounterKind.fromName(value("--kind"));
            int threads = value("--threads");
            long increments = value("--increments");
            int repeat = value("--repeat");
            if (repeat < 1 || repeat > 100) {
                throw new IllegalArgumentException("--repeat must be from 1 to 100 (got " + repeat + ")");
            }
            Counters.run(chosen, threads, Math.min(increments, 1L << 21));   // warm-up, also checks the parameters
            List<CounterRun> runs = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                runs.add(Counters.run(chosen, threads, increments));
            }
            if (json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("kind", chosen.name());
                out.put("threads", threads);
                out.put("incrementsPerThread", increments);
                out.put("cpus", Runtime.getRuntime().availableProcessors());
                out.put("java", System.getProperty("java.version"));
                out.put("runs", runs.stream().map(CounterRun::summary).toList());
                System.out.println(JsonText.of(out));
            } else {
                runs.forEach(System.out::println);
            }
            return 0;
        }
    }
}
