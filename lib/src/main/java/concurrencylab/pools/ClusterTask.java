package concurrencylab.pools;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import concurrencylab.runners.CompiledCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One task of a cluster pool, as it travels to a member: the function by class name (with the
 * class files of a function compiled in a cell, which a member on another machine could not
 * otherwise find), and the chunk of inputs in {@link Wire}'s format. Run on a member, it returns
 * its results, or the function's failure, in the same format, with the member's number and the
 * task's start and end: a task never throws, so that Hazelcast carries only bytes.
 */
public final class ClusterTask implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {

    private static final Map<String, Object> FUNCTIONS = new ConcurrentHashMap<>();

    private long chunkId;
    private String functionClass;
    private byte[] code;
    private byte[] inputs;
    private transient java.util.UUID member;

    /** For Hazelcast, which makes an empty one and then reads it. */
    public ClusterTask() {}

    ClusterTask(long chunkId, String functionClass, byte[] code, List<Object> inputs) {
        this.chunkId = chunkId;
        this.functionClass = functionClass;
        this.code = code;
        this.inputs = encode(out -> Wire.writeValues(out, inputs));
    }

    long chunkId() {
        return chunkId;
    }

    /** The bytes this task sends: its inputs and its code. */
    int bytes() {
        return inputs.length + code.length + functionClass.length() + 8;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(chunkId);
        out.writeString(functionClass);
        out.writeByteArray(code);
        out.writeByteArray(inputs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        chunkId = in.readLong();
        functionClass = in.readString();
        code = in.readByteArray();
        inputs = in.readByteArray();
    }

    /** Called by Hazelcast on the member before {@link #call}: which member this is. */
    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        member = instance.getCluster().getLocalMember().getUuid();
    }

    /** Runs on a member: the results, or the failure, as bytes (see {@link Outcome#read}). */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public byte[] call() {
        long start = Pool.epochMicros();
        List<Object> results = new ArrayList<>();
        int at = 0;
        Throwable failure = null;
        try {
            List<Object> values = Wire.readValues(new DataInputStream(new ByteArrayInputStream(inputs)));
            PoolFunction function = function();
            for (; at < values.size(); at++) {
                Object result = function.apply(values.get(at));
                if (!Wire.supports(result)) {
                    throw new IllegalArgumentException("the function returned " + (result == null ? "null"
                            : "a " + result.getClass().getName()) + ", which cannot travel back to the pool: a cluster"
                            + " pool carries only " + Wire.SUPPORTED);
                }
                results.add(result);
            }
        } catch (Throwable t) {
            failure = t;
        }
        long end = Pool.epochMicros();
        int offset = at;
        Throwable error = failure;
        return encode(out -> {
            out.writeByte(error == null ? Wire.DONE : Wire.FAILED);
            out.writeLong(member == null ? 0 : member.getMostSignificantBits());
            out.writeLong(member == null ? 0 : member.getLeastSignificantBits());
            out.writeLong(start);
            out.writeLong(end);
            if (error == null) {
                Wire.writeValues(out, results);
            } else {
                out.writeInt(offset);
                Wire.writeThrowable(out, error);
            }
        });
    }

    /** The function, made once per member with its no-argument constructor. */
    private PoolFunction<?, ?> function() throws Exception {
        String key = functionClass + "#" + java.util.Arrays.hashCode(code) + "#" + code.length;
        Object function = FUNCTIONS.computeIfAbsent(key, k -> {
            try {
                if (code.length > 0) {
                    return CompiledCode.load(unpack(code), functionClass, PoolFunction.class);
                }
                Class<?> type = Class.forName(functionClass);
                if (!PoolFunction.class.isAssignableFrom(type)) {
                    return new IllegalArgumentException(functionClass + " is not a PoolFunction");
                }
                return type.getConstructor().newInstance();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError | IOException e) {
                return new IllegalStateException("the member could not load the function " + functionClass + ": " + e, e);
            }
        });
        if (function instanceof Exception e) {
            throw e;
        }
        return (PoolFunction<?, ?>) function;
    }

    /** A task's outcome as the pool reads it. */
    record Outcome(boolean done, java.util.UUID member, long startMicros, long endMicros, List<Object> results, int offset,
                   WorkerException error) {

        static Outcome read(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int frame = in.readByte();
            java.util.UUID member = new java.util.UUID(in.readLong(), in.readLong());
            long start = in.readLong();
            long end = in.readLong();
            if (frame == Wire.DONE) {
                return new Outcome(true, member, start, end, Wire.readValues(in), 0, null);
            }
            if (frame != Wire.FAILED) {
                throw new IOException("not a task's outcome (frame " + frame + ")");
            }
            int offset = in.readInt();
            return new Outcome(false, member, start, end, List.of(), offset, Wire.readThrowable(in));
        }
    }

    /** The class files under a compiled function's folder, packed to travel with its tasks (empty for none). */
    static byte[] pack(Path folder) {
        if (folder == null) {
            return new byte[0];
        }
        try (Stream<Path> files = Files.walk(folder)) {
            List<Path> classes = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            return encode(out -> {
                out.writeInt(classes.size());
                for (Path file : classes) {
                    Wire.writeString(out, folder.relativize(file).toString().replace('\\', '/'));
                    byte[] content = Files.readAllBytes(file);
                    out.writeInt(content.length);
                    out.write(content);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the compiled function under " + folder, e);
        }
    }

    /** Writes packed class files to a new folder of this machine, deleted when the member exits. */
    private static Path unpack(byte[] packed) throws IOException {
        Path folder = Files.createTempDirectory("lab-cluster-code-");
        folder.toFile().deleteOnExit();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed));
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = Wire.readString(in);
            byte[] content = in.readNBytes(in.readInt());
            Path file = folder.resolve(name).normalize();
            if (!file.startsWith(folder)) {
                throw new IOException("a packed class file points outside its folder: " + name);
            }
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            file.toFile().deleteOnExit();
        }
        return folder;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
