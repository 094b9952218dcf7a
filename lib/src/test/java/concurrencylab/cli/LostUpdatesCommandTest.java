package concurrencylab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LostUpdatesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void lostUpdatesJsonIsOneObjectWithTheParametersAndEachRunsCount() throws Exception {
        int status = Main.run("lost-updates", "--threads", "3", "--increments", "100000", "--repeat", "2", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("kind").asText()).isEqualTo("RACY");
        assertThat(json.get("threads").asInt()).isEqualTo(3);
        assertThat(json.get("incrementsPerThread").asLong()).isEqualTo(100_000L);
        assertThat(json.get("runs")).hasSize(2).allSatisfy(run -> {
            assertThat(run.get("expected").asLong()).isEqualTo(300_000L);
            assertThat(run.get("lost").asLong()).isEqualTo(300_000L - run.get("total").asLong()).isNotNegative();
        });
    }

    @Test
    void anExactKindReportsNothingLost() throws Exception {
        int status = Main.run("lost-updates", "--threads", "2", "--increments", "50000", "--kind", "atomic-long", "--json");

        assertThat(status).isZero();
        assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("runs").get(0).get("lost").asLong()).isZero();
    }

    @Test
    void aBadKindOrCountIsOneLineNamingTheChoices() {
        assertThat(Main.run("lost-updates", "--kind", "volatile")).isEqualTo(2);
        assertThat(Main.run("lost-updates", "--threads", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("use racy, synchronized").contains("threads must be from 1")
                .doesNotContain("\tat ");
    }
}
