package concurrencylab.visibility;

import concurrencylab.runners.ChildJvms;
import java.lang.management.ManagementFactory;

/**
 * The child JVM of a {@link JitRace}: a reader spins on a flag in one of the {@link JitRace.Loop}
 * forms, the main thread sets the flag after a pause, and each event is printed with the
 * milliseconds since this JVM started (the clock {@code -XX:+PrintCompilation} uses), marked
 * {@code @race} so that the parent finds it even where the JIT's own output, which shares standard
 * output, cuts into the line.
 *
 * <p>Arguments: the loop's name, the pause before the write in ms, the time after which it gives
 * up in ms, and the parent's pid (the child halts if the parent goes). A reader still spinning when
 * it gives up cannot be stopped, so the JVM halts itself, after printing that it did.
 */
public final class JitRaceMain {

    private JitRaceMain() {}

    static final class PlainFlag {
        boolean started;
    }

    static final class VolatileFlag {
        volatile boolean started;
    }

    private static final long MAX_SPINS = Long.MAX_VALUE;
    static final PlainFlag PLAIN = new PlainFlag();
    static final VolatileFlag VOLATILE = new VolatileFlag();

    // Each loop is a method of its own, so that -XX:+PrintCompilation names it.
    static long spinPlain(PlainFlag flag) {
        long spins = 0;
        while (!flag.started && spins < MAX_SPINS) {
            spins++;
        }
        return spins;
    }

    static long spinDeadline(PlainFlag flag, long deadline) {
        long spins = 0;
        while (!flag.started && System.nanoTime() < deadline) {
            spins++;
        }
        return spins;
    }

    static long spinInterruptCheck(PlainFlag flag) {
        long spins = 0;
        while (!flag.started && !Thread.currentThread().isInterrupted()) {
            spins++;
        }
        return spins;
    }

    static long spinWork(PlainFlag flag) {
        long spins = 0;
        long x = 1;
        while (!flag.started) {         // the stop flag of a worker that computes something
            x = x * 6364136223846793005L + 1442695040888963407L;
            spins++;
        }
        return spins + (x == 42 ? 1 : 0);  // x is used, so the work stays
    }

    static long spinVolatile(VolatileFlag flag) {
        long spins = 0;
        while (!flag.started && spins < MAX_SPINS) {
            spins++;
        }
        return spins;
    }

    public static void main(String[] args) throws InterruptedException {
        JitRace.Loop loop = JitRace.Loop.valueOf(args[0]);
        long writeAfter = Long.parseLong(args[1]);
        long giveUp = Long.parseLong(args[2]);
        ChildJvms.watchParent(Long.parseLong(args[3]));
        var runtime = ManagementFactory.getRuntimeMXBean();
        long base = System.nanoTime() - runtime.getUptime() * 1_000_000;
        Thread reader = new Thread(() -> {
            System.out.println("@race start " + ms(base));
            long deadline = System.nanoTime() + (writeAfter + giveUp / 2) * 1_000_000;
            long spins = switch (loop) {
                case PLAIN -> spinPlain(PLAIN);
                case DEADLINE -> spinDeadline(PLAIN, deadline);
                case INTERRUPT_CHECK -> spinInterruptCheck(PLAIN);
                case WORK -> spinWork(PLAIN);
                case VOLATILE -> spinVolatile(VOLATILE);
            };
            // The deadline loop also ends at its deadline, half the give-up time after the write: that is not seeing it.
            boolean saw = loop == JitRace.Loop.VOLATILE ? VOLATILE.started
                    : loop == JitRace.Loop.DEADLINE ? System.nanoTime() < deadline : PLAIN.started;
            System.out.println("@race ended " + ms(base) + " " + saw + " " + spins);
        }, "reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(writeAfter);
        System.out.println("@race wrote " + ms(base));
        if (loop == JitRace.Loop.VOLATILE) {
            VOLATILE.started = true;
        } else {
            PLAIN.started = true;
        }
        reader.join(giveUp);
        if (reader.isAlive()) {
            System.out.println("@race halted " + ms(base));
            System.out.flush();
            Runtime.getRuntime().halt(0);   // the spinning reader cannot be interrupted
        }
    }

    private static long ms(long base) {
        return (System.nanoTime() - base) / 1_000_000;
    }
}
