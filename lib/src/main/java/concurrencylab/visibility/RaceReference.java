package concurrencylab.visibility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import concurrencylab.display.Displayable;
import concurrencylab.display.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lesson's races as measured on a machine with several CPUs, shipped with the lab, to show
 * beside a one-CPU session's own run (where a reordering inside the CPU cannot show).
 *
 * <p>Made by {@code java -cp lib/target/concurrency-lab.jar concurrencylab.visibility.RaceReference FILE},
 * which runs each race on this machine for a minute (or {@link #ROUNDS} rounds) and writes them with its
 * description and the date. {@link #load()} reads the copy in the jar.
 *
 * <pre>{@code
 * Display.show(RaceReference.load());    // a table, labelled with the machine and the date
 * }</pre>
 *
 * @param machine what it ran on, e.g. "a 2-CPU x86-64 Linux machine (Java 25.0.3)"
 * @param date when, as yyyy-mm-dd
 * @param runs each race's outcomes
 */
public record RaceReference(String machine, String date, List<Outcomes> runs) implements Displayable {

    /** Where the shipped copy lives on the class path. */
    public static final String RESOURCE = "/concurrencylab/reference/visibility-reference.json";
    /** Rounds of each race in a reference run, at most: each also stops after {@link #MINUTES_EACH} minute. */
    public static final long ROUNDS = Racer.MAX_ROUNDS;
    /** How long each race of a reference run may take. */
    public static final int MINUTES_EACH = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the list. */
    public RaceReference {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(date, "date");
        runs = List.copyOf(runs);
    }

    /**
     * The reference shipped in the jar.
     *
     * @throws IllegalStateException if the jar holds none (a build without its resources)
     */
    public static RaceReference load() {
        try (InputStream in = RaceReference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCE + "; rebuild it with ./lab build");
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs every race on this machine for a minute each (or {@link #ROUNDS} rounds): about five minutes. */
    public static RaceReference measure() {
        Duration limit = Duration.ofMinutes(MINUTES_EACH);
        List<Outcomes> runs = new ArrayList<>();
        for (Racer.Publish how : Racer.Publish.values()) {
            runs.add(Racer.publication(how, ROUNDS, limit));
        }
        for (Racer.Fields how : Racer.Fields.values()) {
            runs.add(Racer.storeBuffering(how, ROUNDS, limit));
        }
        String machine = "a " + Runtime.getRuntime().availableProcessors() + "-CPU " + System.getProperty("os.arch")
                + " " + System.getProperty("os.name") + " machine (Java " + System.getProperty("java.version") + ")";
        return new RaceReference(machine, LocalDate.now().toString(), runs);
    }

    /** The reference's table, titled with the machine and the date. */
    @Override
    public Object toDisplay() {
        Html table = Outcomes.table(runs);
        return new Html("<p><b>Reference run</b>: " + Html.escape(machine) + ", " + Html.escape(date) + "</p>" + table.html(),
                toString());
    }

    @Override
    public String toString() {
        return "reference run on " + machine + ", " + date + ": " + runs.size() + " races";
    }

    /** Writes it as JSON. */
    public Path write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("machine", machine);
        root.put("date", date);
        ArrayNode list = root.putArray("runs");
        for (Outcomes o : runs) {
            ObjectNode run = list.addObject();
            run.put("test", o.test());
            run.put("variant", o.variant());
            run.put("rounds", o.rounds());
            run.put("elapsedMillis", o.elapsed().toMillis());
            run.put("cpus", o.cpus());
            ObjectNode counts = run.putObject("counts");
            o.outcomes().forEach(x -> counts.put(x.name(), x.count()));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static RaceReference parse(JsonNode json) {
        List<Outcomes> runs = new ArrayList<>();
        for (JsonNode run : json.get("runs")) {
            String test = run.get("test").asText();
            String variant = run.get("variant").asText();
            // The outcomes' expectations and meanings come from the race itself, the counts from the file.
            Outcomes shape = test.equals("publication")
                    ? Racer.publication(publishOf(variant), 1, Duration.ofSeconds(1))
                    : Racer.storeBuffering(fieldsOf(variant), 1, Duration.ofSeconds(1));
            List<Outcomes.Outcome> counted = new ArrayList<>();
            for (Outcomes.Outcome o : shape.outcomes()) {
                counted.add(new Outcomes.Outcome(o.name(), o.expect(), o.meaning(), run.get("counts").get(o.name()).asLong()));
            }
            runs.add(new Outcomes(test, variant, counted, run.get("rounds").asLong(),
                    Duration.ofMillis(run.get("elapsedMillis").asLong()), run.get("cpus").asInt(), null));
        }
        return new RaceReference(json.get("machine").asText(), json.get("date").asText(), runs);
    }

    private static Racer.Publish publishOf(String variant) {
        for (Racer.Publish p : Racer.Publish.values()) {
            if (p.toString().equals(variant)) {
                return p;
            }
        }
        throw new IllegalStateException("unknown publication variant in the reference: " + variant);
    }

    private static Racer.Fields fieldsOf(String variant) {
        for (Racer.Fields f : Racer.Fields.values()) {
            if (f.toString().equals(variant)) {
                return f;
            }
        }
        throw new IllegalStateException("unknown store-buffering variant in the reference: " + variant);
    }

    /** Measures a reference on this machine and writes it to the file named by the first argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RaceReference FILE (e.g. lib/src/main/resources" + RESOURCE + ")");
            System.exit(2);
        }
        RaceReference reference = measure();
        reference.write(Path.of(args[0]));
        System.out.println(reference);
        reference.runs().forEach(System.out::println);
    }
}
