package concurrencylab.display;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether this JVM is a Jupyter kernel, whichever kernel it is: Jupyter starts every kernel with
 * the path of its connection file (a JSON file naming the kernel's ports) on the command line.
 *
 * <p>Worker JVMs that a kernel starts inherit its environment but not its arguments, so they are
 * not taken for a kernel.
 */
record KernelProcess(String command) {

    private static final int HEAD_BYTES = 4096;

    /** This JVM as a kernel, if it was started with a connection file. */
    static Optional<KernelProcess> current() {
        List<String> arguments = ProcessHandle.current().info().arguments()
                .map(Arrays::asList)
                .orElseGet(() -> List.of(System.getProperty("sun.java.command", "").split(" ")));
        return of(arguments, System.getProperty("sun.java.command", ""));
    }

    /**
     * The kernel started with these arguments, if one of them is a connection file; it is named
     * after the JVM's main class or jar ({@code sun.java.command}'s first word).
     */
    static Optional<KernelProcess> of(List<String> arguments, String javaCommand) {
        if (arguments.stream().noneMatch(KernelProcess::isConnectionFile)) {
            return Optional.empty();
        }
        String main = javaCommand.isBlank() ? "" : javaCommand.strip().split(" ")[0];
        if (main.endsWith(".jar")) {
            main = Path.of(main).getFileName().toString();
        }
        return Optional.of(new KernelProcess(main.isEmpty() ? "an unnamed Java kernel" : main));
    }

    /** A readable .json file that names an iopub port, as Jupyter's connection files do. */
    static boolean isConnectionFile(String argument) {
        if (!argument.endsWith(".json")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(Path.of(argument))) {
            return new String(in.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8).contains("\"iopub_port\"");
        } catch (IOException | RuntimeException e) {
            return false; // not a path, not there, not readable: not a connection file
        }
    }
}
