package concurrencylab.runners;

/** A parent JVM for tests to kill: it starts two child JVMs that count for a long time. */
public final class ParentForTest {
    public static void main(String[] args) {
        System.out.println("parent started");
        Runner.run(Strategy.PROCESSES, 2, Task.count(Task.MAX_COUNT));
    }
}
