package concurrencylab.pools;

import concurrencylab.runners.ChildJvms;
import concurrencylab.runners.CompiledCode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of a process pool's worker JVM: it reads functions and tasks from standard
 * input, runs each task, and writes its results (or the function's failure) to standard output,
 * all in {@link Wire}'s format; it ends when its input ends. What the function prints goes to
 * standard error, which the pool shows in the cell. Like every child JVM of the lab, it halts
 * when its parent is gone.
 *
 * <pre>{@code java -cp concurrency-lab.jar concurrencylab.pools.PoolWorkerMain --parent 4242 --worker 1}</pre>
 */
public final class PoolWorkerMain {

    private PoolWorkerMain() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !args[0].equals("--parent") || !args[2].equals("--worker")) {
            System.err.println("usage: PoolWorkerMain --parent PID --worker N");
            System.exit(2);
        }
        ChildJvms.watchParent(Long.parseLong(args[1]));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        // Standard output carries the protocol; a function's own prints go to standard error.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        // Results go out when no more tasks are waiting, and at least every 2 ms: a long task must
        // not hold back the results of the short ones before it.
        Thread.ofPlatform().daemon().name("flusher").start(() -> {
            while (true) {
                try {
                    Thread.sleep(2);
                    out.flush();
                } catch (InterruptedException | IOException e) {
                    return;
                }
            }
        });
        out.writeByte(Wire.READY);
        out.writeLong(ProcessHandle.current().pid());
        out.flush();
        // Ready as soon as it can take tasks (they wait in the pipe meanwhile). Nothing is warmed
        // up first: that would take CPU from the workers still starting, and the format's long
        // loops are bulk copies that are fast before the JIT has compiled anything.

        Map<Integer, Object> functions = new HashMap<>();
        int frame;
        while ((frame = in.read()) != -1) {
            if (frame == Wire.FUNCTION) {
                int id = in.readInt();
                String className = Wire.readString(in);
                String folder = Wire.readString(in);
                functions.put(id, load(className, folder));
            } else if (frame == Wire.CHUNK) {
                long chunkId = in.readLong();
                Object function = functions.get(in.readInt());
                List<Object> inputs = Wire.readValues(in);
                run(out, chunkId, function, inputs);
            } else {
                throw new IOException("unexpected frame " + frame + " from the pool");
            }
            if (in.available() == 0) {
                out.flush();
            }
        }
        out.flush();
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void run(DataOutputStream out, long chunkId, Object function, List<Object> inputs) throws IOException {
        long start = Pool.epochMicros();
        // Long results are kept as a long[] and go out in one bulk copy per block.
        Wire.Collector results = new Wire.Collector(inputs.size(), true);
        int at = 0;
        Throwable failure = function instanceof Throwable t ? t : null;
        if (function == null) {
            failure = new IllegalStateException("the pool sent a task for a function it never described");
        }
        if (failure == null) {
            PoolFunction f = (PoolFunction) function;
            try {
                for (; at < inputs.size(); at++) {
                    Object result = f.apply(inputs.get(at));
                    if (!Wire.supports(result)) {
                        throw new IllegalArgumentException("the function returned " + (result == null ? "null"
                                : "a " + result.getClass().getName()) + ", which cannot travel back to the pool: a process"
                                + " pool carries only " + Wire.SUPPORTED);
                    }
                    results.add(result);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
        long end = Pool.epochMicros();
        if (failure != null) {
            out.writeByte(Wire.FAILED);
            out.writeLong(chunkId);
            out.writeInt(at);
            out.writeLong(start);
            out.writeLong(end);
            Wire.writeThrowable(out, failure);
        } else {
            out.writeByte(Wire.DONE);
            out.writeLong(chunkId);
            out.writeLong(start);
            out.writeLong(end);
            Wire.writeValues(out, results.list());
        }
    }

    /** The function's class, made with its no-argument constructor; or why it could not be. */
    private static Object load(String className, String folder) {
        try {
            if (!folder.isEmpty()) {
                return CompiledCode.load(Path.of(folder), className, PoolFunction.class);
            }
            Class<?> type = Class.forName(className);
            if (!PoolFunction.class.isAssignableFrom(type)) {
                return new IllegalArgumentException(className + " is not a PoolFunction");
            }
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new IllegalStateException("the worker could not load the function " + className + ": " + e, e);
        }
    }
}
