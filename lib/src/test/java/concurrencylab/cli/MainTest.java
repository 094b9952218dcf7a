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
import picocli.CommandLine;

class MainTest {

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
    void machineJsonIsOneObjectWithTheCores() throws Exception {
        int status = Main.run("machine", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("hardwareThreads").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void theHelpAndAMistypedCommandStillKnowEverySubCommand() {
        assertThat(Main.run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String name : new String[] {"count", "machine", "startup-cost", "reference", "pool", "sleepers", "compare",
                "load", "lost-updates", "help"}) {
            assertThat(help).contains("  " + name + " ");
        }

        assertThat(Main.run("pools")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pool");

        assertThat(Main.run("help", "machine")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: concurrency-lab machine");
    }

    @Test
    void onlyTheChosenSubCommandIsSetUp() {
        assertThat(Main.commandLine("machine", "--json").getSubcommands()).containsOnlyKeys("machine");
        assertThat(Main.commandLine().getSubcommands()).hasSize(10);
        assertThat(Main.commandLine("help", "pool").getSubcommands()).hasSize(10);
    }


    @Test
    void everySubCommandHasHelpAVersionAndAWholeSentenceInTheCommandList() {
        Main.commandLine().getSubcommands().forEach((name, command) -> {
            String summary = command.getCommandSpec().usageMessage().description()[0];
            assertThat(summary).as(name).endsWith(".");
            if (!name.equals("help")) {
                out.reset();
                assertThat(Main.run(name, "--version")).as(name).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).as(name).startsWith("Concurrency Lab ");
                out.reset();
                assertThat(Main.run(name, "-h")).as(name).isZero();
                String help = out.toString(StandardCharsets.UTF_8);
                assertThat(help).as(name).startsWith("Usage: concurrency-lab " + name + " [-hV]");
                assertThat(help.replaceAll("\\s+", " ")).as(name).contains(summary);
            }
        });
    }

    @Test
    void everyFlagIsFalseUntilGiven() {
        Main.commandLine().getSubcommands().keySet().stream().filter(name -> !name.equals("help")).forEach(name -> {
            CommandLine line = Main.commandLine(name);
            line.parseArgs(name, "-h");   // the help option lets a command parse without its required options
            line.getSubcommands().get(name).getCommandSpec().options().stream()
                    .filter(option -> option.type() == boolean.class && !option.usageHelp() && !option.versionHelp())
                    .forEach(option -> assertThat((Object) option.getValue()).as(name + " " + option.longestName()).isEqualTo(false));
        });
    }

    @Test
    void commandsWithoutJsonPrintText() {
        assertThat(Main.run("machine")).isZero();
        assertThat(Main.run("count", "--strategy", "threads", "--workers", "1", "--max-count", "1000")).isZero();
        assertThat(Main.run("pool", "--kind", "threads", "--workers", "1", "--squares", "10")).isZero();
        assertThat(Main.run("lost-updates", "--threads", "1", "--increments", "1000", "--kind", "atomic-long")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("CPUs (hardware threads)").doesNotContain("\"wallMillis\"");
    }

    @Test
    void typedOptionsAreCheckedBeforeTheCommandRuns() {
        assertThat(Main.run("count", "--strategy", "threads", "--workers", "four")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Invalid value for option '--workers': 'four' is not an int");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
    @Test
    void aBadParameterIsOneLineNamingItAndExitsWithTwo() {
        int status = Main.run("startup-cost", "--jvms", "0");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .startsWith("error: jvmSamples must be between 1 and 20 (got 0)")
                .doesNotContain("\tat ");
    }

    @Test
    void countJsonIsOneObjectWithTheRunsFields() throws Exception {
        int status = Main.run("count", "--strategy", "threads", "--workers", "2", "--max-count", "1000000", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("strategy").asText()).isEqualTo("threads");
        assertThat(json.get("workers").asInt()).isEqualTo(2);
        assertThat(json.get("maxCount").asLong()).isEqualTo(1_000_000L);
        assertThat(json.get("results")).extracting(JsonNode::asLong).containsExactly(1_000_000L, 1_000_000L);
        assertThat(json.get("timeline")).hasSize(2).allSatisfy(span ->
                assertThat(span.has("worker") && span.has("startMillis") && span.has("endMillis")).isTrue());
        assertThat(json.get("wallMillis").asDouble()).isPositive();
        assertThat(json.has("cpuMillis")).isTrue();
    }

    @Test
    void anUnknownStrategyIsOneLineListingTheChoices() {
        int status = Main.run("count", "--strategy", "fibers");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("error: strategy must be one of sequential, processes, threads, gil-threads, virtual-threads (got 'fibers')");
    }

    @Test
    void poolJsonHasTheIssuesFieldsAndATimelineForSmallRuns() throws Exception {
        int status = Main.run("pool", "--kind", "threads", "--workers", "4", "--mode", "map", "--tasks", "5",
                "--max-count", "1000000", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("kind").asText()).isEqualTo("threads");
        assertThat(json.get("workers").asInt()).isEqualTo(4);
        assertThat(json.get("mode").asText()).isEqualTo("map");
        assertThat(json.get("chunksize").asInt()).isEqualTo(1);
        assertThat(json.get("tasks").asLong()).isEqualTo(5);
        assertThat(json.get("resultsChecksum").asLong()).isEqualTo(5_000_000L);
        assertThat(json.get("wallMillis").asDouble()).isPositive();
        assertThat(json.get("timeline")).hasSize(5).allSatisfy(span -> assertThat(span.has("task") && span.has("worker")
                && span.has("startMillis") && span.has("endMillis")).isTrue());
    }

    @Test
    void poolSquaresChecksTheirSumAndLeavesTheTimelineOutOfLargeRuns() throws Exception {
        int status = Main.run("pool", "--kind", "processes", "--workers", "2", "--mode", "imap-unordered",
                "--chunksize", "100", "--squares", "3000", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("resultsChecksum").asLong()).isEqualTo(2999L * 3000 * 5999 / 6);
        assertThat(json.get("chunksize").asInt()).isEqualTo(100);
        assertThat(json.get("timeline")).isEmpty();
        assertThat(json.get("startMillis").asDouble()).isPositive();
    }

    @Test
    void poolClusterMapsTheBenchmarksSquaresCheckedAndSaysWhenItsMembersWereReady() throws Exception {
        int status = Main.run("pool", "--kind", "cluster", "--workers", "2", "--mode", "map", "--squares", "100000", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("kind").asText()).isEqualTo("cluster");
        assertThat(json.get("workers").asInt()).isEqualTo(2);
        assertThat(json.get("resultsChecksum").asLong()).isEqualTo(99_999L * 100_000 * 199_999 / 6);
        assertThat(json.get("startMillis").asDouble()).isPositive();
        assertThat(json.get("wallMillis").asDouble()).isPositive();
    }

    @Test
    void poolClusterImapOneInputPerTaskRunsTasksOnEveryMember() throws Exception {
        int status = Main.run("pool", "--kind", "cluster", "--workers", "2", "--mode", "imap", "--chunksize", "1",
                "--squares", "200", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("chunksize").asInt()).isEqualTo(1);
        assertThat(json.get("resultsChecksum").asLong()).isEqualTo(199L * 200 * 399 / 6);
        assertThat(json.get("timeline")).hasSize(200);
        assertThat(json.get("timeline").findValues("worker").stream().map(JsonNode::asInt).distinct()).hasSize(2);
    }

    @Test
    void poolClusterOfTooManyMembersIsOneLineSayingHowToGetMore() {
        assertThat(Main.run("pool", "--kind", "cluster", "--workers", "9", "--squares", "10")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("error:")).toList()).singleElement()
                .asString().startsWith("error: members must be between 1 and 8 for a cluster pool on this machine (got 9)")
                .contains("join(\"host:port\"");
    }

    @Test
    void poolNeedsExactlyOneWorkload() {
        assertThat(Main.run("pool", "--squares", "10", "--tasks", "3", "--max-count", "5")).isEqualTo(2);
        assertThat(Main.run("pool", "--mode", "map")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mutually exclusive").contains("Missing required");
    }

    @Test
    void poolBadParametersAreOneLineEach() {
        assertThat(Main.run("pool", "--squares", "10", "--chunksize", "0")).isEqualTo(2);
        assertThat(Main.run("pool", "--squares", "10", "--mode", "lazy")).isEqualTo(2);
        assertThat(Main.run("pool", "--squares", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("error:")).toList()).containsExactly(
                "error: chunksize must be at least 1 (got 0): it is how many inputs a worker takes at a time; leave it out for the default",
                "error: mode must be map, imap or imap-unordered (got lazy)",
                "error: tasks must be between 1 and 1,000,000,000 (got 0): it is how many inputs the pool gets");
    }

    @Test
    void sleepersJsonHasTheIssuesFields() throws Exception {
        int status = Main.run("sleepers", "--runner", "virtual-threads", "--tasks", "1000", "--sleep-ms", "50", "--json");

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(json.get("runner").asText()).isEqualTo("virtual-threads");
        assertThat(json.get("tasks").asInt()).isEqualTo(1000);
        assertThat(json.get("sleepMillis").asLong()).isEqualTo(50);
        assertThat(json.get("completed").asInt()).isEqualTo(1000);
        assertThat(json.get("wallMillis").asDouble()).isGreaterThanOrEqualTo(50);
        assertThat(json.get("peakHeapMB").asDouble()).isPositive();
    }

    @Test
    void sleepersBadParametersAreOneLine() {
        assertThat(Main.run("sleepers", "--runner", "event-loop", "--tasks", "5", "--sleep-ms", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("error: sleep must be between 0 and 60,000 ms (got -1 ms)");
    }

    @Test
    void helpListsEverySubCommand() {
        int status = Main.run("--help");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("count", "machine", "startup-cost", "pool");
    }

    @Test
    void loadForASetTimeKeepsCpusBusyAndSaysHowMuchItCounted() {
        int status = Main.run("load", "--threads", "1", "--seconds", "0.2");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("load: 1 thread(s) counting for 0.2 s")
                .containsPattern("load: stopped after [1-9][0-9]* increments");
    }

    @Test
    void loadRefusesASecondsValueOutOfRangeNamingIt() {
        int status = Main.run("load", "--seconds", "0");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--seconds must be from 0.1 to 86400");
    }
}
