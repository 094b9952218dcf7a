package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;

import concurrencylab.measure.JvmStart;
import concurrencylab.pools.Pool;
import concurrencylab.pools.PoolFunctions;
import concurrencylab.pools.PoolWorkerMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs with and without a startup archive: made for a helper jar built here from the
 * classes folder (the lab's classes are all a worker loads), used when it fits, and a worker
 * that finds none, a stale one or a broken one works the same.
 */
class StartupArchivesTest {

    @TempDir
    Path folder;

    private Path jar;

    @BeforeEach
    void helperJar() throws IOException {
        jar = folder.resolve("concurrency-lab.jar");
        Path classes = Path.of(ChildJvms.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Files.walkFileTree(classes, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    out.putNextEntry(new ZipEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        ChildJvms.classpathForTests = jar.toString();
    }

    @AfterEach
    void reset() {
        ChildJvms.classpathForTests = null;
    }

    @Test
    void workersUseTheArchivesMadeForTheirJar() {
        assertThat(workerCommand()).noneMatch(StartupArchivesTest::archiveOption);

        StartupArchives.Made made = StartupArchives.make();

        assertThat(made.failures()).isEmpty();
        assertThat(made.archives()).hasSize(StartupArchives.ARCHIVED.size()).allMatch(Files::isRegularFile);
        List<String> command = workerCommand();
        Path archive = Path.of(archiveOf(command));
        assertThat(made.archives()).contains(archive);
        assertThat(archive.getParent()).isEqualTo(folder.resolve("startup"));
        // The lab's classes come first from their own small jar; the helper jar stays behind them.
        String classpath = command.get(command.indexOf("-cp") + 1);
        assertThat(List.of(classpath.split(java.io.File.pathSeparator))).hasSize(2).last().isEqualTo(jar.toString());
        assertThat(StartupArchives.upToDate()).isTrue();
        assertWorkersWork();
    }

    @Test
    void aRebuiltJarFindsNoArchiveAndItsWorkersWorkWithout() throws IOException {
        StartupArchives.make();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2_000));

        List<String> command = workerCommand();

        assertThat(command).noneMatch(StartupArchivesTest::archiveOption);
        assertThat(command.get(command.indexOf("-cp") + 1)).isEqualTo(jar.toString());
        assertThat(StartupArchives.upToDate()).isFalse();
        assertWorkersWork();
    }

    @Test
    void aBrokenArchiveIsIgnoredWithoutAWordOnTheWorkersOutput() throws IOException {
        for (Path archive : StartupArchives.make().archives()) {
            Files.write(archive, "not an archive".repeat(1_000).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(workerCommand()).anyMatch(StartupArchivesTest::archiveOption);

        assertWorkersWork();
    }

    @Test
    void anotherJdkLooksForAnotherArchive() {
        List<String> options = ChildJvms.options(List.of());
        String main = PoolWorkerMain.class.getName();
        Path here = StartupArchives.archiveFor(jar.toString(), options, main);
        String version = System.getProperty("java.vm.version");
        Path other;
        try {
            System.setProperty("java.vm.version", version + "-other");
            other = StartupArchives.archiveFor(jar.toString(), options, main);
        } finally {
            System.setProperty("java.vm.version", version);
        }
        assertThat(other).isNotNull().isNotEqualTo(here);
        assertThat(StartupArchives.archiveFor(jar.toString(), List.of("-XX:+UseParallelGC"), main)).isNotEqualTo(here);
        assertThat(StartupArchives.archiveFor(jar.toString(), options, main)).isEqualTo(here);
    }

    @Test
    void classesFoldersHaveNoArchive() {
        ChildJvms.classpathForTests = null;
        String classpath = ChildJvms.classpath();

        assertThat(StartupArchives.archiveFor(classpath, List.of(), ChildMain.class.getName())).isNull();
        assertThat(workerCommand()).noneMatch(StartupArchivesTest::archiveOption);
        assertThat(StartupArchives.upToDate()).isFalse();
    }

    @Test
    void lessonTwosCountingProgramReadsFewerClassesWithItsArchive() {
        JvmStart without = JvmStart.measure(1);
        assertThat(without.archived()).isFalse();
        assertThat(without.withoutArchive().read()).isPositive();

        StartupArchives.make();
        JvmStart with = JvmStart.measure(1);

        assertThat(with.archived()).isTrue();
        assertThat(with.withArchive().total()).isPositive();
        // Our own classes, at least, are mapped instead of read.
        assertThat(with.withArchive().read()).isLessThan(with.withoutArchive().read());
        assertThat(with.withArchiveMillis()).isPositive();
        assertThat(with.toString()).contains("with it");
    }

    @Test
    void programsWithoutTrainingGetNoArchiveOptions() {
        StartupArchives.make();

        assertThat(ChildJvms.command(64, concurrencylab.visibility.JitRaceMain.class))
                .noneMatch(StartupArchivesTest::archiveOption);
    }

    /** A pool's map and a process run, checked for their results, with nothing on the output but what they print. */
    private static void assertWorkersWork() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Pool pool = Pool.builder(Pool.Kind.PROCESSES).workers(2).output(new PrintStream(printed, true)).build()) {
            List<Long> squares = pool.map(PoolFunctions.square(), LongStream.range(0, 10_000).boxed().toList());
            assertThat(squares).hasSize(10_000);
            assertThat(squares.get(9_999)).isEqualTo(9_999L * 9_999L);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        Run run = Runner.builder(Strategy.PROCESSES).workers(1).output(new PrintStream(OutputStream.nullOutputStream()))
                .build().run(Task.count(1_000));
        assertThat(run.results()).containsExactly(1_000L);
    }

    private static List<String> workerCommand() {
        return ChildJvms.command(64, PoolWorkerMain.class);
    }

    private static boolean archiveOption(String option) {
        return option.startsWith("-XX:AOTCache=") || option.startsWith("-XX:SharedArchiveFile=");
    }

    private static String archiveOf(List<String> command) {
        return command.stream().filter(StartupArchivesTest::archiveOption).findFirst().orElseThrow()
                .replaceFirst("^-XX:[A-Za-z]+=", "");
    }
}
