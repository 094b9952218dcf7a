package concurrencylab.runners;

import concurrencylab.pools.Pool;
import concurrencylab.pools.PoolFunctions;
import concurrencylab.pools.PoolWorkerMain;
import concurrencylab.workloads.CountMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Class-data-sharing archives that let the lab's child JVMs start sooner: the classes a worker
 * loads, already parsed and verified, mapped from a file instead of read from the jar. On
 * JDK 25 and later an ahead-of-time cache ({@code -XX:AOTCache}, which also keeps the classes
 * linked and the heap objects they build at start-up); before that, an application CDS archive
 * ({@code -XX:SharedArchiveFile}).
 *
 * <p>{@code ./lab build} makes them ({@link #main}) for the JDK it uses, next to the helper jar
 * in {@code lib/target/startup}. A child JVM uses one only when it was made for that very jar
 * (its path, size and modification time), that JDK (its home and build) and those JVM options:
 * the three are in the file's name, so a rebuilt jar or another JDK finds no archive and its
 * children start as they would without one. (The lab checks this itself: JDK 25.0.3's AOT cache
 * does not notice a changed jar, JDK-8377932.) An archive that exists but cannot be used (cut
 * short, say) is ignored by the JVM, and its complaint is switched off, as it would otherwise
 * reach a worker's standard output.
 *
 * <p>A JVM writes an archive as it exits, so one is made by running the real workers of a small
 * process run and a small pool, which end normally.
 */
public final class StartupArchives {

    /** Overrides the folder the archives are in (default: {@code startup} beside the helper jar). */
    public static final String DIRECTORY_PROPERTY = "concurrencylab.startupArchives";

    /**
     * Child programs that have an archive: the workers of {@code Runner} and of process pools,
     * and lesson 02's counting program (which {@code JvmStart} times with and without it).
     */
    static final List<String> ARCHIVED = List.of(ChildMain.class.getName(), PoolWorkerMain.class.getName(),
            CountMain.class.getName());

    private static final long TOOL_TIMEOUT_SECONDS = 300;

    /** Set while {@link #make} runs: the first child of each archived program records its classes. */
    private static volatile Recording recording;

    private StartupArchives() {}

    /** Whether this JVM makes AOT caches (JDK 25 and later) rather than application CDS archives. */
    static boolean aotCache() {
        return Runtime.version().feature() >= 25;
    }

    /**
     * The class path for a child JVM of a kernel or program whose class path is {@code classpath}:
     * when it is the helper jar and {@link #make} has copied the lab's own classes out of it, that
     * small jar first, then the helper jar (which a child opens only if it needs a class of one of
     * the lab's libraries: reading the index of a 70 MB jar costs a start-up about 25 ms); else
     * {@code classpath} as it is.
     */
    static String childClasspath(String classpath) {
        Path jar = singleJar(classpath);
        if (jar == null) {
            return classpath;
        }
        try {
            Path classes = classesJarFor(jar);
            return Files.isRegularFile(classes) ? classes + java.io.File.pathSeparator + jar : classpath;
        } catch (IOException e) {
            return classpath;
        }
    }

    /** {@code classpath} as a path when it is one jar file that exists, else null. */
    private static Path singleJar(String classpath) {
        if (!classpath.endsWith(".jar") || classpath.contains(java.io.File.pathSeparator)) {
            return null;
        }
        Path jar = Path.of(classpath);
        return Files.isRegularFile(jar) ? jar : null;
    }

    /** Where {@link #make} puts the lab's classes of {@code jar}, named after that very jar. */
    static Path classesJarFor(Path jar) throws IOException {
        return directory(jar).resolve("lab-classes-" + hash(identity(jar)) + ".jar");
    }

    /** A jar as an archive depends on it: where it is, its size and when it was written. */
    private static String identity(Path jar) throws IOException {
        Path real = jar.toRealPath();
        return real + "\n" + Files.size(real) + "\n" + Files.getLastModifiedTime(real).toMillis();
    }

    /**
     * The archive a child of {@code mainClass} with this class path and these JVM options (the
     * heap size aside, which an archive does not depend on) would use, whether or not it exists;
     * {@code null} unless the class path is jar files that exist (classes folders cannot be archived).
     */
    static Path archiveFor(String classpath, List<String> options, String mainClass) {
        StringBuilder identity = new StringBuilder(String.join("\n", System.getProperty("java.home"),
                System.getProperty("java.vm.version"), aotCache() ? "aot" : "cds", String.join("\u0000", options), mainClass));
        Path last = null;
        try {
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                last = singleJar(entry);
                if (last == null) {
                    return null;
                }
                identity.append('\n').append(identity(last));
            }
        } catch (IOException e) {
            return null;
        }
        String name = mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-jdk" + Runtime.version().feature()
                + "-" + hash(identity.toString()) + (aotCache() ? ".aot" : ".jsa");
        return directory(last).resolve(name);
    }

    /** The folder of the archives for {@code jar}. */
    static Path directory(Path jar) {
        String chosen = System.getProperty(DIRECTORY_PROPERTY);
        return chosen != null && !chosen.isBlank() ? Path.of(chosen) : jar.toAbsolutePath().getParent().resolve("startup");
    }

    /**
     * The JVM options that make a child of {@code mainClass} use its archive, placed before its
     * class path; none when it has no archive. While archives are being made, the options that
     * make the first such child record one instead.
     */
    static List<String> optionsFor(String classpath, List<String> options, String mainClass) {
        if (!ARCHIVED.contains(mainClass)) {
            return List.of();
        }
        Path archive = archiveFor(classpath, options, mainClass);
        if (archive == null) {
            return List.of();
        }
        Recording making = recording;
        if (making != null) {
            return making.optionsFor(archive, classpath, options, mainClass);
        }
        if (!Files.isRegularFile(archive)) {
            return List.of();
        }
        return using(archive, false);
    }

    /** Options that use {@code archive}; {@code strict}: fail to start when it cannot be used (to test one). */
    private static List<String> using(Path archive, boolean strict) {
        List<String> options = new ArrayList<>();
        if (aotCache()) {
            options.add("-XX:AOTCache=" + archive);
            options.add(strict ? "-XX:AOTMode=on" : "-Xlog:aot*=off");
        } else {
            options.add("-XX:SharedArchiveFile=" + archive);
            if (strict) {
                options.add("-Xshare:on");
            }
        }
        if (!strict) {
            options.add("-Xlog:cds*=off");
        }
        return options;
    }

    /** What {@link #make} did: the archives it wrote, and for each program it could not archive, why. */
    public record Made(List<Path> archives, Map<String, String> failures, double seconds) {}

    /**
     * Makes the archives for the helper jar this class was loaded from, on this JDK: runs a small
     * process run and a small pool whose first worker JVMs record the classes they load, then
     * turns each recording into an archive and checks that a JVM can start with it. Old archives
     * of this jar's folder (older than the jar) are deleted.
     *
     * @throws IllegalStateException if this JVM was not started from the helper jar
     */
    public static synchronized Made make() {
        long started = System.nanoTime();
        Path jar = singleJar(ChildJvms.classpath());
        if (jar == null) {
            throw new IllegalStateException("startup archives are made for the helper jar, and this JVM's class path is "
                    + ChildJvms.classpath() + ": run it with java -cp lib/target/concurrency-lab.jar");
        }
        Path folder = directory(jar);
        Recording making = new Recording(folder);
        Map<String, String> failures = new LinkedHashMap<>();
        List<Path> made = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            deleteStale(folder, Files.getLastModifiedTime(jar.toRealPath()));
            Path classes = classesJarFor(jar);
            if (!Files.isRegularFile(classes)) {
                copyLabClasses(jar, classes);
            }
            recording = making;
            // What the training children print (the JVM's "recorded" line among it) is no news.
            java.io.PrintStream out = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                train();
            } finally {
                System.setOut(out);
            }
        } catch (IOException | RuntimeException e) {
            failures.put("training", String.valueOf(e.getMessage()));
        } finally {
            recording = null;
        }
        for (Recorded one : making.recorded.values()) {
            try {
                made.add(making.finish(one));
            } catch (IOException | RuntimeException e) {
                failures.put(one.mainClass, String.valueOf(e.getMessage()));
            } finally {
                deleteQuietly(one.recordingFile);
            }
        }
        for (String main : ARCHIVED) {
            if (making.recorded.values().stream().noneMatch(r -> r.mainClass.equals(main)) && !failures.containsKey("training")) {
                failures.put(main, "no child JVM of it ran while training");
            }
        }
        return new Made(List.copyOf(made), failures, (System.nanoTime() - started) / 1e9);
    }

    /** The work of the training run: what the first cells of lessons 02 to 04 do with child JVMs. */
    private static void train() {
        List<String> count = ChildJvms.command(Runner.DEFAULT_CHILD_HEAP_MB, CountMain.class);
        count.add("1000");
        if (!ChildJvms.outputOf(count, "the counting program").contains("Finished counting to 1,000")) {
            throw new IllegalStateException("the training run of CountMain did not finish its count");
        }
        Run run = Runner.builder(Strategy.PROCESSES).workers(1).build().run(Task.count(1_000_000));
        if (run.workers() != 1) {
            throw new IllegalStateException("the training run reported " + run.workers() + " workers");
        }
        try (Pool pool = Pool.processes(1)) {
            // Enough inputs for the workers' hot loops to be compiled, so that JDK 25's cache keeps their profiles.
            List<Long> inputs = LongStream.rangeClosed(1, 20_000).boxed().toList();
            List<Long> squares = pool.map(PoolFunctions.square(), inputs);
            for (int call = 0; call < 3; call++) {
                pool.map(PoolFunctions.square(), LongStream.range(0, 1_000_000).boxed().toList());
            }
            long sum = 0;
            for (Long value : pool.imap(PoolFunctions.square(), inputs, 100)) {
                sum += value;
            }
            long expected = squares.stream().mapToLong(Long::longValue).sum();
            if (squares.size() != inputs.size() || sum != expected || squares.get(19_999) != 400_000_000L) {
                throw new IllegalStateException("the training pool computed wrong squares");
            }
        }
    }

    /** Copies the lab's own classes and resources (its package, nothing of its libraries) out of {@code jar}. */
    private static void copyLabClasses(Path jar, Path classes) throws IOException {
        Path partial = classes.resolveSibling(classes.getFileName() + "." + ProcessHandle.current().pid() + ".new");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        try (java.util.zip.ZipFile from = new java.util.zip.ZipFile(jar.toFile());
             java.util.jar.JarOutputStream to = new java.util.jar.JarOutputStream(Files.newOutputStream(partial), manifest)) {
            var entries = from.entries();
            while (entries.hasMoreElements()) {
                var entry = entries.nextElement();
                if (entry.getName().startsWith("concurrencylab/")) {
                    to.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                    try (var in = from.getInputStream(entry)) {
                        in.transferTo(to);
                    }
                    to.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        Files.move(partial, classes, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteStale(Path folder, FileTime jarModified) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).compareTo(jarModified) < 0) {
                    deleteQuietly(file);
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover in a build folder.
        }
    }

    /**
     * A 64-bit FNV-1a hash of {@code text}, in hex: enough to tell the archives of one folder
     * apart, and cheap where SHA-256 is not (a fresh JVM spends about 15 ms setting up its
     * security providers, which the first pool of a cell would wait for).
     */
    static String hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private record Recorded(String mainClass, Path archive, Path recordingFile, String classpath, List<String> options) {}

    /** The recordings of one {@link #make}: one child of each archived program, the first to start. */
    private static final class Recording {
        final Path folder;
        final Map<String, Recorded> recorded = new LinkedHashMap<>();

        Recording(Path folder) {
            this.folder = folder;
        }

        synchronized List<String> optionsFor(Path archive, String classpath, List<String> options, String mainClass) {
            if (recorded.containsKey(mainClass)) {
                return Files.isRegularFile(archive) ? using(archive, false) : List.of();
            }
            Path file = folder.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".recording");
            recorded.put(mainClass, new Recorded(mainClass, archive, file, classpath, List.copyOf(options)));
            return aotCache()
                    ? List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + file, "-Xlog:cds*=off", "-Xlog:aot*=off")
                    : List.of("-XX:ArchiveClassesAtExit=" + file, "-Xlog:cds*=off");
        }

        /** Turns a recording into its archive, checks that a JVM starts with it, and puts it in place. */
        Path finish(Recorded one) throws IOException {
            if (!Files.isRegularFile(one.recordingFile)) {
                throw new IllegalStateException("its training JVM wrote no recording (did it end normally?)");
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path archive = one.recordingFile;
            if (aotCache()) {
                archive = folder.resolve(one.archive.getFileName() + "." + ProcessHandle.current().pid() + ".new");
                List<String> create = new ArrayList<>(List.of(java.toString()));
                create.addAll(one.options);
                create.add("-Xmx" + Runner.DEFAULT_CHILD_HEAP_MB + "m");
                create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + one.recordingFile,
                        "-XX:AOTCache=" + archive, "-Xlog:cds*=off", "-Xlog:aot*=off", "-cp", one.classpath));
                try {
                    runTool(create, "creating the AOT cache of " + one.mainClass);
                } catch (RuntimeException e) {
                    deleteQuietly(archive);
                    throw e;
                }
            }
            try {
                List<String> check = new ArrayList<>(List.of(java.toString(), "-Xmx64m"));
                check.addAll(one.options);
                check.addAll(using(archive, true));
                check.addAll(List.of("-cp", one.classpath, Probe.class.getName()));
                String out = runTool(check, "a JVM started with the archive of " + one.mainClass);
                if (!out.contains(Probe.OK)) {
                    throw new IllegalStateException("a JVM started with the new archive printed " + out.strip());
                }
                Files.move(archive, one.archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteQuietly(archive);
            }
            return one.archive;
        }
    }

    private static String runTool(List<String> command, String what) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(what + " did not end within " + TOOL_TIMEOUT_SECONDS + " s");
                }
                String text = output.join();
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed (status " + process.exitValue() + "): " + tail(text));
                }
                return text;
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what + " ran", e);
        }
    }

    private static String tail(String text) {
        String stripped = text.strip();
        return stripped.length() <= 1_000 ? stripped : "..." + stripped.substring(stripped.length() - 1_000);
    }

    /** A program that only says it started: what a new archive is tested with. */
    public static final class Probe {
        static final String OK = "started with the archive";

        private Probe() {}

        public static void main(String[] args) {
            System.out.println(OK);
        }
    }

    /**
     * Whether every archived program has its archive for the helper jar this JVM runs from, on
     * this JDK; false outside the helper jar.
     */
    public static boolean upToDate() {
        String classpath = childClasspath(ChildJvms.classpath());
        List<String> options = ChildJvms.options(List.of());
        return ARCHIVED.stream().map(main -> archiveFor(classpath, options, main))
                .allMatch(archive -> archive != null && Files.isRegularFile(archive));
    }

    /**
     * Makes the archives and says what it made ({@code ./lab build} runs this, with
     * {@code --if-missing}: nothing to do when they are all there). Exits with status 0 even
     * when none could be made, as the lab works without them; the reason is printed.
     */
    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && !args[0].equals("--if-missing"))) {
            System.err.println("usage: StartupArchives [--if-missing]");
            System.exit(2);
        }
        if (args.length == 1 && upToDate()) {
            System.out.println("startup archives: up to date for JDK " + Runtime.version());
            return;
        }
        Made made = make();
        for (Path archive : made.archives()) {
            System.out.printf("made %s (%,d KiB)%n", archive, sizeKib(archive));
        }
        made.failures().forEach((what, why) -> System.out.println("no archive for " + what + ": " + why));
        System.out.printf(java.util.Locale.ROOT, "startup archives: %d made for JDK %s in %.1f s%n",
                made.archives().size(), Runtime.version(), made.seconds());
    }

    private static long sizeKib(Path file) {
        try {
            return Files.size(file) / 1024;
        } catch (IOException e) {
            return -1;
        }
    }
}
