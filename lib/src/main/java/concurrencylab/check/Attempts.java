package concurrencylab.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The attempts {@link Check#repeat} made, in order. A timed-out attempt ends the series, so
 * there may be fewer than asked ({@link #asked()}).
 *
 * @param all every attempt made
 * @param asked how many were asked for
 * @param <T> the type of each attempt's value
 */
public record Attempts<T>(List<Attempt<T>> all, int asked) {

    public Attempts {
        all = List.copyOf(all);
    }

    /** True if every attempt asked for was made and each was {@link Attempt#fine() fine}. */
    public boolean allFine() {
        return all.size() == asked && all.stream().allMatch(Attempt::fine);
    }

    /** What each attempt returned, in order (null for one that threw). */
    public List<T> values() {
        return all.stream().map(Attempt::value).toList();
    }

    /** True if every attempt was made and returned a value equal to {@code expected}. */
    public boolean allReturned(T expected) {
        return all.size() == asked && all.stream().allMatch(a -> a.completed() && Objects.equals(a.value(), expected));
    }

    /** The first attempt that was not fine, if any. */
    public Optional<Attempt<T>> firstProblem() {
        return all.stream().filter(a -> !a.fine()).findFirst();
    }

    /**
     * The first problem as a phrase naming which attempt it was ("attempt 3 of 20 left 2 threads
     * running ..."), or {@code otherwise} when every attempt was fine.
     */
    public String firstProblemOr(String otherwise) {
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).fine()) {
                return "attempt " + (i + 1) + " of " + asked + " " + all.get(i).problem();
            }
        }
        return otherwise;
    }

    @Override
    public String toString() {
        long fine = all.stream().filter(Attempt::fine).count();
        return all.size() + " of " + asked + " attempts made, " + fine + " fine"
                + firstProblem().map(a -> "; first problem: " + a.problem()).orElse("");
    }
}
