package concurrencylab.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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

        assertThat(table.rowCount()).isEqualTo(machine.properties().size()).isEqualTo(7);
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
    void bytesUseTheLargestUnitThatKeepsANumberAboveOne() {
        assertThat(Machine.bytes(512)).isEqualTo("512 bytes");
        assertThat(Machine.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Machine.bytes(3L << 30)).isEqualTo("3.0 GiB");
    }
}
