package concurrencylab;

import java.time.Duration;
import java.util.List;

/** For tests: the child processes of this JVM that are still alive. */
public final class ChildProcesses {

    private ChildProcesses() {}

    /** Waits up to {@code limit} for this JVM's child processes to end; returns those still alive. */
    public static List<ProcessHandle> waitUntilNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<ProcessHandle> alive = alive();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alive = alive();
        }
        return alive;
    }

    /** This JVM's child processes that are alive now. */
    public static List<ProcessHandle> alive() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }
}
