package concurrencylab.display;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the front end once: the first Java kernel whose display API is visible; else, inside a
 * kernel the lab cannot reach, text; else (outside Jupyter) files.
 */
final class Frontends {

    private static volatile Frontend current;

    private Frontends() {}

    static Frontend current() {
        Frontend found = current;
        if (found == null) {
            synchronized (Frontends.class) {
                found = current;
                if (found == null) {
                    found = detect();
                    current = found;
                }
            }
        }
        return found;
    }

    /** Replaces the front end (tests); null means detect again on next use. */
    static synchronized void set(Frontend frontend) {
        current = frontend;
    }

    /** The kernel entry points tried, in order, after rapaio's. */
    static final List<SpencerParkFrontend.Entry> SPENCERPARK_ENTRIES = List.of(
            SpencerParkFrontend.IJAVA, SpencerParkFrontend.JJAVA, SpencerParkFrontend.JJAVA_BEFORE_A6);

    static Frontend detect() {
        return detect(KernelProcess.current(), RapaioFrontend.GLOBAL, SPENCERPARK_ENTRIES);
    }

    /**
     * The first kernel display API that answers; else, in a Jupyter kernel, text with a notice
     * saying what was looked for; else files.
     */
    static Frontend detect(Optional<KernelProcess> process, String rapaioGlobal, List<SpencerParkFrontend.Entry> entries) {
        Frontend found = RapaioFrontend.lookUp(rapaioGlobal);
        for (int i = 0; found == null && i < entries.size(); i++) {
            found = SpencerParkFrontend.lookUp(entries.get(i));
        }
        if (found != null) {
            return found;
        }
        if (process.isPresent()) {
            String lookedFor = Stream.concat(Stream.of("rapaio's " + rapaioGlobal + ".display(...)"),
                    entries.stream().map(e -> e.name() + "'s " + e)).collect(Collectors.joining(", "));
            return new TextFrontend(process.get().command(), lookedFor);
        }
        return FileFrontend.fromSystemProperties();
    }
}
