package concurrencylab.pools;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A pool whose workers are platform threads of this JVM: see {@link Pool#threads}. */
final class ThreadPool extends Pool {

    private static final long JOIN_MILLIS = 1_000;

    private final List<Thread> threads = new ArrayList<>();

    ThreadPool(int workers, PrintStream out, Duration timeout) {
        super(workers, out, timeout);
    }

    @Override
    public Kind kind() {
        return Kind.THREADS;
    }

    @Override
    void startWorkers() {
        long t0 = System.nanoTime();
        for (int w = 1; w <= workers; w++) {
            Slot slot = new Slot(w, 1);
            // Daemons, so that a function that ignores interrupts cannot keep the JVM alive.
            threads.add(Thread.ofPlatform().daemon().name("pool-thread-" + w).start(() -> work(slot)));
        }
        started((System.nanoTime() - t0) / 1e6);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void work(Slot slot) {
        try {
            Chunk chunk;
            while ((chunk = take(slot, true)) != null) {
                PoolFunction function = (PoolFunction) chunk.function;
                List<Object> results = new ArrayList<>(chunk.inputs.size());
                long start = epochMicros();
                int at = 0;
                try {
                    for (; at < chunk.inputs.size(); at++) {
                        results.add(function.apply(chunk.inputs.get(at)));
                    }
                } catch (Exception | Error e) {
                    if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
                        throw fatal;
                    }
                    failed(slot, chunk.id, at, e, start, epochMicros());
                    continue;
                }
                finished(slot, List.of(new Done(chunk.id, results, start, epochMicros())));
            }
        } catch (InterruptedException e) {
            // Terminated while waiting for work.
        }
    }

    @Override
    void stopWorkers(boolean now) {
        if (now) {
            threads.forEach(Thread::interrupt);
        }
        long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000L * (now ? 1 : 5);
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0 && thread != Thread.currentThread()) {
                try {
                    thread.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    void checkInput(Object input, long index) {
        requireInput(input, index);
    }

    @Override
    Object prepare(PoolFunction<?, ?> function) {
        return function;
    }
}
