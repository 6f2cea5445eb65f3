package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.time.Duration;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Self-connect ghosts (issue 14 item 6): a connect() scan of a local address's ephemeral port range
 * hands the kernel about as many chances as there are ports to pick a probe's destination port as
 * its source port; that socket then connects to itself and, unnoticed, shows a port open where
 * nothing listens (one or two per run before the fix). In a namespace of its own (nothing else
 * listens there, so {@code ss -ltn} is the truth) with a few real listeners in the range, every
 * scan's open ports must be exactly the listening ones, run after run, on both socket layers.
 */
@LabTest
class ScanSelfConnectLabTest {
    static final String NS = Lab.unique("pa-h3-self");
    static final Duration T = Duration.ofSeconds(30);
    static int lo, hi;
    static final TreeSet<Integer> LISTENING = new TreeSet<>();

    @BeforeAll
    static void namespace() throws Exception {
        cleanup();
        Lab.run(T, "ip", "netns", "add", NS).requireOk("ip netns add");
        Lab.inNs(NS, T, "ip", "link", "set", "lo", "up").requireOk("lo up");
        String[] range = Lab.inNs(NS, T, "cat", "/proc/sys/net/ipv4/ip_local_port_range").requireOk("port range").out().trim().split("\\s+");
        lo = Integer.parseInt(range[0]);
        hi = Integer.parseInt(range[1]);
        int[] ports = {lo, lo + 1234, (lo + hi) / 2, hi};
        for (int p : ports) {
            Lab.inNs(NS, T, "sh", "-c", "socat TCP6-LISTEN:" + p + ",fork,reuseaddr,ipv6only=0 OPEN:/dev/null >/dev/null 2>&1 &").requireOk("listener");
        }
        for (int i = 0; i < 50; i++) {
            LISTENING.clear();
            LISTENING.addAll(listening());
            if (LISTENING.size() == ports.length) break;
            Thread.sleep(100);
        }
        assertThat(LISTENING).hasSize(ports.length);
    }

    @AfterAll
    static void cleanup() {
        Lab.Result pids = Lab.run(T, "ip", "netns", "pids", NS);
        if (pids.exit() == 0) for (String pid : pids.out().split("\\s+")) if (!pid.isBlank()) Lab.run(T, "kill", pid.trim());
        Lab.run(T, "ip", "netns", "del", NS);
    }

    /** The ports of the ephemeral range something listens on in the namespace, as {@code ss} says. */
    static TreeSet<Integer> listening() {
        TreeSet<Integer> out = new TreeSet<>();
        for (String l : Lab.inNs(NS, T, "ss", "-Hltn").requireOk("ss").out().split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 4) continue;
            int port = Integer.parseInt(f[3].substring(f[3].lastIndexOf(':') + 1));
            if (port >= lo && port <= hi) out.add(port);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} layer, {1}")
    @CsvSource({"nio,127.0.0.1", "native,127.0.0.1", "nio,::1", "native,::1"})
    void theEphemeralRangeShowsOnlyRealListeners(String layer, String host) throws Exception {
        int runs = 3;
        for (int run = 0; run < runs; run++) {
            Lab.Result r = Lab.run(Duration.ofMinutes(3), withLayer(layer, "ip", "netns", "exec", NS, "scan", "-n", "-T5", "--json",
                    "-p", lo + "-" + hi, host));
            assertThat(r.exit()).as("scan %s: %s", host, r.err()).isZero();
            TreeSet<Integer> open = new TreeSet<>();
            for (String line : r.out().split("\n")) {
                if (line.isBlank()) continue;
                JsonNode n = new ObjectMapper().readTree(line);
                if (n.path("state").asText().equals("open")) open.add(n.path("port").asInt());
            }
            assertThat(open).as("run %d on %s (%s layer): open ports vs ss -ltn", run, host, layer)
                    .isEqualTo(LISTENING).isEqualTo(listening());
        }
    }

    /** The portaudit command run inside {@code ns}, with the socket layer forced by system property. */
    static java.util.List<String> withLayer(String layer, String ip, String netns, String exec, String ns, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(ip, netns, exec, ns));
        java.util.List<String> pa = new java.util.ArrayList<>(Lab.portaudit(args));
        pa.add(1, "-Dportaudit.scan.io=" + layer);
        cmd.addAll(pa);
        return cmd;
    }
}
