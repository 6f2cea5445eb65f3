package io.portaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In a namespace of its own (pa-inv1, 10.77.20.0/24 on a veth pair whose both ends stay inside):
 * {@code portaudit inventory --json --netns current} run there agrees exactly with {@code ss -Htulpn}
 * (protocol/address/port/pid), and a listener in a child namespace shows up with its own netns
 * under {@code --netns all} and is hidden by {@code --netns current}.
 */
@LabTest
class InventoryLabTest {
    private static final String NS = Lab.unique("pa-inv1");
    private static final Duration T = Duration.ofSeconds(30);
    private static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        Lab.run(T, "ip", "route", "add", "blackhole", "10.77.0.0/16");
        Lab.run(T, "ip", "-6", "route", "add", "blackhole", "fd77::/16");
        Lab.run(T, "ip", "netns", "del", NS);
        Lab.run(T, "ip", "netns", "add", NS).requireOk("ip netns add");
        Lab.inNs(NS, T, "ip", "link", "set", "lo", "up").requireOk("lo up");
        Lab.inNs(NS, T, "ip", "link", "add", "inv1a", "type", "veth", "peer", "name", "inv1b").requireOk("veth");
        Lab.inNs(NS, T, "ip", "addr", "add", "10.77.20.2/24", "dev", "inv1a").requireOk("addr");
        Lab.inNs(NS, T, "ip", "link", "set", "inv1a", "up").requireOk("up");
        start("socat", "TCP4-LISTEN:21,reuseaddr,fork", "EXEC:/bin/true");
        start("socat", "TCP6-LISTEN:80,ipv6only=0,reuseaddr,fork", "EXEC:/bin/true");
        start("socat", "TCP4-LISTEN:23,bind=10.77.20.2,reuseaddr,fork", "EXEC:/bin/true");
        start("socat", "TCP6-LISTEN:6000,ipv6only=1,reuseaddr,fork", "EXEC:/bin/true");
        start("socat", "UDP4-RECVFROM:5353,reuseaddr,fork", "EXEC:/bin/true");
        // a container stand-in: a child network namespace of pa-inv1
        started.add(new ProcessBuilder("ip", "netns", "exec", NS, "unshare", "-n", "sh", "-c",
                "ip link set lo up; exec socat TCP4-LISTEN:7777,reuseaddr,fork EXEC:/bin/true").start());
        for (int i = 0; i < 50; i++) {
            String ss = Lab.inNs(NS, T, "ss", "-Htln").out();
            if (ss.contains(":21 ") && ss.contains(":6000 ") && ss.contains(":80 ")) break;
            Thread.sleep(100);
        }
        Thread.sleep(300);
    }

    private static void start(String... argv) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        full.addAll(List.of(argv));
        started.add(new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    @AfterAll
    static void down() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        String pids = Lab.run(T, "ip", "netns", "pids", NS).out();
        for (String pid : pids.split("\\s+")) if (!pid.isBlank()) Lab.run(T, "kill", pid.trim());
        Lab.run(T, "ip", "netns", "del", NS);
    }

    private static JsonNode inventory(String netns) throws Exception {
        Lab.Result r = Lab.portauditInNs(NS, Duration.ofMinutes(5), "inventory", "--json", "--netns", netns);
        // 3 = incomplete: allowed for --netns all when some process's ns link is unreadable (sandboxed pid 1), never for current
        if (netns.equals("current")) assertThat(r.exit()).as(r.err()).isZero();
        else assertThat(r.exit()).as(r.err()).isIn(0, 3);
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void agreesExactlyWithSsInsideTheNamespace() throws Exception {
        Set<String> ss = SsListing.fromSs(Lab.inNs(NS, T, "ss", "-Htulpn").out());
        Set<String> ours = SsListing.fromInventory(inventory("current"));
        assertThat(ss).hasSizeGreaterThanOrEqualTo(5);
        assertThat(ours).isEqualTo(ss);
    }

    @Test
    void scopesInsideTheNamespace() throws Exception {
        JsonNode ls = inventory("current").path("listeners");
        for (JsonNode l : ls) {
            switch (l.path("port").asInt()) {
                // socat's own IPV6_V6ONLY, invisible in /proc/net/tcp6, comes from ss -e (netlink sock_diag)
                case 80 -> {
                    assertThat(l.path("scope").asText()).isEqualTo("all+ipv4");
                    assertThat(l.path("dualStack").asBoolean()).isTrue();
                    assertThat(l.path("note").asText()).contains("v6only:0");
                }
                case 23 -> {
                    assertThat(l.path("scope").asText()).isEqualTo("specific");
                    assertThat(l.path("iface").asText()).isEqualTo("inv1a");
                }
                // bindv6only is 0 here: only the socket's own flag (ss -e) shows that it is v6-only
                case 6000 -> {
                    assertThat(l.path("scope").asText()).isEqualTo("all");
                    assertThat(l.path("dualStack").asBoolean()).isFalse();
                    assertThat(l.path("note").asText()).contains("v6only:1");
                }
                default -> { }
            }
        }
    }

    @Test
    void childNamespaceListenerAppearsWithItsNetnsAndCurrentHidesIt() throws Exception {
        String own = Lab.inNs(NS, T, "readlink", "/proc/self/ns/net").out().trim();
        List<JsonNode> child = new ArrayList<>();
        inventory("all").path("listeners").forEach(l -> {
            if (l.path("port").asInt() == 7777) child.add(l);
        });
        assertThat(child).hasSize(1);
        assertThat(child.get(0).path("netns").asText()).startsWith("net:[").isNotEqualTo(own);
        assertThat(child.get(0).path("owners").get(0).path("comm").asText()).isEqualTo("socat");
        List<Integer> current = new ArrayList<>();
        inventory("current").path("listeners").forEach(l -> current.add(l.path("port").asInt()));
        assertThat(current).contains(21, 80).doesNotContain(7777);
    }
}
