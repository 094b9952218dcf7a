package concurrencylab.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import concurrencylab.runners.ChildJvms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster pool across a real network boundary: three members, each in a network namespace of
 * its own (its own interfaces, addresses and routes, as a separate machine has), joined over a
 * bridge on private addresses this test makes and removes. The caller joins them by address, as
 * a learner joins members on other machines. Needs root on Linux and {@code ip}; skipped otherwise.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterAcrossNamespacesTest {

    private static final int MEMBERS = 3;
    private static final int PORT = 5701;

    @Test
    void aMapRunsOnMembersInThreeNetworkNamespacesJoinedByAddress() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "network namespaces are Linux's");
        assumeTrue(effectiveUid() == 0, "network namespaces need root (this test runs as " + System.getProperty("user.name") + ")");
        assumeTrue(run(List.of("ip", "netns", "list"), false) != null, "no ip(8) here (Debian's iproute2 has it)");

        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        String subnet = freeSubnet();
        String bridge = "lb" + id;
        List<String> namespaces = new ArrayList<>();
        List<Process> members = new ArrayList<>();
        try {
            // Root inside a container may still lack the right to make devices or namespaces: that is the machine, not the lab.
            assumeTrue(run(List.of("ip", "link", "add", bridge, "type", "bridge"), false) != null,
                    "this machine does not let root make a bridge (ip link add ... type bridge failed)");
            String probe = "lab-" + id + "-probe";
            assumeTrue(run(List.of("ip", "netns", "add", probe), false) != null, "this machine does not let root make a network namespace");
            run(List.of("ip", "netns", "delete", probe), true);
            run(List.of("ip", "addr", "add", subnet + ".1/24", "dev", bridge), true);
            run(List.of("ip", "link", "set", bridge, "up"), true);
            List<String> addresses = new ArrayList<>();
            for (int m = 1; m <= MEMBERS; m++) {
                String ns = "lab-" + id + "-" + m;
                String outside = "lv" + id + "o" + m;
                String inside = "lv" + id + "i" + m;
                run(List.of("ip", "netns", "add", ns), true);
                namespaces.add(ns);
                run(List.of("ip", "link", "add", outside, "type", "veth", "peer", "name", inside), true);
                run(List.of("ip", "link", "set", inside, "netns", ns), true);
                run(List.of("ip", "link", "set", outside, "master", bridge, "up"), true);
                run(List.of("ip", "-n", ns, "addr", "add", subnet + "." + (10 + m) + "/24", "dev", inside), true);
                run(List.of("ip", "-n", ns, "link", "set", inside, "up"), true);
                run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), true);
                addresses.add(subnet + "." + (10 + m) + ":" + PORT);
            }
            String cluster = "lab-netns-" + id;
            for (int m = 1; m <= MEMBERS; m++) {
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(m - 1)));
                command.addAll(ChildJvms.command(128, ClusterMemberMain.class));
                command.addAll(List.of("--cluster", cluster, "--member", Integer.toString(m), "--bind", subnet + "." + (10 + m),
                        "--port", Integer.toString(PORT), "--join", String.join(",", addresses),
                        "--parent", Long.toString(ProcessHandle.current().pid())));
                members.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }

            try (Pool pool = Pool.builder(Pool.Kind.CLUSTER).workers(MEMBERS).clusterName(cluster)
                    .join(addresses.toArray(String[]::new)).connectTimeout(Duration.ofSeconds(90)).build()) {
                List<Long> inputs = LongStream.range(0, 600).boxed().toList();
                assertThat(pool.map(PoolFunctions.square(), inputs, 20)).isEqualTo(inputs.stream().map(x -> x * x).toList());
                assertThat(pool.lastCall().timeline()).extracting(TaskSpan::worker).contains(1, 2, 3);
                assertThat(pool.toString()).contains(subnet + ".11:" + PORT);
            }
            // The pool joined these members; it does not own them: they are still there.
            assertThat(members).allMatch(Process::isAlive);
        } finally {
            for (Process member : members) {
                member.destroyForcibly();
                member.waitFor(10, TimeUnit.SECONDS);
            }
            for (String ns : namespaces) {
                run(List.of("ip", "netns", "delete", ns), false); // takes its end of the veth pair, and so the pair, with it
            }
            run(List.of("ip", "link", "delete", bridge), false);
        }
        assertThat(run(List.of("ip", "netns", "list"), true)).doesNotContain("lab-" + id);
        assertThat(run(List.of("ip", "link", "show"), true)).doesNotContain(bridge);
    }

    /** This process's effective user id, from Linux's /proc/self/status ("Uid: real effective saved fs"); -1 if unreadable. */
    private static long effectiveUid() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux's /proc
        }
        return -1;
    }

    /** "10.213.N": a /24 no interface of this machine has an address in. */
    private static String freeSubnet() throws IOException, InterruptedException {
        String used = run(List.of("ip", "-4", "addr", "show"), true);
        for (int n = ThreadLocalRandom.current().nextInt(256), tries = 0; tries < 256; n = (n + 1) % 256, tries++) {
            if (!used.contains("10.213." + n + ".")) {
                return "10.213." + n;
            }
        }
        throw new IllegalStateException("every 10.213.N.0/24 is in use on this machine");
    }

    /** Runs a command; its output, or null when it could not run (or failed and {@code required} is false). */
    private static String run(List<String> command, boolean required) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            if (required) {
                throw e;
            }
            return null;
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            if (required) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + text.strip());
            }
            return null;
        }
        return text;
    }
}
