package concurrencylab.runners;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the lab starts child JVMs (the workers of the {@code PROCESSES} strategy and of process
 * pools): the same java as this JVM, a small heap, the helper jar on the class path, and a
 * watch on the parent so that no child outlives the kernel that started it.
 */
public final class ChildJvms {

    /** Status a child halts with when its parent has gone. */
    public static final int ORPHANED = 3;

    private static final long PARENT_CHECK_MILLIS = 250;

    private ChildJvms() {}

    /**
     * The command that starts {@code mainClass} in a child JVM with a heap of
     * {@code heapMegabytes}; the caller appends the program's arguments.
     *
     * @throws IllegalStateException if this JVM's java launcher cannot be found
     */
    public static List<String> command(int heapMegabytes, Class<?> mainClass) {
        return command(heapMegabytes, mainClass, List.of());
    }

    /**
     * The same, with more JVM options for the child. When the lab has a startup archive for
     * this program, class path and options ({@link StartupArchives}), the command uses it.
     */
    public static List<String> command(int heapMegabytes, Class<?> mainClass, List<String> jvmOptions) {
        Path java = java();
        List<String> options = options(jvmOptions);
        String classpath = StartupArchives.childClasspath(classpath());
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heapMegabytes + "m"));
        command.addAll(options);
        command.addAll(StartupArchives.optionsFor(classpath, options, mainClass.getName()));
        command.addAll(List.of("-cp", classpath, mainClass.getName()));
        return command;
    }

    /**
     * The command {@link #command(int, Class)} would give without the lab's startup archive: no
     * archive, and the helper jar alone on the class path. For measuring what the archive saves.
     */
    public static List<String> commandWithoutArchive(int heapMegabytes, Class<?> mainClass) {
        List<String> command = new ArrayList<>(List.of(java().toString(), "-Xmx" + heapMegabytes + "m"));
        command.addAll(options(List.of()));
        command.addAll(List.of("-cp", classpath(), mainClass.getName()));
        return command;
    }

    private static Path java() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("cannot start child JVMs: " + java + " is not an executable java");
        }
        return java;
    }

    /**
     * Every child's JVM options but its heap size: start-up and the lab's own, then {@code extra}.
     * Children do not get the kernels' {@code --add-exports=java.base/jdk.internal.vm}: any
     * {@code --add-exports} turns off the JDK's archived module graph, which cost a child about
     * 4 ms of its start on JDK 21 and {@code java -version} 11 ms; an event loop in a child runs
     * its tasks on virtual threads instead of continuations, and behaves the same.
     */
    static List<String> options(List<String> extra) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Djava.awt.headless=true"));
        options.addAll(extra);
        return options;
    }

    /** The class path of the lab's classes for children, when a test sets it (a jar built from the classes folder). */
    static volatile String classpathForTests;

    /** The helper jar the kernel loaded; in development (classes folders), this JVM's class path. */
    public static String classpath() {
        String chosen = classpathForTests;
        if (chosen != null) {
            return chosen;
        }
        try {
            var source = ChildJvms.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                File location = new File(source.getLocation().toURI());
                if (location.isFile() && location.getName().endsWith(".jar")) {
                    return location.getPath();
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // Fall back to the class path below.
        }
        return System.getProperty("java.class.path");
    }

    /**
     * Runs {@code command} to its end and returns what it printed on standard output.
     *
     * @param what names the program in messages, e.g. "the CPython program pool.py"
     * @throws IllegalStateException if it cannot start or exits with a status other than 0 (the
     *     message holds the status and its standard error)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted;
     *     the program and every process it started are killed first
     */
    public static String outputOf(List<String> command, String what) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not start " + what + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
        var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        var stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try {
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(what + " exited with status " + status + ": " + stderr.get().strip());
            }
            return stdout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted: " + what + " and its children were stopped");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not read the output of " + what + ": " + e.getCause(), e.getCause());
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static String readAll(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Halts this JVM (status {@value #ORPHANED}) as soon as its parent is no longer the process
     * that started it, checking four times a second on a daemon thread. The pid comes from the
     * command line, not from asking who the parent is now: a parent killed while this JVM was
     * still starting has already been replaced (by init, say), and would never die. (It does not
     * wait on standard input for this: a thread blocked in a native read delays every JVM exit
     * by 0.3 s.)
     */
    public static void watchParent(long parentPid) {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (ProcessHandle.current().parent().map(p -> p.pid() == parentPid && p.isAlive()).orElse(false)) {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(ORPHANED);
        });
    }
}
