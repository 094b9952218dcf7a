package concurrencylab.workloads;

import java.util.Locale;

/**
 * A program that counts and says so: the child process of lesson 02's plain-Java version of
 * the article's first program.
 *
 * <pre>{@code java -cp concurrency-lab.jar concurrencylab.workloads.CountMain 100000000}</pre>
 */
public final class CountMain {

    private CountMain() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CountMain MAX_COUNT");
            System.exit(2);
        }
        long start = System.nanoTime();
        long counted = Workloads.count(Long.parseLong(args[0].replace("_", "")));
        System.out.printf(Locale.ROOT, "Finished counting to %,d in process %d (%.0f ms)%n",
                counted, ProcessHandle.current().pid(), (System.nanoTime() - start) / 1e6);
    }
}
