package concurrencylab.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmStartTest {

    @Test
    void aSampleCountOutOfRangeIsRefusedBeforeAnyJvmStarts() {
        assertThatThrownBy(() -> JvmStart.measure(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samples must be between 1 and 20 (got 0)");
        assertThatThrownBy(() -> JvmStart.measure(21)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 21");
    }

    @Test
    void withoutAnArchiveItTimesThePlainStartAndSaysSo() {
        // Unit tests run from classes folders, which have no archive.
        JvmStart start = JvmStart.measure(2);

        assertThat(start.archived()).isFalse();
        assertThat(start.withArchiveMillis()).isNaN();
        assertThat(start.withoutArchiveMillis()).isPositive();
        assertThat(start.withoutArchive().read()).isPositive();
        assertThat(start.table().rowCount()).isEqualTo(1);
        assertThat(start.toString()).contains("no archive for this jar on this JDK");
    }
}
