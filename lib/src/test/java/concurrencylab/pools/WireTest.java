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
