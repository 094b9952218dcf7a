package concurrencylab.producers;

import concurrencylab.runners.WorkerFailedException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The article's producer and consumers, on threads. The producer reads commands until "Start"
 * (any other is reported as unknown, and it waits a tick); each consumer waits until then, and
 * counts from 0 to 9, one number a tick. Two ways to wait:
 * <ul>
 * <li>{@link Style#POLLING}: the article's shape, with its lock bug fixed: a shared flag, read
 * under a lock once a tick; every look that finds it unset is a wasted wake-up, and is counted;
 * <li>{@link Style#WAITING}: the Java idiom: each consumer blocks on a {@link CountDownLatch}
 * until the producer opens it, and wakes exactly once.
 * </ul>
 * If the commands end without "Start", the consumers stop: nothing waits forever.
 *
 * <pre>{@code
 * ProducerConsumerRun run = ProducerConsumer.builder(Commands.script(Duration.ofMillis(300), "hello", "Start"))
 *         .consumers(2).tick(Duration.ofMillis(100)).style(ProducerConsumer.Style.WAITING).build().run();
 * }</pre>
 */
public final class ProducerConsumer {

    /** How the consumers wait for the start. */
    public enum Style {
        /** Look at a shared flag under a lock, once a tick. */
        POLLING,
        /** Block on a latch that the producer opens. */
        WAITING
    }

    /** What the producer says when a command is not "Start". */
    public static final String UNKNOWN = "unknown command";

    private static final long JOIN_MILLIS = 1_000;

    private final Commands commands;
    private final int consumers;
    private final Duration tick;
    private final int counts;
    private final Style style;
    private final boolean virtual;
    private final PrintStream out;
    private final CountAction onCount;

    /** What a consumer does at each count; the default prints "i from consumer k". */
    @FunctionalInterface
    public interface CountAction {
        /** Called by consumer {@code consumer} (from 1) for count {@code i} (from 0). */
        void count(int consumer, int i) throws Exception;
    }

    private ProducerConsumer(Builder builder) {
        this.commands = builder.commands;
        this.consumers = builder.consumers;
        this.tick = builder.tick;
        this.counts = builder.counts;
        this.style = builder.style;
        this.virtual = builder.virtual;
        this.out = builder.out;
        this.onCount = builder.onCount != null ? builder.onCount
                : (consumer, i) -> println(i + " from consumer " + consumer);
    }

    /** A builder for a run whose producer reads {@code commands}. */
    public static Builder builder(Commands commands) {
        return new Builder(Objects.requireNonNull(commands, "commands"));
    }

    /**
     * Runs the producer and the consumers and waits for all of them.
     *
     * @throws WorkerFailedException if a consumer's count action threw (the others were stopped);
     *     its cause is what was thrown, with its stack
     * @throws CancellationException if this thread was interrupted (every thread was stopped)
     */
    public ProducerConsumerRun run() {
        long t0 = System.nanoTime();
        ReentrantLock lock = new ReentrantLock();
        boolean[] flags = new boolean[2]; // [started, ended], under lock
        CountDownLatch opened = new CountDownLatch(1);
        AtomicLong wasted = new AtomicLong();
        // Lock-free, and println below holds no monitor of ours: with virtualThreads(true) these run on
        // virtual threads, which on JDK 21-23 pin their carrier inside synchronized.
        Queue<ProducerConsumerRun.Event> events = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Integer> failedConsumer = new AtomicReference<>(0);
        List<Thread> threads = new ArrayList<>();
        Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
        boolean[] sawStart = {false};

        Runnable producer = () -> {
            try {
                while (true) {
                    Optional<String> command = commands.next();
                    double at = millis(t0);
                    if (command.isEmpty()) {
                        println("producer: no more commands, and no Start: the consumers stop");
                        events.add(new ProducerConsumerRun.Event(0, "end of input", at, at));
                        break;
                    }
                    events.add(new ProducerConsumerRun.Event(0, command.get(), at, at));
                    if (command.get().strip().equalsIgnoreCase("start")) {
                        sawStart[0] = true;
                        break;
                    }
                    println("producer: " + UNKNOWN + " '" + command.get() + "' (type Start)");
                    Thread.sleep(tick);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                // Start, or the end of the input: either way the consumers may stop waiting.
                lock.lock();
                try {
                    flags[0] = sawStart[0];
                    flags[1] = true;
                } finally {
                    lock.unlock();
                }
                opened.countDown();
            }
        };
        threads.add(builder.name("producer").start(producer));

        for (int k = 1; k <= consumers; k++) {
            int consumer = k;
            threads.add(builder.name("consumer-" + k).start(() -> {
                try {
                    boolean started;
                    if (style == Style.POLLING) {
                        while (true) {
                            lock.lock();
                            boolean ended;
                            try {
                                started = flags[0];
                                ended = flags[1];
                            } finally {
                                lock.unlock();
                            }
                            if (started || ended) {
                                break;
                            }
                            double at = millis(t0);
                            events.add(new ProducerConsumerRun.Event(consumer, "poll", at, at));
                            wasted.incrementAndGet();
                            Thread.sleep(tick);
                        }
                    } else {
                        opened.await();
                        lock.lock();
                        try {
                            started = flags[0];
                        } finally {
                            lock.unlock();
                        }
                    }
                    if (!started) {
                        return;
                    }
                    for (int i = 0; i < counts; i++) {
                        double at = millis(t0);
                        onCount.count(consumer, i);
                        events.add(new ProducerConsumerRun.Event(consumer, Integer.toString(i), at, millis(t0)));
                        if (i < counts - 1) {
                            Thread.sleep(tick);
                        }
                    }
                } catch (InterruptedException e) {
                    // Stopped.
                } catch (Exception | Error e) {
                    if (failure.compareAndSet(null, e)) {
                        failedConsumer.set(consumer);
                        threads.forEach(Thread::interrupt);
                    }
                }
            }));
        }

        boolean interrupted = false;
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            threads.forEach(Thread::interrupt);
            long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000L;
            for (Thread thread : threads) {
                try {
                    thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    // Already stopping.
                }
            }
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: the producer and the consumers were stopped");
        }
        if (failure.get() != null) {
            Throwable cause = failure.get();
            throw new WorkerFailedException(failedConsumer.get(), "consumer " + failedConsumer.get() + " failed: " + cause
                    + "; the producer and the other consumers were stopped", cause);
        }
        List<ProducerConsumerRun.Event> all = new ArrayList<>(events);
        return new ProducerConsumerRun(style, virtual ? "virtual" : "platform", consumers, tick.toMillis(), counts,
                millis(t0), wasted.get(), all);
    }

    private void println(String line) {
        out.println(line); // one call: PrintStream keeps its line whole
    }

    private static double millis(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d consumer%s, %s, tick %d ms, commands from %s", consumers,
                consumers == 1 ? "" : "s", style.name().toLowerCase(Locale.ROOT), tick.toMillis(), commands);
    }

    /** Settings for a run; see {@link ProducerConsumer#builder}. */
    public static final class Builder {
        private final Commands commands;
        private int consumers = 2;
        private Duration tick = Duration.ofSeconds(1);
        private int counts = 10;
        private Style style = Style.WAITING;
        private boolean virtual;
        private PrintStream out = System.out;
        private CountAction onCount;

        private Builder(Commands commands) {
            this.commands = commands;
        }

        /**
         * How many consumers (the article's NUM_CONSUMERS; default 2).
         *
         * @throws IllegalArgumentException below 1 or above 10,000
         */
        public Builder consumers(int consumers) {
            if (consumers < 1 || consumers > 10_000) {
                throw new IllegalArgumentException("consumers must be between 1 and 10,000 (got " + consumers
                        + "): it is how many threads count once the producer says Start, e.g. 2");
            }
            this.consumers = consumers;
            return this;
        }

        /**
         * How long a tick is (default 1 s, the article's; smaller for quick runs).
         *
         * @throws IllegalArgumentException outside 1 ms to 10 s
         */
        public Builder tick(Duration tick) {
            Objects.requireNonNull(tick, "tick");
            if (tick.compareTo(Duration.ofMillis(1)) < 0 || tick.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("tick must be between 1 ms and 10 s (got " + tick.toMillis() + " ms)");
            }
            this.tick = tick;
            return this;
        }

        /**
         * How far each consumer counts (default 10: 0 to 9).
         *
         * @throws IllegalArgumentException below 1 or above 1,000
         */
        public Builder counts(int counts) {
            if (counts < 1 || counts > 1_000) {
                throw new IllegalArgumentException("counts must be between 1 and 1,000 (got " + counts + ")");
            }
            this.counts = counts;
            return this;
        }

        /** Polling a flag, as the article, or waiting on a latch (default). */
        public Builder style(Style style) {
            this.style = Objects.requireNonNull(style, "style");
            return this;
        }

        /** Run the producer and consumers on virtual threads instead of platform threads. */
        public Builder virtualThreads(boolean virtual) {
            this.virtual = virtual;
            return this;
        }

        /** Where the lines go (default System.out). */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "output");
            return this;
        }

        /** What a consumer does at each count, instead of printing its line. */
        public Builder onCount(CountAction action) {
            this.onCount = Objects.requireNonNull(action, "onCount");
            return this;
        }

        public ProducerConsumer build() {
            return new ProducerConsumer(this);
        }
    }
}
