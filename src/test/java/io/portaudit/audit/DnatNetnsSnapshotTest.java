package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Finding;
import io.portaudit.model.ServiceNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A local (or bundle) snapshot covers every network namespace of the machine: the board's and a container's
 * socket tables, and the container's own address captures (/proc/PID/net/fib_trie, route, if_inet6). A port
 * the board DNATs to the container's address is then correlated with the listener there (issue 14 item 2).
 * The texts are real captures from a pa-h9 lab (board netns with iptables DNAT 8080 -> 10.77.81.2:80 and
 * 8081 -> 10.77.81.2:81; container netns 10.77.81.2 with busybox httpd on :80, nothing on :81),
 * assembled the way {@code collect.LocalCollector} assembles them.
 */
class DnatNetnsSnapshotTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/lab/nat/netns");
    static final String BOARD = "net:[4026532900]";
    static final String CT = "net:[4026532901]";
    static final Instant AT = Instant.parse("2026-12-03T10:34:15Z");

    static Capture cap(String kind, String file, String netns, String cmd) throws Exception {
        return new Capture(kind, cmd, 0, Files.readString(DIR.resolve(file)), "", AT, "local", false, netns);
    }

    static AuditResult audit(boolean containerAddresses, boolean containerTables) throws Exception {
        List<Capture> caps = new ArrayList<>();
        caps.add(cap(DeviceSnapshot.KIND_IPTABLES_SAVE, "board-iptables-save.txt", BOARD, "iptables-save"));
        caps.add(cap(DeviceSnapshot.KIND_PROC_NET_TCP, "board-tcp.txt", BOARD, "cat /proc/self/net/tcp"));
        caps.add(cap(DeviceSnapshot.KIND_PROC_NET_TCP6, "board-tcp6.txt", BOARD, "cat /proc/self/net/tcp6"));
        caps.add(cap(DeviceSnapshot.KIND_PROC_NET_UDP, "board-udp.txt", BOARD, "cat /proc/self/net/udp"));
        caps.add(cap(DeviceSnapshot.KIND_PROC_NET_UDP6, "board-udp6.txt", BOARD, "cat /proc/self/net/udp6"));
        if (containerTables) {
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_TCP, "ct-tcp.txt", CT, "cat /proc/4242/net/tcp"));
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_TCP6, "ct-tcp6.txt", CT, "cat /proc/4242/net/tcp6"));
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_UDP, "ct-udp.txt", CT, "cat /proc/4242/net/udp"));
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_UDP6, "ct-udp6.txt", CT, "cat /proc/4242/net/udp6"));
        }
        if (containerAddresses) {
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_FIB_TRIE, "ct-fib_trie.txt", CT, "cat /proc/4242/net/fib_trie"));
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_ROUTE, "ct-route.txt", CT, "cat /proc/4242/net/route"));
            caps.add(cap(DeviceSnapshot.KIND_PROC_NET_IF_INET6, "ct-if_inet6.txt", CT, "cat /proc/4242/net/if_inet6"));
        }
        DeviceSnapshot snap = new DeviceSnapshot("local", "board", AT, caps, false, List.of());
        AuditInput in = ViewBuilder.fromSnapshot(snap, ServiceNames.iana(), null);
        return Auditor.audit(in, Policy.none(), null, ServiceNames.iana(), Clock.fixed(AT, ZoneOffset.UTC));
    }

    static List<Finding> findings(AuditResult r, String id, int port) {
        return r.outcome().atoms().stream().map(Gate.Gated::finding)
                .filter(f -> f.id().equals(id) && f.ports().contains(port)).toList();
    }

    static PortRow row(AuditResult r, int port) {
        return r.rows().stream().filter(x -> x.port() == port && x.family() == io.portaudit.model.AddressFamily.IPV4).findFirst()
                .orElseThrow();
    }

    @Test
    void theForwardReachesTheContainersListenerAndTheOtherForwardNothing() throws Exception {
        AuditResult r = audit(true, true);
        PortRow r8080 = row(r, 8080);
        assertThat(r8080.listeners()).singleElement().satisfies(l -> {
            assertThat(l.port()).isEqualTo(80);
            assertThat(l.netns()).isEqualTo(CT);
        });
        assertThat(r8080.expected()).isEqualTo("open");
        assertThat(findings(r, "exposed-service", 8080)).singleElement().satisfies(f -> {
            assertThat(f.title()).contains("forwarded to 10.77.81.2:80 by nat PREROUTING rule 1").contains("in network namespace " + CT);
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.text()).contains("-j DNAT --to-destination 10.77.81.2:80"));
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.text()).isEqualTo("the DNAT target 10.77.81.2 is held by network namespace " + CT);
                assertThat(e.source()).isEqualTo("cat /proc/4242/net/fib_trie");
            });
        });
        // 8081 goes to the container's :81, where nothing listens
        assertThat(row(r, 8081).expected()).isEqualTo("closed");
        assertThat(findings(r, "exposed-service", 8081)).isEmpty();
        assertThat(findings(r, "open-without-listener", 8081)).singleElement()
                .satisfies(f -> assertThat(f.title()).endsWith("but nothing listens there"));
        // the container's :80 is not the board's own port 80
        assertThat(r.rows()).noneMatch(x -> x.port() == 80);
    }

    @Test
    void withoutTheContainersAddressesTheTargetStaysUnknown() throws Exception {
        for (boolean[] v : new boolean[][] {{false, true}, {true, false}}) {
            AuditResult r = audit(v[0], v[1]);
            assertThat(row(r, 8080).expected()).isNull();
            assertThat(row(r, 8080).listeners()).isEmpty();
            assertThat(findings(r, "exposed-service", 8080)).singleElement()
                    .satisfies(f -> assertThat(f.detail()).contains("is unknown").contains("possibly open"));
            assertThat(findings(r, "open-without-listener", 8081)).isEmpty();
        }
    }
}
