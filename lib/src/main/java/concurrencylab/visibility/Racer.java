package concurrencylab.visibility;

import concurrencylab.visibility.Outcomes.Expect;
import concurrencylab.visibility.Outcomes.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Races two threads over many small objects and counts what the second one saw, as OpenJDK's
 * jcstress does: each round has a fresh object, one thread (the writer) runs one side of the test
 * on it, the other (the reader) the other side, and the values the reader got are its outcome.
 *
 * <table class="striped">
 * <caption>The two races</caption>
 * <thead><tr><th>race</th><th>writer</th><th>reader</th><th>the outcome to look for</th></tr></thead>
 * <tbody>
 * <tr><td>{@link #publication}</td><td>{@code box.config = new Config()}, whose constructor sets four
 *     fields to 1</td><td>reads {@code box.config}, then its four fields</td><td>a config whose
 *     fields are still 0: an object seen half-built</td></tr>
 * <tr><td>{@link #storeBuffering}</td><td>{@code x = 1; r1 = y;}</td><td>{@code y = 1; r2 = x;}</td>
 *     <td>{@code r1 == 0 && r2 == 0}: each thread's read went ahead of its own write</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Contract: runs {@code rounds} rounds, in batches of {@value #BATCH} objects, or fewer when the
 * time limit passes or the calling thread is interrupted (the result says which, and the interrupt
 * status stays set); each batch takes well under a millisecond, so either stops it within one. The
 * writer is one platform thread, the calling thread is the reader; the writer has ended when a
 * method returns or throws. Every round's outcome is stored and counted afterwards, so the JIT
 * cannot drop the reads or writes we count, and the counts must add up to the rounds run
 * ({@link Outcomes} checks it).
 *
 * <p>What it does not do: it does not pin the threads to CPUs, vary the JVM's flags or run for
 * hours, as jcstress does; a count of zero says only that this run did not see an outcome. On one
 * CPU the two threads take turns, so a reordering inside the CPU cannot show at all.
 *
 * <pre>{@code
 * Outcomes plain = Racer.publication(Racer.Publish.PLAIN, 10_000_000, Duration.ofSeconds(10));
 * plain.count("some field 0")    // half-built configs the reader saw
 * }</pre>
 */
public final class Racer {

    /** Objects a batch races over: one allocation of this many, then both threads through them. */
    public static final int BATCH = 1 << 14;
    /** The most rounds one call runs. */
    public static final long MAX_ROUNDS = 10_000_000_000L;

    /** How {@link #publication} declares the box's field and the config's fields. */
    public enum Publish {
        /** A plain field holding a config with plain fields: the racy publication. */
        PLAIN("plain field, plain fields"),
        /** A plain field holding a config with final fields: JLS 17.5 promises a whole config. */
        FINAL("plain field, final fields"),
        /** A volatile field holding a config with plain fields: a safe publication. */
        VOLATILE("volatile field, plain fields");

        private final String label;

        Publish(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** How {@link #storeBuffering} declares x and y. */
    public enum Fields {
        /** Plain int fields. */
        PLAIN("plain fields"),
        /** Volatile int fields: sequentially consistent, so (0, 0) is forbidden. */
        VOLATILE("volatile fields");

        private final String label;

        Fields(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private Racer() {}

    /**
     * The racy publication: the writer stores a new config in each box, the reader reads the box
     * and the config's four fields.
     *
     * @throws IllegalArgumentException if rounds is not between 1 and {@value #MAX_ROUNDS}, or the
     *     limit is not more than zero and at most ten minutes
     */
    public static Outcomes publication(Publish how, long rounds, Duration limit) {
        Expect halfBuilt = how == Publish.PLAIN ? Expect.ACCEPTABLE_INTERESTING : Expect.FORBIDDEN;
        List<Outcome> names = List.of(
                new Outcome("null", Expect.ACCEPTABLE, "the reader came first: nothing published yet", 0),
                new Outcome("1, 1, 1, 1", Expect.ACCEPTABLE, "a whole config", 0),
                new Outcome("some field 0", halfBuilt, how == Publish.PLAIN
                        ? "a config seen half-built: allowed for plain fields, seen here or not"
                        : "a config seen half-built: forbidden here", 0));
        Batch batch = switch (how) {
            case PLAIN -> new PlainPublication();
            case FINAL -> new FinalPublication();
            case VOLATILE -> new VolatilePublication();
        };
        return race("publication", how.toString(), names, batch, rounds, limit);
    }

    /**
     * Store buffering (Dekker's test): in each round one thread writes x and reads y, the other
     * writes y and reads x.
     *
     * @throws IllegalArgumentException if rounds is not between 1 and {@value #MAX_ROUNDS}, or the
     *     limit is not more than zero and at most ten minutes
     */
    public static Outcomes storeBuffering(Fields how, long rounds, Duration limit) {
        List<Outcome> names = List.of(
                new Outcome("0, 0", how == Fields.PLAIN ? Expect.ACCEPTABLE_INTERESTING : Expect.FORBIDDEN,
                        how == Fields.PLAIN ? "each read went ahead of its own thread's write: allowed for plain fields"
                                : "each read went ahead of its own thread's write: forbidden for volatile", 0),
                new Outcome("0, 1", Expect.ACCEPTABLE, "the writer thread ran first", 0),
                new Outcome("1, 0", Expect.ACCEPTABLE, "the reader thread ran first", 0),
                new Outcome("1, 1", Expect.ACCEPTABLE, "the two ran at the same moment", 0));
        Batch batch = how == Fields.PLAIN ? new PlainBuffering() : new VolatileBuffering();
        return race("store buffering", how.toString(), names, batch, rounds, limit);
    }

    /** One batch of rounds: fresh objects, the writer's side, the reader's side, then the count. */
    interface Batch {
        void prepare(int n);

        void writer(int n);

        void reader(int n);

        /** Adds each round's outcome (an index into the test's outcomes) to the tally. */
        void count(int n, long[] tally);
    }

    private static Outcomes race(String test, String variant, List<Outcome> names, Batch batch, long rounds,
                                 Duration limit) {
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("rounds must be between 1 and " + MAX_ROUNDS + " (got " + rounds + ")");
        }
        if (limit == null || limit.isNegative() || limit.isZero() || limit.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("the time limit must be more than zero and at most 10 minutes (got " + limit + ")");
        }
        long[] tally = new long[names.size()];
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        int[] size = new int[1];   // written before start.await(), read after it: the barrier orders them
        Thread writer = Thread.ofPlatform().name("racer-writer").daemon().start(() -> {
            try {
                while (true) {
                    start.await();
                    if (size[0] == 0) {
                        return;
                    }
                    batch.writer(size[0]);
                    end.await();
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                // The reader stopped the race.
            }
        });
        long begin = System.nanoTime();
        long deadline = begin + limit.toNanos();
        long done = 0;
        String stopped = null;
        try {
            while (done < rounds) {
                if (Thread.currentThread().isInterrupted()) {
                    stopped = "an interrupt";
                    break;
                }
                if (System.nanoTime() > deadline) {
                    stopped = "the time limit";
                    break;
                }
                int n = (int) Math.min(BATCH, rounds - done);
                batch.prepare(n);
                size[0] = n;
                start.await();
                batch.reader(n);
                end.await();
                batch.count(n, tally);
                done += n;
            }
            size[0] = 0;
            if (stopped == null) {
                start.await();          // tells the writer there is no next batch
            }
        } catch (InterruptedException e) {
            stopped = "an interrupt";
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("the racer's writer thread stopped unexpectedly", e);
        } finally {
            writer.interrupt();
            boolean interrupted = Thread.interrupted();
            try {
                writer.join();     // it is at a barrier or inside a batch: it ends at once
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        List<Outcome> counted = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Outcome o = names.get(i);
            counted.add(new Outcome(o.name(), o.expect(), o.meaning(), tally[i]));
        }
        return new Outcomes(test, variant, counted, done, java.time.Duration.ofNanos(System.nanoTime() - begin),
                Runtime.getRuntime().availableProcessors(), stopped);
    }

    // The config whose fields the constructor sets; the reader sums them (4: whole).
    static final class PlainConfig {
        int a;
        int b;
        int c;
        int d;

        PlainConfig() {
            a = 1;
            b = 1;
            c = 1;
            d = 1;
        }
    }

    static final class FinalConfig {
        final int a;
        final int b;
        final int c;
        final int d;

        FinalConfig() {
            a = 1;
            b = 1;
            c = 1;
            d = 1;
        }
    }

    static final class PlainBox {
        PlainConfig config;
    }

    static final class FinalBox {
        FinalConfig config;
    }

    static final class VolatileBox {
        volatile PlainConfig config;
    }

    /** Outcome index of a sum read by the reader: -1 null, 4 whole, anything else half-built. */
    static int publicationOutcome(int sum) {
        return sum < 0 ? 0 : sum == 4 ? 1 : 2;
    }

    static void countPublication(int[] seen, int n, long[] tally) {
        for (int i = 0; i < n; i++) {
            tally[publicationOutcome(seen[i])]++;
        }
    }

    static final class PlainPublication implements Batch {
        private PlainBox[] boxes = new PlainBox[0];
        private int[] seen = new int[0];

        public void prepare(int n) {
            boxes = new PlainBox[n];
            for (int i = 0; i < n; i++) {
                boxes[i] = new PlainBox();
            }
            seen = new int[n];
        }

        public void writer(int n) {
            PlainBox[] b = boxes;
            for (int i = 0; i < n; i++) {
                b[i].config = new PlainConfig();
            }
        }

        public void reader(int n) {
            PlainBox[] b = boxes;
            int[] s = seen;
            for (int i = 0; i < n; i++) {
                PlainConfig c = b[i].config;
                s[i] = c == null ? -1 : c.a + c.b + c.c + c.d;
            }
        }

        public void count(int n, long[] tally) {
            countPublication(seen, n, tally);
        }
    }

    static final class FinalPublication implements Batch {
        private FinalBox[] boxes = new FinalBox[0];
        private int[] seen = new int[0];

        public void prepare(int n) {
            boxes = new FinalBox[n];
            for (int i = 0; i < n; i++) {
                boxes[i] = new FinalBox();
            }
            seen = new int[n];
        }

        public void writer(int n) {
            FinalBox[] b = boxes;
            for (int i = 0; i < n; i++) {
                b[i].config = new FinalConfig();
            }
        }

        public void reader(int n) {
            FinalBox[] b = boxes;
            int[] s = seen;
            for (int i = 0; i < n; i++) {
                FinalConfig c = b[i].config;
                s[i] = c == null ? -1 : c.a + c.b + c.c + c.d;
            }
        }

        public void count(int n, long[] tally) {
            countPublication(seen, n, tally);
        }
    }

    static final class VolatilePublication implements Batch {
        private VolatileBox[] boxes = new VolatileBox[0];
        private int[] seen = new int[0];

        public void prepare(int n) {
            boxes = new VolatileBox[n];
            for (int i = 0; i < n; i++) {
                boxes[i] = new VolatileBox();
            }
            seen = new int[n];
        }

        public void writer(int n) {
            VolatileBox[] b = boxes;
            for (int i = 0; i < n; i++) {
                b[i].config = new PlainConfig();
            }
        }

        public void reader(int n) {
            VolatileBox[] b = boxes;
            int[] s = seen;
            for (int i = 0; i < n; i++) {
                PlainConfig c = b[i].config;
                s[i] = c == null ? -1 : c.a + c.b + c.c + c.d;
            }
        }

        public void count(int n, long[] tally) {
            countPublication(seen, n, tally);
        }
    }

    static final class PlainXY {
        int x;
        int y;
    }

    static final class VolatileXY {
        volatile int x;
        volatile int y;
    }

    static void countBuffering(int[] r1, int[] r2, int n, long[] tally) {
        for (int i = 0; i < n; i++) {
            tally[r1[i] * 2 + r2[i]]++;   // (0,0) (0,1) (1,0) (1,1)
        }
    }

    static final class PlainBuffering implements Batch {
        private PlainXY[] boxes = new PlainXY[0];
        private int[] r1 = new int[0];
        private int[] r2 = new int[0];

        public void prepare(int n) {
            boxes = new PlainXY[n];
            for (int i = 0; i < n; i++) {
                boxes[i] = new PlainXY();
            }
            r1 = new int[n];
            r2 = new int[n];
        }

        public void writer(int n) {
            PlainXY[] b = boxes;
            int[] r = r1;
            for (int i = 0; i < n; i++) {
                b[i].x = 1;
                r[i] = b[i].y;
            }
        }

        public void reader(int n) {
            PlainXY[] b = boxes;
            int[] r = r2;
            for (int i = 0; i < n; i++) {
                b[i].y = 1;
                r[i] = b[i].x;
            }
        }

        public void count(int n, long[] tally) {
            countBuffering(r1, r2, n, tally);
        }
    }

    static final class VolatileBuffering implements Batch {
        private VolatileXY[] boxes = new VolatileXY[0];
        private int[] r1 = new int[0];
        private int[] r2 = new int[0];

        public void prepare(int n) {
            boxes = new VolatileXY[n];
            for (int i = 0; i < n; i++) {
                boxes[i] = new VolatileXY();
            }
            r1 = new int[n];
            r2 = new int[n];
        }

        public void writer(int n) {
            VolatileXY[] b = boxes;
            int[] r = r1;
            for (int i = 0; i < n; i++) {
                b[i].x = 1;
                r[i] = b[i].y;
            }
        }

        public void reader(int n) {
            VolatileXY[] b = boxes;
            int[] r = r2;
            for (int i = 0; i < n; i++) {
                b[i].y = 1;
                r[i] = b[i].x;
            }
        }

        public void count(int n, long[] tally) {
            countBuffering(r1, r2, n, tally);
        }
    }
}
