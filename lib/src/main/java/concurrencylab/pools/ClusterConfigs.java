package concurrencylab.pools;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast settings of the lab's cluster members and of the pool's client, in one place so
 * that both sides agree: TCP joins to a fixed address list (no multicast, no cloud discovery),
 * one cluster name per pool, nothing sent home, failure detection in seconds rather than a
 * minute, and a durable executor with one thread per member.
 */
final class ClusterConfigs {

    /** The durable executor the pool's tasks run on. */
    static final String EXECUTOR = "lab-pool";
    /** The member attribute that carries the member's number in the pool, from 1. */
    static final String MEMBER_ATTRIBUTE = "lab.member";
    /** Few partitions: the lab's clusters are small, and each partition costs start-up time and memory. */
    static final int PARTITIONS = 31;
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("com.hazelcast"),
            Logger.getLogger("com.hazelcast.client.impl.protocol.task"));
    /**
     * How long a task's submit waits for its backup copy to be acknowledged before it goes on
     * without (Hazelcast's default is 5 s; the task has still run, only its backup is in doubt).
     */
    static final int BACKUP_ACK_MILLIS = 1_000;
    /** Tasks each partition of the durable executor holds (in flight and finished but not yet collected). */
    static final int TASKS_PER_PARTITION = 2_048;

    private ClusterConfigs() {}

    /** Hazelcast's properties shared by members and client: quiet, no phone-home, quick to notice a death. */
    private static void common(java.util.function.BiConsumer<String, String> property) {
        property.accept("hazelcast.phone.home.enabled", "false");
    }

    /**
     * A member of cluster {@code name} listening on {@code host:port} only, joining the members
     * at {@code join} (empty for the first member, which forms the cluster).
     */
    static Config member(String name, int number, String host, int port, List<String> join) {
        Config config = new Config();
        config.setClusterName(name);
        config.setInstanceName(name + "-member-" + number);
        common(config::setProperty);
        // A member's warnings reach the cell through its standard error, prefixed "[member N]".
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
        // A member that is killed closes its sockets at once; the others need not wait a minute to believe it.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        // A write waits for its backup's acknowledgement at most this long (5 s by default): a member
        // killed mid-map held backups, and every task whose backup it held would wait that long.
        config.setProperty("hazelcast.operation.backup.timeout.millis", Integer.toString(BACKUP_ACK_MILLIS));
        // Joins are on a known address list, so there is nothing to wait for before joining.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "3600");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        config.setProperty("hazelcast.event.thread.count", "1");
        config.setProperty("hazelcast.operation.thread.count", "2");
        config.setProperty("hazelcast.operation.generic.thread.count", "1");
        config.setProperty("hazelcast.io.thread.count", "1");
        config.getMemberAttributeConfig().setAttribute(MEMBER_ATTRIBUTE, Integer.toString(number));
        config.getJetConfig().setEnabled(false);
        config.getSqlConfig().setStatementTimeoutMillis(0);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false).setPublicAddress(host + ":" + port);
        network.getInterfaces().setEnabled(true).addInterface(host);
        network.getRestApiConfig().setEnabled(false);
        JoinConfig joins = network.getJoin();
        joins.getMulticastConfig().setEnabled(false);
        joins.getAutoDetectionConfig().setEnabled(false);
        joins.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(join.isEmpty()
                ? List.of(host + ":" + port) : join);
        config.getDurableExecutorConfig(EXECUTOR).setPoolSize(1).setDurability(1).setCapacity(TASKS_PER_PARTITION);
        return config;
    }

    /** The pool's client: connects to {@code addresses} of cluster {@code name}, giving up after {@code connectMillis}. */
    static ClientConfig client(String name, List<String> addresses, long connectMillis) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(name);
        config.setInstanceName(name + "-client-" + Long.toString(System.nanoTime(), 36));
        common(config::setProperty);
        // The client runs in the learner's kernel: what matters reaches the cell as the pool's own messages.
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.client.event.thread.count", "1");
        // The client too waits for backup acknowledgements (sent to it directly): as long as a member does.
        config.setProperty("hazelcast.client.operation.backup.timeout.millis", Integer.toString(BACKUP_ACK_MILLIS));
        config.setProperty("hazelcast.client.shutdownhook.enabled", "false");
        // A task's result waits on its member; without this the client would give up on a long task after two minutes.
        config.setProperty("hazelcast.client.invocation.timeout.seconds", Long.toString(Integer.MAX_VALUE / 1000));
        config.getNetworkConfig().setAddresses(addresses).setSmartRouting(true).setConnectionTimeout(2_000);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectMillis)
                .setInitialBackoffMillis(100).setMaxBackoffMillis(1_000);
        config.getConnectionStrategyConfig().setAsyncStart(false);
        return config;
    }

    /**
     * Keeps a member's Hazelcast logging (java.util.logging) to errors: its INFO lines would fill a
     * cell, and when a member is killed the others log a dozen warnings with stacks, where the
     * pool's own one line says what happened.
     */
    static void quietLogging() {
        // (The loggers are held in a static list: java.util.logging keeps only weak references, and a
        // collected logger would come back at its default level.)
        QUIETED.get(0).setLevel(Level.SEVERE);
        // When the pool's client shuts down, a member still reads a few hundred of its last messages
        // after the connection closed and logs each as SEVERE ("must authenticate before any
        // operation"): nothing is wrong, the client is going. A client message task's real failure
        // travels back to the client as its exception.
        QUIETED.get(1).setLevel(Level.OFF);
    }

    /** "host:port" checked: a host without spaces and a port from 1 to 65535. */
    static String address(String text) {
        String value = String.valueOf(text).trim();
        int colon = value.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (colon <= 0 || port < 1 || port > 65_535 || value.substring(0, colon).isBlank() || value.contains(" ")) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a member's address must be host:port, e.g."
                    + " 10.0.0.2:5701 (got \"%s\")", text));
        }
        return value;
    }
}
