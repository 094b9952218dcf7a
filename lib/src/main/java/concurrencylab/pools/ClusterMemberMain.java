package concurrencylab.pools;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import concurrencylab.runners.ChildJvms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The entry point of a cluster pool's member: one Hazelcast member, with the helper jar on its
 * class path so that it can run the pool's functions. The pool starts these on this machine
 * (loopback only); to spread a pool over machines, start one on each with its own address and
 * give the pool their addresses ({@link Pool.Builder#join}):
 *
 * <pre>{@code
 * java -Xmx128m -cp concurrency-lab.jar concurrencylab.pools.ClusterMemberMain \
 *      --cluster my-lab --member 1 --bind 10.0.0.2 --port 5701
 * java -Xmx128m -cp concurrency-lab.jar concurrencylab.pools.ClusterMemberMain \
 *      --cluster my-lab --member 2 --bind 10.0.0.3 --port 5701 --join 10.0.0.2:5701
 * }</pre>
 *
 * <p>It prints {@code STARTED <pid> <host:port>} once it is a member, then {@code READY} once the
 * cluster holds {@code --expect} members and its partitions are safe (backed up). Hazelcast's
 * open-source edition has no authentication and no encryption: anyone who can reach the port
 * can join or send tasks, so members belong on a private network. With {@code --parent PID} it
 * halts when that process is gone, as every child JVM of the lab does.
 */
public final class ClusterMemberMain {

    private ClusterMemberMain() {}

    public static void main(String[] args) throws InterruptedException {
        String cluster = null;
        String bind = "127.0.0.1";
        int port = 5701;
        int number = 1;
        int expect = 1;
        long parent = -1;
        List<String> join = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--cluster" -> cluster = value;
                    case "--bind" -> bind = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--member" -> number = Integer.parseInt(value);
                    case "--expect" -> expect = Integer.parseInt(value);
                    case "--parent" -> parent = Long.parseLong(value);
                    case "--join" -> Arrays.stream(value.split(",")).filter(s -> !s.isBlank())
                            .forEach(a -> join.add(ClusterConfigs.address(a)));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (cluster == null || cluster.isBlank()) {
                throw new IllegalArgumentException("--cluster NAME is required: members join only a cluster of their name");
            }
            if (port < 1 || port > 65_535 || number < 1 || expect < 1) {
                throw new IllegalArgumentException("--port must be 1..65535, --member and --expect at least 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ClusterMemberMain: " + e.getMessage());
            System.err.println("usage: ClusterMemberMain --cluster NAME [--member N] [--bind HOST] [--port P]"
                    + " [--join HOST:PORT,...] [--expect MEMBERS] [--parent PID]");
            System.exit(2);
            return;
        }
        if (parent > 0) {
            ChildJvms.watchParent(parent);
            // The pool closes this member's standard input to stop it.
            Thread.ofPlatform().daemon().name("stdin-watch").start(() -> {
                try {
                    while (System.in.read() != -1) {
                        // nothing is sent on it
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
                Runtime.getRuntime().halt(0);
            });
        }
        ClusterConfigs.quietLogging();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(ClusterConfigs.member(cluster, number, bind, port, join));
        System.out.println("STARTED " + ProcessHandle.current().pid() + " " + bind + ":" + port + " "
                + member.getCluster().getLocalMember().getUuid());
        System.out.flush();
        // Ready for work once every expected member is in and each partition has its backup.
        while (member.getCluster().getMembers().size() < expect || !member.getPartitionService().isClusterSafe()) {
            Thread.sleep(20);
        }
        System.out.println(String.format(Locale.ROOT, "READY %d", member.getCluster().getMembers().size()));
        System.out.flush();
        // The member's own threads keep this JVM alive until it is shut down or killed.
    }
}
