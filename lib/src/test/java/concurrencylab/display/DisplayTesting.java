package concurrencylab.display;

import java.io.PrintStream;
import java.nio.file.Path;

/** Lets tests in other packages send Display's output to a stream instead of the real front end. */
public final class DisplayTesting {
    private DisplayTesting() {}

    public static void useTextOutput(PrintStream out) {
        Frontends.set(new FileFrontend(Path.of(System.getProperty("java.io.tmpdir"), "lab-display-test"), out));
    }

    public static void reset() {
        Frontends.set(null);
    }
}
