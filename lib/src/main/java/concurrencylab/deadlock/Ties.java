package concurrencylab.deadlock;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds two objects with the same {@link System#identityHashCode}: proof that it is no unique
 * key, so a lock order built on it alone can tie.
 *
 * <p>Contract: makes objects with {@code make} one at a time, keeping each, until two have the
 * same identity hash code or {@code limit} have been made; then lets go of all but the pair.
 * HotSpot's identity hash codes have 31 bits, so a pair usually turns up within some tens of
 * thousands of objects (the birthday bound: about 58,000 on average); memory grows with the
 * objects kept until then.
 *
 * <pre>{@code
 * Ties.sameIdentityHash(Object::new, 1_000_000)
 *     .map(t -> "two of " + t.made() + " objects share " + System.identityHashCode(t.first()));
 * }</pre>
 */
public final class Ties {

    /** The most objects {@link #sameIdentityHash} will make. */
    public static final int MAX_LIMIT = 2_000_000;

    private Ties() {}

    /**
     * Two distinct objects with the same identity hash code, and how many were made to find them.
     *
     * @param first the one made earlier
     * @param second the one made later
     * @param made how many objects were made in all
     * @param <T> their type
     */
    public record Tie<T>(T first, T second, int made) {}

    /**
     * Makes objects until two share an identity hash code.
     *
     * @return the pair, or empty if {@code limit} objects all had different codes
     * @throws IllegalArgumentException if limit is not between 2 and {@value #MAX_LIMIT}
     */
    public static <T> Optional<Tie<T>> sameIdentityHash(Supplier<T> make, int limit) {
        return sameIdentityHash(make, t -> t, limit);
    }

    /**
     * As {@link #sameIdentityHash(Supplier, int)}, comparing the identity hash code of a part of each
     * object made (an account inside a record that also keeps its lock, say).
     *
     * @throws IllegalArgumentException if limit is not between 2 and {@value #MAX_LIMIT}
     */
    public static <T> Optional<Tie<T>> sameIdentityHash(Supplier<T> make, Function<T, ?> key, int limit) {
        Objects.requireNonNull(make, "make");
        Objects.requireNonNull(key, "key");
        if (limit < 2 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 2 and " + MAX_LIMIT + " (got " + limit + ")");
        }
        Map<Integer, T> seen = new HashMap<>();
        for (int made = 1; made <= limit; made++) {
            T next = Objects.requireNonNull(make.get(), "make returned null");
            T earlier = seen.putIfAbsent(System.identityHashCode(key.apply(next)), next);
            if (earlier != null && key.apply(earlier) != key.apply(next)) {
                return Optional.of(new Tie<>(earlier, next, made));
            }
        }
        return Optional.empty();
    }
}
