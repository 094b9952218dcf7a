package concurrencylab.pools;

import concurrencylab.runners.CompiledCode;
import concurrencylab.workloads.Workloads;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Functions that every pool can run, process pools included, because their classes are in the
 * helper jar; and {@link #compile}, which makes one from a cell's source.
 *
 * <pre>{@code
 * pool.map(PoolFunctions.count(), List.of(100_000_000L, 100_000_000L)); // [100000000, 100000000]
 * pool.map(PoolFunctions.square(), List.of(1L, 2L, 3L));               // [1, 4, 9]
 * }</pre>
 */
public final class PoolFunctions {

    private static final Map<Class<?>, Path> COMPILED = new ConcurrentHashMap<>();

    private PoolFunctions() {}

    /** Counts to its input with {@link Workloads#count(long)} and returns the counter, as the article's {@code count}. */
    public static PoolFunction<Long, Long> count() {
        return new Count();
    }

    /** Returns its input squared: a task so small that the pool's own overhead is what a run measures. */
    public static PoolFunction<Long, Long> square() {
        return new Square();
    }

    /** Sleeps for its input in milliseconds and returns it: a task that waits rather than computes. */
    public static PoolFunction<Long, Long> sleep() {
        return new Sleep();
    }

    /**
     * Compiles {@code source}, which must declare a public class implementing
     * {@code PoolFunction} with a public no-argument constructor, and returns an instance that
     * process pools can send to their workers (they load the compiled class, not this object).
     *
     * <pre>{@code
     * PoolFunction<Long, Long> cube = PoolFunctions.compile("""
     *     public class Cube implements concurrencylab.pools.PoolFunction<Long, Long> {
     *         public Long apply(Long x) { return x * x * x; }
     *     }""");
     * }</pre>
     *
     * @throws IllegalArgumentException if it does not compile (each error with its line)
     */
    @SuppressWarnings("unchecked")
    public static <T, R> PoolFunction<T, R> compile(String source) {
        java.util.Objects.requireNonNull(source, "source");
        String className = CompiledCode.className(source, "public class Cube implements concurrencylab.pools.PoolFunction<Long, Long>");
        Path folder = CompiledCode.compile(source, className);
        PoolFunction<T, R> function = CompiledCode.load(folder, className, PoolFunction.class);
        COMPILED.put(function.getClass(), folder);
        return function;
    }

    /**
     * How a worker JVM finds {@code function}'s class: its name, and the folder it was compiled
     * to ("" for a class on the helper jar's class path).
     *
     * @throws IllegalArgumentException if a worker JVM could not load it
     */
    static String[] reference(PoolFunction<?, ?> function, String refusal) {
        Class<?> type = function.getClass();
        Path folder = COMPILED.get(type);
        if (folder != null) {
            return new String[] {type.getName(), folder.toString()};
        }
        String why = null;
        if (type.isHidden() || type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            why = "it is a lambda or an anonymous class, which exists only in this JVM";
        } else if (!Modifier.isPublic(type.getModifiers()) || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
            why = type.getName() + " is not a public top-level or static class";
        } else if (!visibleToWorkers(type)) {
            why = type.getName() + " was defined in this kernel (a cell), not in the helper jar";
        } else {
            try {
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                why = type.getName() + " has no public no-argument constructor for the worker to make one with";
            }
        }
        if (why != null) {
            throw new IllegalArgumentException(refusal + ": " + why
                    + ". Workers load code, they are not handed objects (Python's rule that a pool's function must be"
                    + " importable). Use PoolFunctions.compile(source) for code written in a cell, a function of"
                    + " PoolFunctions, or Pool.threads(n), whose workers share this JVM");
        }
        return new String[] {type.getName(), ""};
    }

    private static boolean visibleToWorkers(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, PoolFunctions.class.getClassLoader()) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** See {@link PoolFunctions#count()}. */
    public static final class Count implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long maxCount) {
            return Workloads.count(maxCount);
        }
    }

    /** See {@link PoolFunctions#square()}. */
    public static final class Square implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long x) {
            return x * x;
        }
    }

    /** See {@link PoolFunctions#sleep()}. */
    public static final class Sleep implements PoolFunction<Long, Long> {
        @Override
        public Long apply(Long millis) {
            Workloads.sleep(Duration.ofMillis(millis));
            return millis;
        }
    }
}
