package concurrencylab.cli;

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
import concurrencylab.workloads.Load;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The jar's command line: each sub-command runs one experiment and prints it, as text or,
 * with {@code --json}, as exactly one JSON object on standard output.
 */
@Command(name = "concurrency-lab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs Concurrency Lab experiments from the command line.")
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The sub-commands, in the order the help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

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
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** Runs the command line and returns its exit status (0 on success, 2 on a usage error). */
    public static int run(String... args) {
        return commandLine(args).setExecutionExceptionHandler(Main::explain).execute(args);
    }

    /**
     * The command line for {@code args}: when they start with a sub-command other than help,
     * only that one is set up (picocli reads each sub-command's options by reflection, and doing
     * that for all of them took a fresh JVM about 70 ms); otherwise all, for the help and for
     * picocli's "did you mean".
     */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new Main());
        Supplier<Object> chosen = args.length > 0 && !args[0].equals("help") ? COMMANDS.get(args[0]) : null;
        if (chosen != null) {
            line.addSubcommand(args[0], chosen.get());
        } else {
            COMMANDS.forEach((name, command) -> line.addSubcommand(name, command.get()));
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

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    @Command(name = "count", mixinStandardHelpOptions = true,
            description = {"Runs N workers that each count to M with one strategy, and prints the run.",
                "For 'sequential', the N counts run one after another on one thread."})
    static final class CountCommand implements Callable<Integer> {
        @Option(names = "--strategy", required = true, paramLabel = "S",
                description = "sequential, processes, threads, gil-threads or virtual-threads.")
        String strategy;

        @Option(names = "--workers", defaultValue = "4", paramLabel = "N",
                description = "How many workers (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--max-count", defaultValue = "100000000", paramLabel = "M",
                description = "How far each worker counts (default ${DEFAULT-VALUE}).")
        long maxCount;

        @Option(names = "--switch-interval-ms", defaultValue = "5", paramLabel = "MS",
                description = "For gil-threads: how long a waiting thread waits before asking for the lock (default ${DEFAULT-VALUE}).")
        double switchIntervalMillis;

        @Option(names = "--json", description = "Print exactly one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Strategy chosen = Strategy.fromName(strategy);
            Task task = Task.count(maxCount);
            Runner runner = Runner.builder(chosen).workers(workers)
                    .switchInterval(java.time.Duration.ofNanos(Math.round(switchIntervalMillis * 1e6)))
                    .output(System.err)
                    .build();
            Run run = runner.run(task);
            System.out.println(json ? JsonText.of(run.summary()) : run.toString());
            return 0;
        }
    }

    @Command(name = "pool", mixinStandardHelpOptions = true,
            description = {"Starts a pool, hands it K inputs in one call, and prints the run: start-up, time to the",
                "first and the last result, the results' sum (checked), the peak heap and, for up to 1,000",
                "inputs, which worker ran which task when."})
    static final class PoolCommand implements Callable<Integer> {
        @Option(names = "--kind", defaultValue = "processes", paramLabel = "KIND",
                description = {"processes (worker JVMs), threads, or cluster (Hazelcast members, each a JVM on loopback;",
                    "this JVM is their client) (default ${DEFAULT-VALUE})."})
        String kind;

        @Option(names = "--workers", paramLabel = "N",
                description = "How many workers, or a cluster's members, 1 to 8 (default: one per core).")
        Integer workers;

        @Option(names = "--mode", defaultValue = "map", paramLabel = "MODE",
                description = "map, imap or imap-unordered (default ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--chunksize", paramLabel = "C",
                description = "Inputs per task (default: CPython's, ceil(K / (4 x N)) for map, 1 for imap).")
        Integer chunksize;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Workload workload;

        static final class Workload {
            @CommandLine.ArgGroup(exclusive = false)
            Counts counts;

            @Option(names = "--squares", paramLabel = "K", description = "Map x -> x * x over 0 .. K-1 (tiny tasks).")
            Long squares;
        }

        static final class Counts {
            @Option(names = "--tasks", required = true, paramLabel = "K", description = "Map count over K inputs ...")
            long tasks;

            @Option(names = "--max-count", required = true, paramLabel = "M", description = "... each equal to M.")
            long maxCount;
        }

        @Option(names = "--repeat", defaultValue = "1", paramLabel = "R",
                description = "Make the call R times on the same pool and report the median (default ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--json", description = "Print exactly one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PoolExperiment experiment = workload.squares != null ? PoolExperiment.squares(workload.squares)
                    : PoolExperiment.counts(workload.counts.tasks, workload.counts.maxCount);
            experiment.kind(Pool.Kind.fromName(kind)).mode(PoolExperiment.Mode.fromName(mode)).repeat(repeat).output(System.err);
            if (workers != null) {
                experiment.workers(workers);
            }
            if (chunksize != null) {
                experiment.chunksize(chunksize);
            }
            PoolRun run = experiment.run();
            System.out.println(json ? JsonText.of(run.summary()) : run.toString());
            return 0;
        }
    }

    @Command(name = "sleepers", mixinStandardHelpOptions = true,
            description = "Starts N tasks that each sleep S ms at the same time, waits for all, and prints the run.")
    static final class SleepersCommand implements Callable<Integer> {
        @Option(names = "--runner", required = true, paramLabel = "R",
                description = "event-loop, virtual-threads or platform-threads.")
        String runner;

        @Option(names = "--tasks", required = true, paramLabel = "N", description = "How many sleepers.")
        int tasks;

        @Option(names = "--sleep-ms", defaultValue = "1000", paramLabel = "S",
                description = "How long each sleeps, in ms (default ${DEFAULT-VALUE}).")
        long sleepMillis;

        @Option(names = "--repeat", defaultValue = "1", paramLabel = "R",
                description = "Run R times in this JVM and report the median (default ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--json", description = "Print exactly one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (sleepMillis < 0) {
                throw new IllegalArgumentException("sleep must be between 0 and 60,000 ms (got " + sleepMillis + " ms)");
            }
            concurrencylab.coroutines.SleepersRun run = concurrencylab.coroutines.Sleepers.run(
                    concurrencylab.coroutines.Sleepers.Runner.fromName(runner), tasks, java.time.Duration.ofMillis(sleepMillis), repeat);
            System.out.println(json ? JsonText.of(run.summary()) : run.toString());
            return 0;
        }
    }

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = {"Measures the reference runs that lessons show beside a one-CPU session's own,",
                "and writes them as JSON (ship the file as lib/src/main/resources" + ReferenceRuns.RESOURCE + ")."})
    static final class ReferenceCommand implements Callable<Integer> {
        @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the JSON.")
        java.nio.file.Path output;

        @Override
        public Integer call() {
            ReferenceRuns runs = ReferenceRuns.measure();
            runs.write(output);
            System.out.println("wrote " + runs + " to " + output);
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Measures every strategy on CPU-bound work, I/O-bound work and many waiting tasks, as",
                "speed-ups over one piece at a time (lesson 08's table), printing each as it completes.",
                "With --output, writes them as JSON (ship the file as lib/src/main/resources"
                        + concurrencylab.compare.Comparison.REFERENCE_RESOURCE + " for 1-CPU sessions)."})
    static final class CompareCommand implements Callable<Integer> {
        @Option(names = "--workers", defaultValue = "4", paramLabel = "N", description = "Workers (1 to 16; default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--no-cpython", description = "Leave CPython's counterparts out.")
        boolean noCPython;

        @Option(names = "--output", paramLabel = "FILE", description = "Also write the comparison as JSON here.")
        java.nio.file.Path output;

        @Override
        public Integer call() {
            concurrencylab.compare.Comparison comparison = concurrencylab.compare.Comparison.builder().workers(workers)
                    .cpython(!noCPython).run();
            comparison.guide().forEach(System.out::println);
            if (output != null) {
                System.out.println("wrote " + comparison + " to " + comparison.write(output));
            }
            return 0;
        }
    }

    @Command(name = "machine", mixinStandardHelpOptions = true,
            description = "Describes this machine as the JVM sees it: hardware threads, Java, memory, operating system.")
    static final class MachineCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Machine machine = Machine.describe();
            if (json) {
                System.out.println(JsonText.of(machine));
            } else {
                machine.properties().forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
            }
            return 0;
        }
    }

    @Command(name = "startup-cost", mixinStandardHelpOptions = true,
            description = "Measures what it costs to start a platform thread, a virtual thread and a child JVM.")
    static final class StartupCostCommand implements Callable<Integer> {
        @Option(names = "--threads", defaultValue = "200", paramLabel = "N",
                description = "Threads of each kind to time (1 to 100000; default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--jvms", defaultValue = "3", paramLabel = "N",
                description = "Child JVMs to time (1 to 20; default ${DEFAULT-VALUE}).")
        int jvms;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            StartupCost cost = StartupCost.measure(threads, jvms);
            System.out.println(json ? JsonText.of(cost) : cost.toString());
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Keeps CPUs busy, one counting thread each, until standard input closes (or for --seconds):",
                    "a busy machine to run a lesson against. ./lab test runs every exercise's check under it."})
    static final class LoadCommand implements Callable<Integer> {
        @Option(names = "--threads", paramLabel = "N",
                description = "CPUs to keep busy, 1 to 1024 (default: all of them).")
        Integer threads;

        @Option(names = "--seconds", paramLabel = "S",
                description = "Stop after S seconds, 0.1 to 86400 (default: when standard input closes).")
        Double seconds;

        @Override
        public Integer call() throws Exception {
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

    @Command(name = "lost-updates", mixinStandardHelpOptions = true,
            description = {"Runs N threads that each add 1 to one shared counter M times, all started together, and prints",
                    "what the total came to and how many increments were lost (lesson 09). The default counter is the",
                    "racy one (a volatile long and value++); the others must be exact, and a wrong total fails."})
    static final class LostUpdatesCommand implements Callable<Integer> {
        @Option(names = "--threads", defaultValue = "4", paramLabel = "N",
                description = "Threads adding at once, 1 to 1024 (default ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--increments", defaultValue = "10000000", paramLabel = "M",
                description = "Times each thread adds 1 (default ${DEFAULT-VALUE}).")
        long increments;

        @Option(names = "--kind", defaultValue = "racy", paramLabel = "K",
                description = "racy, synchronized, reentrant-lock, atomic-long, long-adder or per-thread (default ${DEFAULT-VALUE}).")
        String kind;

        @Option(names = "--repeat", defaultValue = "1", paramLabel = "R",
                description = "Runs R times in this JVM after one warm-up run, and prints each (default ${DEFAULT-VALUE}; 1 to 100).")
        int repeat;

        @Option(names = "--json", description = "Print exactly one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            concurrencylab.sharing.CounterKind chosen = concurrencylab.sharing.CounterKind.fromName(kind);
            if (repeat < 1 || repeat > 100) {
                throw new IllegalArgumentException("--repeat must be from 1 to 100 (got " + repeat + ")");
            }
            concurrencylab.sharing.Counters.run(chosen, threads, Math.min(increments, 1L << 21));   // warm-up, also checks the parameters
            java.util.List<concurrencylab.sharing.CounterRun> runs = new java.util.ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                runs.add(concurrencylab.sharing.Counters.run(chosen, threads, increments));
            }
            if (json) {
                java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
                out.put("kind", chosen.name());
                out.put("threads", threads);
                out.put("incrementsPerThread", increments);
                out.put("cpus", Runtime.getRuntime().availableProcessors());
                out.put("java", System.getProperty("java.version"));
                out.put("runs", runs.stream().map(concurrencylab.sharing.CounterRun::summary).toList());
                System.out.println(JsonText.of(out));
            } else {
                runs.forEach(System.out::println);
            }
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"Concurrency Lab " + (version == null ? "(development build)" : version)
                    + ", running on Java " + System.getProperty("java.version")};
        }
    }
}
