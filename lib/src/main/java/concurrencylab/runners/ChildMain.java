package concurrencylab.runners;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of a child JVM started by the {@code PROCESSES} strategy: it rebuilds its
 * task from the command line, runs it, and reports to the parent on standard output with lines
 * that begin with {@value #PREFIX}; every other line it prints reaches the parent's cell.
 *
 * <p>The child checks four times a second that the process that started it is still its
 * parent: when the parent JVM ends, for whatever reason (a kernel killed or restarted), the
 * child halts, so no child outlives the kernel that started it. (It does not wait on standard
 * input for this: a thread blocked in a native read delays every JVM exit by 0.3 s.)
 *
 * <pre>{@code java -cp concurrency-lab.jar concurrencylab.runners.ChildMain --parent 4242 --worker 1 count 1000000}</pre>
 */
public final class ChildMain {

    /** Marks the lines that the parent reads rather than shows. */
    public static final String PREFIX = "@lab:";

    private static final long PROGRESS_PERIOD_NANOS = 100_000_000L;

    private ChildMain() {}

    public static void main(String[] args) {
        long mainMicros = Clocks.epochMicros();
        PrintStream out = System.out;
        if (args.length < 5 || !args[0].equals("--parent") || !args[2].equals("--worker")) {
            System.err.println("usage: ChildMain --parent PID --worker N count MAX | sleep MILLIS (got "
                    + Arrays.toString(args) + ")");
            System.exit(2);
        }
        ChildJvms.watchParent(Long.parseLong(args[1]));
        int worker = Integer.parseInt(args[3]);
        Task task = Task.fromArgs(List.of(args).subList(4, args.length));
        report(out, "start " + mainMicros);

        long[] lastReport = {System.nanoTime()};
        WorkerContext context = new WorkerContext() {
            @Override
            public int worker() {
                return worker;
            }

            @Override
            public void checkpoint(long done) {
                long now = System.nanoTime();
                if (now - lastReport[0] >= PROGRESS_PERIOD_NANOS) {
                    lastReport[0] = now;
                    report(out, "progress " + done);
                }
            }

            @Override
            public void blocking(Runnable action) {
                action.run();
            }
        };
        long start = Clocks.epochMicros();
        long result = task.run(context);
        long end = Clocks.epochMicros();
        report(out, "result " + result + " " + start + " " + end + " " + Clocks.processCpuNanos());
        out.flush();
        System.exit(0);
    }

    private static void report(PrintStream out, String line) {
        synchronized (out) {
            out.println(PREFIX + line);
            out.flush();
        }
    }
}
