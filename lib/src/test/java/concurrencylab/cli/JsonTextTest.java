package concurrencylab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import concurrencylab.measure.Machine;
import concurrencylab.pools.Pool;
import concurrencylab.pools.PoolExperiment;
import concurrencylab.runners.Runner;
import concurrencylab.runners.Strategy;
import concurrencylab.runners.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's JSON is what Jackson's object mapper writes for the same values, to the character. */
class JsonTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Point(int x, double y, String label, List<Long> path) {}

    enum Colour { RED }

    @Test
    void plainValuesMapsListsArraysAndRecordsAreWrittenAsTheObjectMapperWritesThem() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("int", 7);
        value.put("long", 1L << 40);
        value.put("double", 0.1 + 0.2);
        value.put("whole double", 3.0);
        value.put("tiny", 1e-9);
        value.put("text", "quote \" backslash \\ tab \t é");
        value.put("none", null);
        value.put("yes", true);
        value.put("colour", Colour.RED);
        value.put("empty", List.of());
        value.put("longs", new long[] {1, 2, 3});
        value.put("doubles", new double[] {0.5});
        value.put("nested", List.of(Map.of("a", 1), Arrays.asList(1, null)));
        value.put("record", new Point(1, 2.5, "p", List.of(4L, 5L)));

        assertThat(JsonText.of(value)).isEqualTo(MAPPER.writeValueAsString(value));
    }

    @Test
    void theExperimentsReportsAreWrittenAsBefore() throws Exception {
        Object machine = Machine.describe();
        Object run = Runner.run(Strategy.THREADS, 2, Task.count(1_000)).summary();
        Object pool = PoolExperiment.squares(100).kind(Pool.Kind.THREADS).mode(PoolExperiment.Mode.MAP).workers(2)
                .run().summary();

        for (Object value : List.of(machine, run, pool)) {
            assertThat(JsonText.of(value)).isEqualTo(MAPPER.writeValueAsString(value));
        }
    }

    @Test
    void aValueItCannotWriteIsRefusedNotGuessed() {
        assertThatThrownBy(() -> JsonText.of(Map.of("thread", Thread.currentThread())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Thread");
    }
}
