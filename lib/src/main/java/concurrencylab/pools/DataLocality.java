package concurrencylab.pools;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import concurrencylab.chart.Charts;
import concurrencylab.display.Displayable;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jfree.chart.JFreeChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where the computing happens, next to partitioned data or in the caller: one answer (a checksum
 * of every value in a Hazelcast {@code IMap} spread over a cluster pool's members) reached three
 * ways, with the bytes each moved.
 *
 * <ul>
 *   <li><b>shipped to the caller</b>: the caller fetches every value and sums them itself, the
 *       way a pool that is handed the data works;</li>
 *   <li><b>a task on each member</b>: one task per member sums the entries that member owns
 *       ({@code IMap.localKeySet}), and only its sum travels back;</li>
 *   <li><b>an aggregation</b>: Hazelcast's own way, {@code IMap.aggregate}, which runs the
 *       same sum next to each partition and combines the partial sums.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Pool pool = Pool.cluster(3)) {
 *     DataLocality.Comparison c = DataLocality.compare(pool, 20_000, 1_000);
 *     Display.show(c);            // a table: time, bytes to the caller, bytes on the network
 *     Display.show(c.chart());
 * }
 * }</pre>
 *
 * <p>Bytes on the network are read from Linux's {@code /proc/net/dev} (every interface of this
 * machine, loopback included, bytes received) before and after each way: on a cluster of this
 * machine's loopback members that is all the traffic between the caller and the members and
 * between members. Elsewhere the figure is unknown (-1).
 */
public final class DataLocality {

    /** The most entries one comparison puts in the map. */
    public static final int MAX_ENTRIES = 1_000_000;
    /** The largest value, in bytes. */
    public static final int MAX_VALUE_BYTES = 1_000_000;
    /** The most data (entries x value bytes) one comparison holds: with its backup copy, twice this is in the members' heaps. */
    public static final long MAX_TOTAL_BYTES = 64L << 20;

    private static final int BATCH = 1_000;
    private static final long WAY_TIMEOUT_SECONDS = 120;
    private static final Path NET_DEV = Path.of("/proc/net/dev");

    private DataLocality() {
    }

    /** One way to the answer, measured. */
    public record Way(String name, double millis, long bytesToCaller, long networkBytes, long checksum) {

        /** "12.3 MB" or "48 bytes": what reached the caller, readable. */
        public String bytesToCallerText() {
            return bytes(bytesToCaller);
        }
    }

    /** The three ways over the same map, the entries each member owned, and the expected answer. */
    public record Comparison(int entries, int valueBytes, double loadMillis, long loadNetworkBytes, long expected,
                             Map<String, Integer> perMember, List<Way> ways) implements Displayable {

        public Comparison {
            perMember = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perMember));
            ways = List.copyOf(ways);
        }

        /** Whether every way reached the checksum the values were made with. */
        public boolean sameAnswer() {
            return ways.stream().allMatch(way -> way.checksum() == expected);
        }

        /** The way that fetched the data to the caller. */
        public Way shipped() {
            return ways.get(0);
        }

        /** The way that ran one task on each member, next to its data. */
        public Way nextToData() {
            return ways.get(1);
        }

        /** Hazelcast's aggregation. */
        public Way aggregated() {
            return ways.get(2);
        }

        /** One row per way. */
        public Table table() {
            StringColumn name = StringColumn.create("way");
            DoubleColumn millis = DoubleColumn.create("ms");
            StringColumn toCaller = StringColumn.create("values' bytes to the caller");
            StringColumn network = StringColumn.create("bytes on the network");
            StringColumn right = StringColumn.create("answer");
            for (Way way : ways) {
                name.append(way.name());
                millis.append(Math.round(way.millis() * 10) / 10.0);
                toCaller.append(way.bytesToCallerText());
                network.append(way.networkBytes() < 0 ? "unknown" : bytes(way.networkBytes()));
                right.append(way.checksum() == expected ? "right" : "WRONG (" + way.checksum() + ")");
            }
            return Table.create(String.format(Locale.ROOT, "A checksum of %,d values of %,d bytes (%s) on %d member%s",
                    entries, valueBytes, bytes((long) entries * valueBytes), perMember.size(),
                    perMember.size() == 1 ? "" : "s"), name, millis, toCaller, network, right);
        }

        /** Bars of the bytes each way moved over the network (or, where unknown, to the caller), on a log axis. */
        public JFreeChart chart() {
            boolean known = ways.stream().allMatch(way -> way.networkBytes() >= 0);
            Map<String, Double> values = new LinkedHashMap<>();
            for (Way way : ways) {
                values.put(way.name(), (double) Math.max(1, known ? way.networkBytes() : way.bytesToCaller()));
            }
            return Charts.bars(String.format(Locale.ROOT, "Bytes moved to sum %s of values spread over %d members",
                            bytes((long) entries * valueBytes), perMember.size()),
                    known ? "bytes on the network (log scale)" : "values' bytes to the caller (log scale)", values, true);
        }

        /** Entries and members as a Tablesaw table: how evenly the partitions spread the data. */
        public Table membersTable() {
            StringColumn member = StringColumn.create("member");
            LongColumn count = LongColumn.create("entries it owns");
            perMember.forEach((m, n) -> {
                member.append(m);
                count.append(n);
            });
            return Table.create("Where the entries live", member, count);
        }

        @Override
        public Object toDisplay() {
            return table();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d values of %,d bytes on %d members:",
                    entries, valueBytes, perMember.size()));
            for (Way way : ways) {
                text.append(String.format(Locale.ROOT, "%n  %-22s %8.1f ms, %s to the caller, %s on the network%s",
                        way.name(), way.millis(), way.bytesToCallerText(),
                        way.networkBytes() < 0 ? "unknown" : bytes(way.networkBytes()),
                        way.checksum() == expected ? "" : ", WRONG answer"));
            }
            text.append(String.format(Locale.ROOT, "%nLoading the map before them took %,.0f ms and moved %s on the network"
                            + " (each value to the member that owns it, and a copy to its backup).", loadMillis,
                    loadNetworkBytes < 0 ? "an unknown number of bytes" : bytes(loadNetworkBytes)));
            return text.toString();
        }
    }

    /**
     * Puts {@code entries} values of {@code valueBytes} bytes into a new map on {@code pool}'s
     * members, sums them the three ways (each once to warm it, then timed), and removes the map.
     *
     * @throws IllegalArgumentException for a pool that is not a cluster pool, or sizes out of range
     */
    public static Comparison compare(Pool pool, int entries, int valueBytes) {
        if (!(pool instanceof ClusterPool cluster)) {
            throw new IllegalArgumentException("DataLocality.compare needs a cluster pool, e.g. Pool.cluster(3) (got a "
                    + (pool == null ? "null" : pool.kind().label()) + " pool): only a cluster's members hold partitioned data to compute next to");
        }
        if (entries < 1 || entries > MAX_ENTRIES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "entries must be from 1 to %,d (got %,d)", MAX_ENTRIES, entries));
        }
        if (valueBytes < 1 || valueBytes > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "valueBytes must be from 1 to %,d (got %,d)",
                    MAX_VALUE_BYTES, valueBytes));
        }
        long total = (long) entries * valueBytes;
        long fits = cluster.joined() ? MAX_TOTAL_BYTES
                : Math.min(MAX_TOTAL_BYTES, (long) cluster.workers() * cluster.heapMegabytes() * (1L << 20) / 4);
        if (total > fits) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "entries x valueBytes = %s is more than the %s these members hold (each value is kept twice, with its backup, "
                            + "in heaps of %d MB): lower entries or valueBytes", bytes(total), bytes(fits), cluster.heapMegabytes()));
        }
        HazelcastInstance client = cluster.client();
        if (client == null || !client.getLifecycleService().isRunning() || pool.isBroken()) {
            throw new IllegalStateException("this cluster pool is closed or broken: make a new one with Pool.cluster(n)");
        }
        String name = "lab-locality-" + UUID.randomUUID();
        IMap<Integer, byte[]> map = client.getMap(name);
        try {
            long net0 = networkBytes();
            long t0 = System.nanoTime();
            long expected = load(map, entries, valueBytes);
            double loadMillis = (System.nanoTime() - t0) / 1e6;
            long loadNet = difference(net0, networkBytes());
            Map<String, Integer> perMember = owners(client, entries);
            List<Way> ways = new ArrayList<>();
            ways.add(timed("shipped to the caller", () -> shipped(map, entries)));
            ways.add(timed("a task on each member", () -> onEachMember(client, name)));
            ways.add(timed("an aggregation", () -> new long[] {map.aggregate(new ChecksumAggregator()), 8L * perMember.size()}));
            return new Comparison(entries, valueBytes, loadMillis, loadNet, expected, perMember, ways);
        } finally {
            try {
                map.destroy();
            } catch (RuntimeException e) {
                // the pool is going or gone: its members take the map with them
            }
        }
    }

    /** Runs a way twice (the first warms the code on both sides) and measures the second. */
    private static Way timed(String name, WayBody body) {
        long[] warm = body.run();
        long net0 = networkBytes();
        long t0 = System.nanoTime();
        long[] result = body.run();
        double millis = (System.nanoTime() - t0) / 1e6;
        long net = difference(net0, networkBytes());
        if (warm[0] != result[0]) {
            throw new IllegalStateException(name + " gave two answers for the same data: " + warm[0] + " and " + result[0]);
        }
        return new Way(name, millis, result[1], net, result[0]);
    }

    @FunctionalInterface
    private interface WayBody {
        /** {checksum, bytes of values that reached the caller}. */
        long[] run();
    }

    /** The value stored under {@code key}: bytes from a generator seeded with the key, so every way can be checked. */
    static byte[] value(int key, int valueBytes) {
        byte[] bytes = new byte[valueBytes];
        new SplittableRandom(key * 0x9E3779B97F4A7C15L).nextBytes(bytes);
        return bytes;
    }

    /** A value's share of the checksum: order matters within a value, and the key is part of it. */
    static long checksum(int key, byte[] value) {
        long h = key;
        for (byte b : value) {
            h = h * 31 + (b & 0xff);
        }
        return h;
    }

    private static long load(IMap<Integer, byte[]> map, int entries, int valueBytes) {
        long expected = 0;
        Map<Integer, byte[]> batch = new HashMap<>();
        for (int key = 0; key < entries; key++) {
            byte[] value = value(key, valueBytes);
            expected += checksum(key, value);
            batch.put(key, value);
            if (batch.size() == BATCH || key == entries - 1) {
                map.putAll(batch);
                batch.clear();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted while filling the map; the map is removed");
            }
        }
        return expected;
    }

    private static long[] shipped(IMap<Integer, byte[]> map, int entries) {
        long sum = 0;
        long bytes = 0;
        for (int from = 0; from < entries; from += BATCH) {
            Set<Integer> keys = new java.util.HashSet<>();
            for (int key = from; key < Math.min(entries, from + BATCH); key++) {
                keys.add(key);
            }
            for (Map.Entry<Integer, byte[]> entry : map.getAll(keys).entrySet()) {
                sum += checksum(entry.getKey(), entry.getValue());
                bytes += entry.getValue().length;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted while fetching the values; the map is removed");
            }
        }
        return new long[] {sum, bytes};
    }

    private static long[] onEachMember(HazelcastInstance client, String name) {
        IExecutorService executor = client.getExecutorService("lab-locality");
        Map<Member, Future<Long>> futures = executor.submitToAllMembers(new SumLocalEntries(name));
        long sum = 0;
        for (Map.Entry<Member, Future<Long>> entry : futures.entrySet()) {
            sum += await(entry.getValue(), "the task on member " + entry.getKey().getAttribute(ClusterConfigs.MEMBER_ATTRIBUTE));
        }
        return new long[] {sum, 8L * futures.size()};
    }

    private static long await(Future<Long> future, String what) {
        try {
            return future.get(WAY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException(what + " did not answer within " + WAY_TIMEOUT_SECONDS + " s");
        }
    }

    /** Entries per member, "member 1" and on, counted from the partition table (which member owns each key's partition). */
    private static Map<String, Integer> owners(HazelcastInstance client, int entries) {
        Map<Integer, String> ownerOfPartition = new HashMap<>();
        for (Partition partition : client.getPartitionService().getPartitions()) {
            Member owner = partition.getOwner();
            ownerOfPartition.put(partition.getPartitionId(), owner == null ? "no member"
                    : "member " + owner.getAttribute(ClusterConfigs.MEMBER_ATTRIBUTE));
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (int key = 0; key < entries; key++) {
            int partition = client.getPartitionService().getPartition(key).getPartitionId();
            counts.merge(ownerOfPartition.getOrDefault(partition, "no member"), 1, Integer::sum);
        }
        return counts;
    }

    /** Bytes received on every interface of this machine so far, or -1 where Linux's counters are not readable. */
    static long networkBytes() {
        try {
            long total = 0;
            for (String line : Files.readAllLines(NET_DEV, StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    total += Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[0]);
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long difference(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    static String bytes(long bytes) {
        if (bytes < 10_000) {
            return String.format(Locale.ROOT, "%,d bytes", bytes);
        }
        if (bytes < 10_000_000) {
            return String.format(Locale.ROOT, "%,.1f kB", bytes / 1e3);
        }
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }

    /** Runs on a member: sums the checksums of the entries this member owns. Only the sum travels back. */
    static final class SumLocalEntries implements Callable<Long>, Serializable, HazelcastInstanceAware {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String map;
        private transient HazelcastInstance member;

        SumLocalEntries(String map) {
            this.map = map;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.member = instance;
        }

        @Override
        public Long call() {
            IMap<Integer, byte[]> entries = member.getMap(map);
            long sum = 0;
            List<Integer> keys = new ArrayList<>(entries.localKeySet());
            for (int from = 0; from < keys.size(); from += BATCH) {
                Set<Integer> batch = new java.util.HashSet<>(keys.subList(from, Math.min(keys.size(), from + BATCH)));
                for (Map.Entry<Integer, byte[]> entry : entries.getAll(batch).entrySet()) {
                    sum += checksum(entry.getKey(), entry.getValue());
                }
            }
            return sum;
        }
    }

    /** Hazelcast's aggregation of the same checksum: accumulated next to each partition, partial sums combined. */
    static final class ChecksumAggregator implements Aggregator<Map.Entry<Integer, byte[]>, Long> {
        @Serial
        private static final long serialVersionUID = 1L;
        private long sum;

        @Override
        public void accumulate(Map.Entry<Integer, byte[]> entry) {
            sum += checksum(entry.getKey(), entry.getValue());
        }

        @Override
        public void combine(Aggregator aggregator) {
            sum += ((ChecksumAggregator) aggregator).sum;
        }

        @Override
        public Long aggregate() {
            return sum;
        }
    }
}
