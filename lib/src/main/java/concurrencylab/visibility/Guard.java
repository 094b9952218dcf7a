package concurrencylab.visibility;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;

/**
 * How a holder makes the value it publishes visible to readers: a volatile field, an atomic, one
 * lock taken on both sides, or nothing, found from what the primitives do rather than from how
 * the code looks, for the lesson's check (where a wrong answer's behaviour cannot be relied on to
 * show on every machine).
 *
 * <p>Contract: {@link #of} looks at the fields of the holder's class (and its superclasses) whose
 * type can hold a {@code valueType}. If each one is {@code volatile} or an
 * {@link AtomicReference}, that is the guard. Otherwise it tests locks by their effect: it holds,
 * in turn, the holder's monitor, its class's monitor, each {@link Lock} or {@link ReadWriteLock}
 * field (the write lock), and each field whose value is a bare {@code Object} (a monitor), and
 * runs {@code write} and then {@code read} on a new thread while it holds it. A side that blocks
 * (stays BLOCKED or WAITING) until the lock is released takes that lock. Each side runs once per
 * lock tried, so use a fresh holder.
 *
 * <p>What it does not do: it does not read the code. A holder that makes its value visible some
 * other way (a volatile flag written after a plain field and read before it; a {@code VarHandle})
 * is reported as {@link Kind#NONE}. Each lock test waits up to a second for a side that neither
 * blocks nor ends.
 *
 * <pre>{@code
 * Board board = new Board();
 * Guard guard = Guard.of(board, Settings.class, () -> board.publish(s), board::settings);
 * guard.safe()      // true for a volatile field, an AtomicReference, or one lock on both sides
 * }</pre>
 */
public record Guard(Kind kind, String field, String lock) {

    /** What makes the write visible. */
    public enum Kind {
        /** The field is volatile. */
        VOLATILE,
        /** The field is an AtomicReference. */
        ATOMIC,
        /** The writer and the reader take the same lock. */
        LOCK,
        /** Only the writer takes a lock: the reader's side has no edge. */
        WRITER_ONLY,
        /** Only the reader takes a lock: the writer's side has no edge. */
        READER_ONLY,
        /** A plain field, and no lock on either side. */
        NONE,
        /** The holder has no field that can hold the value. */
        NO_FIELD
    }

    /** Rejects a null kind. */
    public Guard {
        Objects.requireNonNull(kind, "kind");
    }

    /** True if the guard gives a happens-before edge from the write to the read: volatile, atomic or one lock. */
    public boolean safe() {
        return kind == Kind.VOLATILE || kind == Kind.ATOMIC || kind == Kind.LOCK;
    }

    /**
     * Finds the guard, as the class comment says.
     *
     * @param holder the object that holds the published value
     * @param valueType the type of the value
     * @param write publishes a value into the holder
     * @param read reads the value from the holder
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public static Guard of(Object holder, Class<?> valueType, Runnable write, Supplier<?> read) {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(valueType, "valueType");
        List<Field> holding = new ArrayList<>();
        List<Object> locks = new ArrayList<>();
        List<String> lockNames = new ArrayList<>();
        locks.add(holder);
        lockNames.add("the holder's monitor (synchronized)");
        locks.add(holder.getClass());
        lockNames.add("the class's monitor (static synchronized)");
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                Class<?> type = f.getType();
                if (type != Object.class && (type.isAssignableFrom(valueType) || AtomicReference.class.isAssignableFrom(type))) {
                    holding.add(f);
                }
                if (Lock.class.isAssignableFrom(type) || ReadWriteLock.class.isAssignableFrom(type) || type == Object.class) {
                    Object value = valueOf(f, holder);
                    if (value != null && (value instanceof Lock || value instanceof ReadWriteLock || value.getClass() == Object.class)) {
                        locks.add(value);
                        lockNames.add("the field " + f.getName());
                    }
                }
            }
        }
        if (holding.isEmpty()) {
            return new Guard(Kind.NO_FIELD, null, null);
        }
        String names = String.join(", ", holding.stream().map(Field::getName).toList());
        if (holding.stream().allMatch(f -> AtomicReference.class.isAssignableFrom(f.getType()))) {
            return new Guard(Kind.ATOMIC, names, null);
        }
        if (holding.stream().allMatch(f -> Modifier.isVolatile(f.getModifiers())
                || AtomicReference.class.isAssignableFrom(f.getType()))) {
            return new Guard(Kind.VOLATILE, names, null);
        }
        Kind found = Kind.NONE;
        String foundLock = null;
        for (int i = 0; i < locks.size(); i++) {
            boolean writes = blocks(locks.get(i), write);
            boolean reads = blocks(locks.get(i), () -> read.get());
            if (writes && reads) {
                return new Guard(Kind.LOCK, names, lockNames.get(i));
            }
            if (found == Kind.NONE && (writes || reads)) {
                found = writes ? Kind.WRITER_ONLY : Kind.READER_ONLY;
                foundLock = lockNames.get(i);
            }
        }
        return new Guard(found, names, foundLock);
    }

    private static Object valueOf(Field f, Object holder) {
        try {
            f.setAccessible(true);
            return f.get(holder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** True if {@code action}, run on another thread while this one holds {@code lock}, waits for it. */
    static boolean blocks(Object lock, Runnable action) {
        Lock held = lock instanceof ReadWriteLock rw ? rw.writeLock() : lock instanceof Lock l ? l : null;
        Thread other = new Thread(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                // What the side does is not ours to judge here, only whether it waited.
            }
        }, "guard-test");
        other.setDaemon(true);
        boolean blocked = false;
        boolean interrupted = false;
        if (held != null) {
            held.lock();
        }
        try {
            if (held == null) {
                synchronized (lock) {
                    blocked = startAndWatch(other);
                }
            } else {
                blocked = startAndWatch(other);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (held != null) {
                held.unlock();
            }
        }
        try {
            other.join(1_000);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            other.interrupt();
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while testing which lock guards the field");
        }
        return blocked;
    }

    private static boolean startAndWatch(Thread other) throws InterruptedException {
        other.start();
        long deadline = System.nanoTime() + 1_000_000_000L;
        int waitingLooks = 0;
        while (System.nanoTime() < deadline) {
            Thread.State state = other.getState();
            if (state == Thread.State.TERMINATED) {
                return false;
            }
            // Seen waiting a few times in a row: it waits for the lock we hold, not for a class to load.
            waitingLooks = state == Thread.State.BLOCKED || state == Thread.State.WAITING ? waitingLooks + 1 : 0;
            if (waitingLooks >= 5) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /**
     * Null when the guard is {@link #safe()}; otherwise what is wrong and the fix, as a hint for a
     * check ("publish() takes a lock and settings() does not: ..."), naming the writer and the
     * reader as given.
     */
    public String problem(String writer, String reader) {
        return switch (kind) {
            case VOLATILE, ATOMIC, LOCK -> null;
            case NONE -> toString() + ": nothing orders the write before the read, even when a run happens to see it;"
                    + " make the field volatile (or an AtomicReference), or take one lock in both " + writer + " and " + reader;
            case WRITER_ONLY -> writer + " takes a lock and " + reader + " does not: an unlock happens-before only a later"
                    + " lock of the same lock, so " + reader + " must take it too (or make the field volatile)";
            case READER_ONLY -> reader + " takes a lock and " + writer + " does not: the edge needs the writer to unlock"
                    + " the lock the reader then takes, so " + writer + " must take it too (or make the field volatile)";
            case NO_FIELD -> "no field of the holder can hold the value, so the check cannot see how it is published;"
                    + " keep the published value in a field";
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VOLATILE -> "the field " + field + " is volatile";
            case ATOMIC -> "the field " + field + " is an AtomicReference";
            case LOCK -> "the writer and the reader both take " + lock;
            case WRITER_ONLY -> "the writer takes " + lock + ", the reader takes no lock";
            case READER_ONLY -> "the reader takes " + lock + ", the writer takes no lock";
            case NONE -> "the field " + field + " is a plain field, and neither side takes a lock";
            case NO_FIELD -> "no field of the holder can hold the value";
        };
    }
}
