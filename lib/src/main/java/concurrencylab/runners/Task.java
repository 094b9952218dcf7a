package concurrencylab.runners;

import concurrencylab.workloads.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The work every worker of a run does. A task is described by value, not by code, so that a
 * child JVM can rebuild it from its command line: a lambda written in a notebook cell exists
 * only in the kernel's JVM, and cannot be sent to another one.
 */
public sealed interface Task permits Task.Count, Task.Sleep, Task.Custom {

    /** Most increments one worker may be asked for: about two minutes of counting here. */
    long MAX_COUNT = 1_000_000_000_000L;

    /** Counts to {@code maxCount} with {@link Workloads#count}; the result must equal it. */
    static Task count(long maxCount) {
        return new Count(maxCount);
    }

    /** Sleeps for {@code duration}; the result is the duration in milliseconds. */
    static Task sleep(Duration duration) {
        return new Sleep(duration);
    }

    /**
     * Code written in a cell, compiled now so that child JVMs can load it: {@code source} must
     * declare a public class implementing {@link java.util.function.LongUnaryOperator}, and each
     * worker returns {@code applyAsLong(argument)}. Works with every strategy.
     *
     * @throws IllegalArgumentException if the source does not compile (each error with its line)
     */
    static Task compiled(String source, long argument) {
        java.util.Objects.requireNonNull(source, "source");
        String className = CompiledCode.className(source, "public class Squares implements java.util.function.LongUnaryOperator");
        return new Compiled(className, CompiledCode.compile(source, className).toString(), argument);
    }

    /**
     * A function of this JVM: a lambda or an object made in a cell. Threads can run it; a child
     * JVM cannot, since the code exists only in the kernel's memory, so the PROCESSES strategy
     * rejects it (use {@link #compiled} there).
     */
    static Task of(java.util.function.LongUnaryOperator function, long argument) {
        return new Function(java.util.Objects.requireNonNull(function, "function"), argument);
    }

    /** Runs the task in this JVM and returns its result. */
    long run(WorkerContext context);

    /** Units of work, for progress: increments for a count, milliseconds for a sleep. */
    long units();

    /** The result a correct run must produce. */
    long expectedResult();

    /** False for code the lab did not write: its result is shown, not checked. */
    default boolean checksResult() {
        return true;
    }

    /** The command-line words that rebuild this task in a child JVM (see {@link #fromArgs}). */
    List<String> toArgs();

    /** A short description, e.g. "count(100,000,000)". */
    String describe();

    /**
     * Rebuilds a task from {@link #toArgs()}.
     *
     * @throws IllegalArgumentException if the words do not describe a task
     */
    static Task fromArgs(List<String> args) {
        if (args.size() == 2 && args.get(0).equals("count")) {
            return count(Long.parseLong(args.get(1)));
        }
        if (args.size() == 2 && args.get(0).equals("sleep")) {
            return sleep(Duration.ofMillis(Long.parseLong(args.get(1))));
        }
        if (args.size() == 4 && args.get(0).equals("compiled")) {
            return new Compiled(args.get(2), args.get(1), Long.parseLong(args.get(3)));
        }
        throw new IllegalArgumentException("not a task: " + args + " (expected: count N, or sleep MILLIS)");
    }

    /** Counting: see {@link Workloads#count(long, concurrencylab.workloads.Checkpoint)}. */
    record Count(long maxCount) implements Task {
        public Count {
            if (maxCount < 1 || maxCount > MAX_COUNT) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "maxCount must be between 1 and %,d (got %,d): e.g. 100_000_000 takes a few hundredths of a second",
                        MAX_COUNT, maxCount));
            }
        }

        @Override
        public long run(WorkerContext context) {
            return Workloads.count(maxCount, context::checkpoint);
        }

        @Override
        public long units() {
            return maxCount;
        }

        @Override
        public long expectedResult() {
            return maxCount;
        }

        @Override
        public List<String> toArgs() {
            return List.of("count", Long.toString(maxCount));
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "count(%,d)", maxCount);
        }
    }

    /** Waiting: see {@link Workloads#sleep(Duration)}. */
    record Sleep(Duration duration) implements Task {
        public Sleep {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("sleep must be between 0 and 1 hour (got " + duration + ")");
            }
        }

        @Override
        public long run(WorkerContext context) {
            context.blocking(() -> Workloads.sleep(duration));
            context.checkpoint(duration.toMillis());
            return duration.toMillis();
        }

        @Override
        public long units() {
            return Math.max(1, duration.toMillis());
        }

        @Override
        public long expectedResult() {
            return duration.toMillis();
        }

        @Override
        public List<String> toArgs() {
            return List.of("sleep", Long.toString(duration.toMillis()));
        }

        @Override
        public String describe() {
            return "sleep(" + duration.toMillis() + " ms)";
        }
    }

    /**
     * Code the lab did not write, applied to one argument: one unit of work, and a result that is
     * shown rather than checked.
     */
    sealed interface Custom extends Task permits Compiled, Function {

        /** The argument each worker applies the code to. */
        long argument();

        /** Makes the code to run, in the JVM that runs it. */
        java.util.function.LongUnaryOperator code();

        @Override
        default long run(WorkerContext context) {
            long result = code().applyAsLong(argument());
            context.checkpoint(1);
            return result;
        }

        @Override
        default long units() {
            return 1;
        }

        @Override
        default long expectedResult() {
            return 0;
        }

        @Override
        default boolean checksResult() {
            return false;
        }
    }

    /** A class compiled from a cell's source: see {@link Task#compiled(String, long)}. */
    record Compiled(String className, String folder, long argument) implements Custom {
        @Override
        public java.util.function.LongUnaryOperator code() {
            return CompiledCode.load(java.nio.file.Path.of(folder), className, java.util.function.LongUnaryOperator.class);
        }

        @Override
        public List<String> toArgs() {
            return List.of("compiled", folder, className, Long.toString(argument));
        }

        @Override
        public String describe() {
            return className + "(" + argument + ")";
        }
    }

    /** A function of this JVM: see {@link Task#of}. */
    record Function(java.util.function.LongUnaryOperator function, long argument) implements Custom {
        @Override
        public java.util.function.LongUnaryOperator code() {
            return function;
        }

        @Override
        public List<String> toArgs() {
            throw new IllegalArgumentException(CANNOT_SHIP);
        }

        @Override
        public String describe() {
            return "function(" + argument + ")";
        }

        static final String CANNOT_SHIP = "a lambda or an object made in a cell exists only in this kernel's JVM, and a "
                + "child JVM cannot load its code (this is Java's face of Python's rule that a process's target must "
                + "be importable). Write it as a public class in a String and use Task.compiled(source, argument), "
                + "or use threads, which share this JVM's memory";
    }
}
