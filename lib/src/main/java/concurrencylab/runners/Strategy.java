package concurrencylab.runners;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the workers of a run are carried out. See the package summary for when to use which. */
public enum Strategy {
    /** The workers' tasks one after another on the calling thread: the baseline. */
    SEQUENTIAL("sequential"),
    /** One child JVM per worker, started with ProcessBuilder. */
    PROCESSES("processes"),
    /** One platform (operating-system) thread per worker. */
    THREADS("threads"),
    /** Platform threads that must hold one global lock to compute, as CPython's threads do. */
    GIL_THREADS("gil-threads"),
    /** One virtual thread per worker, scheduled by the JVM on a few platform threads. */
    VIRTUAL_THREADS("virtual-threads");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    /** The name used on the command line and in tables, e.g. "gil-threads". */
    public String label() {
        return label;
    }

    /**
     * The strategy with this label or constant name, ignoring case.
     *
     * @throws IllegalArgumentException naming the valid choices, if there is none
     */
    public static Strategy fromName(String name) {
        for (Strategy s : values()) {
            if (s.label.equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("strategy must be one of "
                + Arrays.stream(values()).map(Strategy::label).collect(Collectors.joining(", "))
                + " (got '" + name + "')");
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
