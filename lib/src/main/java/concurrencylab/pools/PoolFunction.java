package concurrencylab.pools;

/**
 * What a pool applies to each input. A thread pool runs any function, lambdas included. A
 * process pool sends its workers a reference, not code: the function must be an instance of a
 * public class that the worker JVMs can load, either from the helper jar (see
 * {@link PoolFunctions}) or compiled from a cell's source with {@link PoolFunctions#compile}.
 * Each worker makes its own instance with the public no-argument constructor, so fields set in
 * this JVM do not travel.
 *
 * <pre>{@code
 * PoolFunction<Long, Long> square = x -> x * x;          // thread pools only
 * PoolFunction<Long, Long> count = PoolFunctions.count(); // any pool
 * }</pre>
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface PoolFunction<T, R> {

    /**
     * Computes the result for one input. An exception reaches the caller as a
     * {@link TaskFailedException} that names the input and carries the worker's stack.
     */
    R apply(T input) throws Exception;
}
