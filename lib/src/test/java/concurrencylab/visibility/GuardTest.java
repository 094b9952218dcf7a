package concurrencylab.visibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuardTest {

    static final class Config {}

    static final class Plain {
        Config current;
        void publish(Config c) { current = c; }
        Config get() { return current; }
    }

    static final class Volatile {
        volatile Config current;
        void publish(Config c) { current = c; }
        Config get() { return current; }
    }

    static final class Atomic {
        final AtomicReference<Config> current = new AtomicReference<>();
        void publish(Config c) { current.set(c); }
        Config get() { return current.get(); }
    }

    static final class Synchronized {
        private Config current;
        synchronized void publish(Config c) { current = c; }
        synchronized Config get() { return current; }
    }

    static final class WriterOnly {
        private Config current;
        synchronized void publish(Config c) { current = c; }
        Config get() { return current; }
    }

    static final class WithLock {
        private final ReentrantLock lock = new ReentrantLock();
        private Config current;
        void publish(Config c) { lock.lock(); try { current = c; } finally { lock.unlock(); } }
        Config get() { lock.lock(); try { return current; } finally { lock.unlock(); } }
    }

    static final class WithMonitorObject {
        private final Object lock = new Object();
        private Config current;
        void publish(Config c) { synchronized (lock) { current = c; } }
        Config get() { synchronized (lock) { return current; } }
    }

    @Test
    void aPlainFieldWithNoLockIsNone() {
        Plain p = new Plain();
        Guard g = Guard.of(p, Config.class, () -> p.publish(new Config()), p::get);
        assertThat(g.kind()).isEqualTo(Guard.Kind.NONE);
        assertThat(g.safe()).isFalse();
    }

    @Test
    void aVolatileFieldIsVolatile() {
        Volatile v = new Volatile();
        assertThat(Guard.of(v, Config.class, () -> v.publish(new Config()), v::get).kind()).isEqualTo(Guard.Kind.VOLATILE);
    }

    @Test
    void anAtomicReferenceIsAtomic() {
        Atomic a = new Atomic();
        assertThat(Guard.of(a, Config.class, () -> a.publish(new Config()), a::get).kind()).isEqualTo(Guard.Kind.ATOMIC);
    }

    @Test
    void synchronizedOnBothSidesIsALock() {
        Synchronized s = new Synchronized();
        Guard g = Guard.of(s, Config.class, () -> s.publish(new Config()), s::get);
        assertThat(g.kind()).isEqualTo(Guard.Kind.LOCK);
        assertThat(g.safe()).isTrue();
    }

    @Test
    void aSynchronizedWriterWithAnUnsynchronizedReaderIsWriterOnly() {
        WriterOnly w = new WriterOnly();
        assertThat(Guard.of(w, Config.class, () -> w.publish(new Config()), w::get).kind()).isEqualTo(Guard.Kind.WRITER_ONLY);
    }

    @Test
    void aReentrantLockFieldTakenOnBothSidesIsALock() {
        WithLock l = new WithLock();
        assertThat(Guard.of(l, Config.class, () -> l.publish(new Config()), l::get).kind()).isEqualTo(Guard.Kind.LOCK);
    }

    @Test
    void aPrivateMonitorObjectTakenOnBothSidesIsALock() {
        WithMonitorObject m = new WithMonitorObject();
        assertThat(Guard.of(m, Config.class, () -> m.publish(new Config()), m::get).kind()).isEqualTo(Guard.Kind.LOCK);
    }

    @Test
    void aHolderWithoutSuchAFieldSaysSo() {
        Object nothing = new Object() { int x; };
        assertThat(Guard.of(nothing, Config.class, () -> { }, () -> null).kind()).isEqualTo(Guard.Kind.NO_FIELD);
    }

    @Test
    void aSafeGuardHasNoProblemAndAnUnsafeOneNamesTheFix() {
        Volatile v = new Volatile();
        assertThat(Guard.of(v, Config.class, () -> v.publish(new Config()), v::get).problem("publish()", "get()")).isNull();
        WriterOnly w = new WriterOnly();
        assertThat(Guard.of(w, Config.class, () -> w.publish(new Config()), w::get).problem("publish()", "get()"))
                .contains("get() must take it too");
    }
}
