package concurrencylab.display;

/** Finds the front end once: the first Java kernel whose display API is visible, else files. */
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

    static Frontend detect() {
        Frontend found = RapaioFrontend.lookUp(RapaioFrontend.GLOBAL);
        if (found == null) {
            found = SpencerParkFrontend.lookUp("IJava", SpencerParkFrontend.IJAVA_KERNEL);
        }
        if (found == null) {
            found = SpencerParkFrontend.lookUp("JJava", SpencerParkFrontend.JJAVA_KERNEL);
        }
        return found != null ? found : FileFrontend.fromSystemProperties();
    }
}
