package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void aCollectorKeepsLongsInAnArrayAndSwitchesToAListAtTheFirstOtherValue() throws IOException {
        Wire.Collector longs = new Wire.Collector(2, true);
        for (long v = 0; v < 5; v++) {
            longs.add(v * v);   // past its first capacity, too
        }
        assertThat(longs.list()).isInstanceOf(Wire.Longs.class).containsExactly(0L, 1L, 4L, 9L, 16L);
        List<Object> kept = longs.list();
        assertThat(Wire.compact(kept)).as("compacting a Longs again").isSameAs(kept);

        Wire.Collector mixed = new Wire.Collector(4, true);
        mixed.add(1L);
        mixed.add(2L);
        mixed.add("three");
        mixed.add(4L);
        assertThat(mixed.size()).isEqualTo(4);
        assertThat(mixed.list()).isNotInstanceOf(Wire.Longs.class).containsExactly(1L, 2L, "three", 4L);
        assertThat(roundTrip(mixed.list())).containsExactly(1L, 2L, "three", 4L);

        Wire.Collector plain = new Wire.Collector(4, false);
        plain.add(7L);
        assertThat(plain.list()).isNotInstanceOf(Wire.Longs.class).containsExactly(7L);
        assertThat(roundTrip(longs.list())).containsExactly(0L, 1L, 4L, 9L, 16L);
    }

    @Test
    void valuesOfEverySupportedTypeComeBackEqual() throws IOException {
        List<Object> values = List.of(1L, -2, 3.25, "four, with ünïcödé", false, Long.MIN_VALUE);
        assertThat(roundTrip(values)).containsExactlyElementsOf(values);
    }

    @Test
    void longsComeBackEqualInAnyNumber() throws IOException {
        List<Object> values = java.util.stream.LongStream.range(-5_000, 5_000).map(x -> x * 31).boxed()
                .map(x -> (Object) x).toList();
        assertThat(roundTrip(values)).containsExactlyElementsOf(values);
        assertThat(roundTrip(Wire.compact(values))).containsExactlyElementsOf(values);
        assertThat(roundTrip(List.of())).isEmpty();
    }

    @Test
    void longsAreWrittenBigEndianAsDataOutputStreamWritesThem() throws IOException {
        long value = 0x0102030405060708L;
        for (List<Object> values : List.of(List.<Object>of(value, -1L), Wire.compact(List.of(value, -1L)))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Wire.writeValues(new DataOutputStream(bytes), values);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
            assertThat(in.readInt()).isEqualTo(2);
            in.readUnsignedByte(); // the kind: all Longs
            assertThat(in.readLong()).isEqualTo(value);
            assertThat(in.readLong()).isEqualTo(-1L);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aWorkerRejectsATypeTagItDoesNotExpect() {
        // One value, mixed kind, with a tag that no supported type has (as a serialised object would be).
        byte[] forged = {0, 0, 0, 1, 'M', (byte) 0xAC};
        assertThatThrownBy(() -> Wire.readValues(new DataInputStream(new ByteArrayInputStream(forged))))
                .isInstanceOf(IOException.class).hasMessageContaining("unexpected value tag").hasMessageContaining("Long, Integer");
    }

    @Test
    void anUnsupportedValueIsRefusedBeforeItIsWritten() {
        assertThatThrownBy(() -> roundTrip(List.of(1L, new StringBuilder("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void aFailureTravelsAsTypeMessageAndStackWithItsCause() throws IOException {
        Exception original = new IllegalStateException("outer", new ArithmeticException("/ by zero"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Wire.writeThrowable(new DataOutputStream(bytes), original);
        WorkerException copy = Wire.readThrowable(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(copy).hasToString("java.lang.IllegalStateException: outer");
        assertThat(copy.getStackTrace()).extracting(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber())
                .containsExactlyElementsOf(java.util.Arrays.stream(original.getStackTrace())
                        .map(e -> e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber()).limit(64).toList());
        assertThat(copy.getCause()).hasToString("java.lang.ArithmeticException: / by zero");
    }

    private static List<Object> roundTrip(List<Object> values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Wire.writeValues(new DataOutputStream(bytes), values);
        return Wire.readValues(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
