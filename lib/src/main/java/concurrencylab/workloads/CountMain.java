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

    /** Halts as soon as the process that started this one is gone, so no orphan keeps counting. */
    private static void endWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> Thread.ofPlatform().daemon().start(() -> {
            try {
                while (parent.isAlive()
                        && ProcessHandle.current().parent().map(p -> p.pid() == parent.pid()).orElse(false)) {
                    Thread.sleep(250);
                }
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }));
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CountMain MAX_COUNT");
            System.exit(2);
        }
        endWithParent();
        long start = System.nanoTime();
        long counted = Workloads.count(Long.parseLong(args[0].replace("_", "")));
        System.out.printf(Locale.ROOT, "Finished counting to %,d in process %d (%.0f ms)%n",
                counted, ProcessHandle.current().pid(), (System.nanoTime() - start) / 1e6);
    }
}
