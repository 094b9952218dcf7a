package concurrencylab.sharing;

import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ways a thread can add 1 to a number other threads also add to, each written the way a
 * Java program would write it, and each an honest workload: every increment is a real read
 * and a real write of memory, which the JIT may not merge or remove.
 *
 * <p>How we keep the JIT honest. A plain {@code value++} in a loop may be kept in a register
 * and written once (lesson 03's trap), so the racy counter is the one a first attempt writes,
 * a {@code volatile} field and {@code value++}: every increment is then a real read and a real
 * write of memory, which the JIT may neither merge nor remove, and it still races. (Weaker
 * modes are not enough: with {@link VarHandle#setRelease} or {@link VarHandle#setOpaque} the
 * JDK 25 JIT here made under a fifth of a nanosecond per increment, less than one add a
 * clock cycle, so it had merged them.) The locked kinds do {@code value++} inside their lock,
 * with opaque access, and {@code synchronized} reads a {@code volatile} field between one
 * increment's block and the next: without that read, the JDK 25 JIT here merged neighbouring
 * synchronized blocks of its unrolled loop (lock coarsening), and one thread ran twice as
 * fast as with {@code -XX:-EliminateLocks}; with it, both flags give the same rate, one lock
 * taken per increment. (A {@code ReentrantLock} is not coarsened: its rate is the same either
 * way.) Per-thread sums
 * are a local {@code long} each, counted with lesson 03's honest loop (every increment
 * compared with a value the JIT cannot know); the JIT unrolls that loop and checks several
 * counts a cycle, about 0.2 ns an increment, each one still made and compared.
 * The evidence is in the results: the racy counter loses updates, which merged increments
 * would not, and the shared kinds stay at several nanoseconds an increment or more.
 *
 * <p>What this does not model: a counter read while others add to it (every total is read
 * after the threads have ended); fairness; false sharing between unrelated fields (each shared
 * counter sits alone, padded to its own cache line).
 *
 * <pre>{@code
 * Counters.run(CounterKind.LONG_ADDER, 4, 1_000_000).lost();   // 0
 * CounterKind.fromName("atomic-long");                          // ATOMIC_LONG
 * }</pre>
 */
public enum CounterKind {
    /** {@code value++} on a {@code volatile} field, no lock: a read, then a write; two threads can read the same value, and one update is lost. */
    RACY("racy (volatile value++)"),
    /** The read and the write inside {@code synchronized}: exact; threads queue for one monitor. */
    SYNCHRONIZED("synchronized"),
    /** The same inside {@code ReentrantLock.lock()} / {@code unlock()}: exact; threads queue for one lock. */
    REENTRANT_LOCK("ReentrantLock"),
    /** {@code AtomicLong.incrementAndGet()}: one atomic read-modify-write; exact. */
    ATOMIC_LONG("AtomicLong"),
    /** {@code LongAdder.increment()}: cells that threads spread over, summed by {@code sum()}; exact once the adds end. */
    LONG_ADDER("LongAdder"),
    /** Each thread adds to a counter of its own; the caller sums them after {@code join}: exact, nothing shared. */
    PER_THREAD("per-thread sums");

    private final String label;

    CounterKind(String label) {
        this.label = label;
    }

    /** How charts and tables name this kind, e.g. "AtomicLong". */
    public String label() {
        return label;
    }

    /** True if every total of this kind must be exact (all but {@link #RACY}). */
    public boolean exact() {
        return this != RACY;
    }

    /**
     * The kind named {@code name}: its constant name or label, any case, {@code -} or {@code _}
     * alike ("atomic-long", "AtomicLong", "per_thread").
     *
     * @throws IllegalArgumentException naming the kinds, if none matches
     */
    public static CounterKind fromName(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (CounterKind kind : values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(wanted)
                    || kind.label.toLowerCase(Locale.ROOT).equals(wanted)
                    || kind.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted.replace("_", ""))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no counter kind '" + name + "': use racy, synchronized, reentrant-lock, "
                + "atomic-long, long-adder or per-thread");
    }

    /** One counter of this kind, shared by the threads of one run. */
    Shared newShared() {
        return switch (this) {
            case RACY, PER_THREAD -> new Shared(null);
            case SYNCHRONIZED -> new Shared(new Object());
            case REENTRANT_LOCK -> new Shared(new ReentrantLock());
            case ATOMIC_LONG -> new Shared(new AtomicLong());
            case LONG_ADDER -> new Shared(new LongAdder());
        };
    }

    /**
     * The shared state of one run: a padded {@code long} and, for the kinds that need it, the
     * lock or atomic. Padding keeps the value alone on its cache line (64 bytes on x86; 128
     * covers machines that fetch lines in pairs).
     */
    static final class Shared {
        @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
        private volatile long racy;
        private long value;
        @SuppressWarnings("unused") private long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
        final Object tool;

        Shared(Object tool) {
            this.tool = tool;
        }

        /** The shared total, read after every thread has ended (per-thread sums are added by the caller). */
        long total() {
            if (tool instanceof AtomicLong a) {
                return a.get();
            }
            if (tool instanceof LongAdder a) {
                return a.sum();
            }
            return racy + (long) VALUE.getVolatile(this);   // one of the two is 0
        }
    }

    /**
     * Adds 1 to {@code shared} {@code increments} times in this kind's way and returns -1; for
     * {@link #PER_THREAD}, adds to a local {@code long} starting at {@code own} instead and
     * returns it.
     */
    long addOnes(Shared shared, long own, int increments) {
        switch (this) {
            case RACY -> {
                for (int i = 0; i < increments; i++) {
                    shared.racy++;                   // a volatile read, then a volatile write: not atomic
                }
            }
            case SYNCHRONIZED -> {
                Object monitor = shared.tool;
                for (int i = 0; i < increments; i++) {
                    synchronized (monitor) {
                        VALUE.setOpaque(shared, (long) VALUE.getOpaque(shared) + 1);
                    }
                    if (apart != 0) {                // a volatile read between two lock regions: the JIT may not merge them
                        escaped = i;
                    }
                }
            }
            case REENTRANT_LOCK -> {
                ReentrantLock lock = (ReentrantLock) shared.tool;
                for (int i = 0; i < increments; i++) {
                    lock.lock();
                    try {
                        VALUE.setOpaque(shared, (long) VALUE.getOpaque(shared) + 1);
                    } finally {
                        lock.unlock();
                    }
                }
            }
            case ATOMIC_LONG -> {
                AtomicLong atomic = (AtomicLong) shared.tool;
                for (int i = 0; i < increments; i++) {
                    atomic.incrementAndGet();
                }
            }
            case LONG_ADDER -> {
                LongAdder adder = (LongAdder) shared.tool;
                for (int i = 0; i < increments; i++) {
                    adder.increment();
                }
            }
            case PER_THREAD -> {
                long never = trap;
                for (int i = 0; i < increments; i++) {
                    own++;
                    if (own == never) {              // never true; the JIT cannot know it, so it cannot fold the loop
                        escaped = own;
                    }
                }
                return own;
            }
        }
        return -1;
    }

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Shared.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A value no count reaches, read from a field so that the JIT cannot assume it (lesson 03's trick). */
    private static long trap = Long.MIN_VALUE;
    /** Always 0; read (volatile) between two synchronized blocks so that the JIT cannot coarsen them into one. */
    private static volatile int apart;
    /** Where a count that met {@link #trap} would go; never written in practice. */
    private static volatile long escaped;
}
