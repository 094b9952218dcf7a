package concurrencylab.pools;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How inputs, results and failures cross between a process pool and its worker JVMs: a small
 * tagged format that carries only Long, Integer, Double, String and Boolean. Nothing is
 * deserialised by class name, so a worker never makes an object of a type it did not expect.
 */
final class Wire {

    /** What a process pool can carry, for messages. */
    static final String SUPPORTED = "Long, Integer, Double, String or Boolean";

    // Frames from the parent.
    static final int FUNCTION = 'F';
    static final int CHUNK = 'C';
    // Frames from a worker.
    static final int READY = 'R';
    static final int DONE = 'D';
    static final int FAILED = 'E';

    private static final int ALL_LONGS = 'A';
    private static final int MIXED = 'M';
    private static final int LONG = 'J';
    private static final int INTEGER = 'I';
    private static final int DOUBLE = 'D';
    private static final int STRING = 'S';
    private static final int BOOLEAN = 'Z';
    private static final int MAX_FRAMES = 64;
    private static final int BLOCK_LONGS = 4096;
    private static final int MAX_CAUSES = 4;

    private Wire() {}

    /**
     * The same values, as a {@link Longs} when all are Longs: one array instead of an object per
     * value, which the garbage collector does not have to trace or copy one by one.
     */
    static List<Object> compact(List<Object> values) {
        if (values instanceof Longs) {
            return values;
        }
        long[] longs = new long[values.size()];
        for (int i = 0; i < longs.length; i++) {
            if (!(values.get(i) instanceof Long value)) {
                return values;
            }
            longs[i] = value;
        }
        return new Longs(longs);
    }

    /**
     * Collects a task's inputs as they are read: into a long[] while every one is a Long (one
     * pass, and no list of boxes for the garbage collector to trace), into a list from the first
     * that is not, or always into a list when {@code compact} is false.
     */
    static final class Collector {
        private long[] longs;
        private List<Object> objects;
        private int size;

        Collector(int capacity, boolean compact) {
            if (compact) {
                longs = new long[capacity];
            } else {
                objects = new ArrayList<>(capacity);
            }
        }

        void add(Object value) {
            if (objects == null) {
                if (value instanceof Long l) {
                    if (size == longs.length) {
                        longs = java.util.Arrays.copyOf(longs, Math.max(16, size * 2));
                    }
                    longs[size++] = l;
                    return;
                }
                objects = new ArrayList<>(Math.max(16, longs.length));
                for (int i = 0; i < size; i++) {
                    objects.add(longs[i]);
                }
                longs = null;
            }
            objects.add(value);
            size++;
        }

        int size() {
            return size;
        }

        /** What was collected: a {@link Longs} if every value was a Long and compacting, else a list. */
        List<Object> list() {
            return objects != null ? objects : new Longs(size == longs.length ? longs : java.util.Arrays.copyOf(longs, size));
        }
    }

    /** An unmodifiable list of Longs kept as a long[]; each value is boxed when it is read. */
    static final class Longs extends java.util.AbstractList<Object> implements java.util.RandomAccess {
        final long[] values;

        Longs(long[] values) {
            this.values = values;
        }

        @Override
        public Object get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /** True for the types a process pool can carry. */
    static boolean supports(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Double
                || value instanceof String || value instanceof Boolean;
    }

    static void writeValues(DataOutputStream out, List<?> values) throws IOException {
        out.writeInt(values.size());
        // A Longs holds nothing else (and asking each of its values would box it again).
        boolean allLongs = values instanceof Longs;
        if (!allLongs) {
            allLongs = true;
            for (Object value : values) {
                if (!(value instanceof Long)) {
                    allLongs = false;
                    break;
                }
            }
        }
        out.writeByte(allLongs ? ALL_LONGS : MIXED);
        // In blocks, not a write per value: this is the hot path of tiny tasks. Each block is
        // copied by one bulk put (big-endian, as DataOutputStream writes a long), which is fast
        // even before the JIT has compiled anything: a first call is not slowed by a loop of
        // per-value stores still being interpreted.
        if (values instanceof Longs longs) {
            byte[] block = new byte[Math.min(BLOCK_LONGS, longs.values.length) * Long.BYTES];
            LongBuffer view = ByteBuffer.wrap(block).asLongBuffer();
            for (int done = 0; done < longs.values.length; ) {
                int count = Math.min(BLOCK_LONGS, longs.values.length - done);
                view.put(0, longs.values, done, count);
                out.write(block, 0, count * Long.BYTES);
                done += count;
            }
        } else if (allLongs) {
            long[] unboxed = new long[Math.min(BLOCK_LONGS, values.size())];
            byte[] block = new byte[unboxed.length * Long.BYTES];
            LongBuffer view = ByteBuffer.wrap(block).asLongBuffer();
            int filled = 0;
            for (Object value : values) {
                unboxed[filled] = (Long) value;
                if (++filled == BLOCK_LONGS) {
                    view.put(0, unboxed, 0, filled);
                    out.write(block, 0, filled * Long.BYTES);
                    filled = 0;
                }
            }
            view.put(0, unboxed, 0, filled);
            out.write(block, 0, filled * Long.BYTES);
        } else {
            for (Object value : values) {
                writeValue(out, value);
            }
        }
    }

    static List<Object> readValues(DataInputStream in) throws IOException {
        int size = in.readInt();
        int kind = in.readUnsignedByte();
        if (size < 0 || (kind != ALL_LONGS && kind != MIXED)) {
            throw new IOException("not a list of values (size " + size + ", kind " + kind + ")");
        }
        if (kind == ALL_LONGS) {
            if (size > (64 << 20)) {
                throw new IOException("too many values (" + size + ")");
            }
            long[] longs = new long[size];
            byte[] block = new byte[Math.min(BLOCK_LONGS, size) * Long.BYTES];
            LongBuffer view = ByteBuffer.wrap(block).asLongBuffer();
            for (int done = 0; done < size; ) {
                int count = Math.min(BLOCK_LONGS, size - done);
                in.readFully(block, 0, count * Long.BYTES);
                view.get(0, longs, done, count);
                done += count;
            }
            return new Longs(longs);
        }
        List<Object> values = new ArrayList<>(Math.min(size, 1 << 20));
        for (int i = 0; i < size; i++) {
            values.add(readValue(in));
        }
        return values;
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        switch (value) {
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Integer i -> {
                out.writeByte(INTEGER);
                out.writeInt(i);
            }
            case Double d -> {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            }
            case String s -> {
                out.writeByte(STRING);
                writeString(out, s);
            }
            case Boolean b -> {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            }
            case null, default -> throw new IllegalArgumentException(
                    (value == null ? "null" : "a " + value.getClass().getName()) + " cannot cross to another JVM: a process pool carries only " + SUPPORTED);
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case LONG -> in.readLong();
            case INTEGER -> in.readInt();
            case DOUBLE -> in.readDouble();
            case STRING -> readString(in);
            case BOOLEAN -> in.readBoolean();
            default -> throw new IOException("unexpected value tag " + tag + ": a process pool carries only " + SUPPORTED);
        };
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (64 << 20)) {
            throw new IOException("not a string (length " + length + ")");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Writes a throwable as its type, message and stack (and up to four causes), never as an object. */
    static void writeThrowable(DataOutputStream out, Throwable error) throws IOException {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && chain.size() <= MAX_CAUSES && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        out.writeInt(chain.size());
        for (Throwable t : chain) {
            writeString(out, t.getClass().getName());
            writeString(out, String.valueOf(t.getMessage()));
            StackTraceElement[] frames = t.getStackTrace();
            int count = Math.min(frames.length, MAX_FRAMES);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                writeString(out, frames[i].getClassName());
                writeString(out, frames[i].getMethodName());
                writeString(out, String.valueOf(frames[i].getFileName()));
                out.writeInt(frames[i].getLineNumber());
            }
        }
    }

    /** Reads what {@link #writeThrowable} wrote, as a {@link WorkerException} chain. */
    static WorkerException readThrowable(DataInputStream in) throws IOException {
        int links = in.readInt();
        if (links < 1 || links > MAX_CAUSES + 1) {
            throw new IOException("not a failure (" + links + " links)");
        }
        String[] types = new String[links];
        String[] messages = new String[links];
        StackTraceElement[][] stacks = new StackTraceElement[links][];
        for (int link = 0; link < links; link++) {
            types[link] = readString(in);
            messages[link] = readString(in);
            int count = in.readInt();
            if (count < 0 || count > MAX_FRAMES) {
                throw new IOException("not a stack (" + count + " frames)");
            }
            stacks[link] = new StackTraceElement[count];
            for (int i = 0; i < count; i++) {
                String type = readString(in);
                String method = readString(in);
                String file = readString(in);
                stacks[link][i] = new StackTraceElement(type, method, file.equals("null") ? null : file, in.readInt());
            }
        }
        WorkerException cause = null;
        for (int link = links - 1; link >= 0; link--) {
            cause = new WorkerException(types[link], messages[link].equals("null") ? null : messages[link], stacks[link], cause);
        }
        return cause;
    }
}
