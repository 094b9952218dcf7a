package concurrencylab.display;

/**
 * Where {@link Display} sends what it shows: a Jupyter kernel's display API, or files and
 * text when no kernel is there.
 *
 * <p>Implementations are found once, by {@link Frontends#detect()}.
 */
interface Frontend {

    /** A name for people: "rapaio", "IJava", "JJava" or "no Jupyter kernel". */
    String name();

    /** True when the output reaches a notebook rather than files. */
    boolean inNotebook();

    /** Shows one item. */
    void show(Shown item);

    /** Shows an item that {@link #update} can later replace in place; returns its display id. */
    String showUpdatable(Shown item);

    /** Replaces, in place, what {@link #showUpdatable} showed under this id. */
    void update(String id, Shown item);
}
