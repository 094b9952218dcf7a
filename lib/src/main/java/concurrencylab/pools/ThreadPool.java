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
            while (true) {
                // A task may have left the interrupt flag set; it must not stop this worker. (A
                // terminate sets the pool's state before it interrupts, so take() still sees it.)
                Thread.interrupted();
                Chunk chunk = take(slot, true);
                if (chunk == null) {
                    break;
                }
                PoolFunction function = (PoolFunction) chunk.function;
                List<Object> results = new ArrayList<>(chunk.inputs.size());
                long start = epochMicros();
                int at = 0;
                try {
                    for (; at < chunk.inputs.size(); at++) {
                        results.add(function.apply(chunk.inputs.get(at)));
                    }
                } catch (Exception | Error e) {
                    // Errors too (an OutOfMemoryError, say): the call fails, the worker carries on.
                    failed(slot, chunk.id, at, e, start, epochMicros());
                    continue;
                }
                finished(slot, List.of(new Done(chunk.id, results, start, epochMicros())));
            }
        } catch (InterruptedException e) {
            // Terminated while waiting for work.
        } catch (RuntimeException | Error e) {
            internalError(slot, e);
        }
    }

    @Override
    void stopWorkers(boolean now) {
        if (now) {
            threads.forEach(Thread::interrupt);
        }
        joinAll(threads, System.nanoTime() + JOIN_MILLIS * 1_000_000L * (now ? 1 : 5));
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
