package concurrencylab.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class MachineTest {

    @Test
    void hardwareThreadsAreWhatTheJvmMayUse() {
        assertThat(Machine.describe().hardwareThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void theTableHasOneRowPerProperty() {
        Machine machine = Machine.describe();

        Table table = machine.table();

        assertThat(table.rowCount()).isEqualTo(machine.properties().size()).isEqualTo(8);
        assertThat(table.stringColumn("property").get(0)).isEqualTo("CPUs (hardware threads) available to the JVM");
        assertThat(table.stringColumn("value").get(0)).isEqualTo(Integer.toString(machine.hardwareThreads()));
    }

    @Test
    void theSummaryIsOneLineWithCoresAndJava() {
        Machine machine = new Machine(1, "21.0.2", "vm", 512L << 20, 2L << 30, "Linux", "IJava");

        assertThat(machine.toString()).isEqualTo("1 CPU, Java 21.0.2, max heap 512.0 MiB, IJava");
        assertThat(machine.singleCore()).isTrue();
    }

    @Test
    void physicalCoresCountEachCoreOnceHoweverManyHardwareThreadsItRuns(@TempDir Path cpus) throws IOException {
        // Two packages; package 0 has two cores of two hyperthreads each, package 1 one core of one.
        cpu(cpus, 0, 0, 0);
        cpu(cpus, 1, 0, 0);
        cpu(cpus, 2, 0, 1);
        cpu(cpus, 3, 0, 1);
        cpu(cpus, 4, 1, 0);
        Files.createDirectories(cpus.resolve("cpufreq")); // not a CPU: ignored

        assertThat(Machine.physicalCores(cpus)).hasValue(3);
    }

    @Test
    void physicalCoresAreUnknownWhereTheSystemDoesNotListThem(@TempDir Path empty) {
        assertThat(Machine.physicalCores(empty.resolve("missing"))).isEmpty();
        assertThat(Machine.physicalCores(empty)).isEmpty();
    }

    @Test
    void theTableShowsPhysicalCoresBesideHardwareThreads() {
        assertThat(Machine.describe().table().stringColumn("property").get(1)).isEqualTo("physical cores of the whole machine");
    }

    private static void cpu(Path cpus, int number, int chip, int core) throws IOException {
        Path topology = Files.createDirectories(cpus.resolve("cpu" + number).resolve("topology"));
        Files.writeString(topology.resolve("physical_package_id"), chip + "\n");
        Files.writeString(topology.resolve("core_id"), core + "\n");
    }

    @Test
    void bytesUseTheLargestUnitThatKeepsANumberAboveOne() {
        assertThat(Machine.bytes(512)).isEqualTo("512 bytes");
        assertThat(Machine.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Machine.bytes(3L << 30)).isEqualTo("3.0 GiB");
    }
}
