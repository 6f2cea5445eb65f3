package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import io.portaudit.model.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small hand-built views for correlation, gate and report tests (the seed tests use the real parsers). */
final class Scenarios {
    static final Instant AT = Instant.parse("2026-11-29T09:00:00Z");
    static final String BANNER = "220 <script>document.title='pwned'</script> FTP ready";

    private Scenarios() {}

    static RuleRef rule(int index, String text) {
        return new RuleRef("filter", "INPUT", index, text, "rules.txt:" + (index + 1));
    }

    static final RuleRef POLICY = new RuleRef("filter", "INPUT", 0, "Chain INPUT (policy DROP)", "rules.txt:1");

    /** IPv4: INPUT policy DROP, accept tcp 21, 80, 8000-8010; udp policy DROP; no IPv6 ruleset. */
    static FirewallFacts firewall() {
        Exposure tcp = new Exposure(AddressFamily.IPV4, Protocol.TCP, List.of(
                new ExposureRange(new PortRange(1, 20), Verdict.DROP, null, POLICY),
                new ExposureRange(PortRange.of(21), Verdict.ACCEPT, null, rule(1, "-A INPUT -p tcp --dport 21 -j ACCEPT")),
                new ExposureRange(new PortRange(22, 79), Verdict.DROP, null, POLICY),
                new ExposureRange(PortRange.of(80), Verdict.ACCEPT, null, rule(2, "-A INPUT -p tcp --dport 80 -j ACCEPT")),
                new ExposureRange(new PortRange(81, 112), Verdict.DROP, null, POLICY),
                new ExposureRange(PortRange.of(113), Verdict.REJECT, "icmp-port-unreachable", rule(3, "-A INPUT -p tcp --dport 113 -j REJECT")),
                new ExposureRange(new PortRange(114, 7999), Verdict.DROP, null, POLICY),
                new ExposureRange(new PortRange(8000, 8010), Verdict.ACCEPT, null, rule(4, "-A INPUT -p tcp --dport 8000:8010 -j ACCEPT")),
                new ExposureRange(new PortRange(8011, 65535), Verdict.DROP, null, POLICY)));
        Exposure udp = new Exposure(AddressFamily.IPV4, Protocol.UDP, List.of(
                new ExposureRange(new PortRange(1, 65535), Verdict.DROP, null, POLICY)));
        return new FirewallFacts("iptables", List.of(tcp, udp), List.of(), List.of(), List.of("rules.txt"));
    }

    static Listener listener(Protocol p, AddressFamily f, String addr, int port, BindScope scope, String comm) {
        return new Listener(p, f, addr, port, scope, null, p == Protocol.TCP ? "LISTEN" : "UNCONN", 1000 + port, null,
                List.of(new Owner(100 + port, comm, "/usr/sbin/" + comm, "root", null, null, null)), "netstat.txt:" + port);
    }

    static List<Listener> listeners() {
        return List.of(
                listener(Protocol.TCP, AddressFamily.IPV4, "0.0.0.0", 21, BindScope.ALL, "vsftpd"),
                listener(Protocol.TCP, AddressFamily.IPV4, "0.0.0.0", 80, BindScope.ALL, "httpd"),
                listener(Protocol.TCP, AddressFamily.IPV4, "0.0.0.0", 6000, BindScope.ALL, "Xorg"),
                listener(Protocol.TCP, AddressFamily.IPV6, "::", 6000, BindScope.ALL, "Xorg"),
                listener(Protocol.TCP, AddressFamily.IPV4, "127.0.0.1", 5432, BindScope.LOOPBACK, "postgres"));
    }

    static ScanFacts scan(PortState at80) {
        return new ScanFacts("10.77.2.2", AddressFamily.IPV4, List.of(
                new PortResult("10.77.2.2", Protocol.TCP, 21, PortState.OPEN, "syn-ack", "ftp", null, null, BANNER),
                new PortResult("10.77.2.2", Protocol.TCP, 80, at80, at80 == PortState.OPEN ? "syn-ack" : "no-response", "http", null, null, null)),
                List.of(), "Not shown: 998 filtered ports", false, "scan of 10.77.2.2");
    }

    static DeviceSnapshot snapshot() {
        return new DeviceSnapshot("input", "board-<b>1</b>", AT, List.of(), false, List.of());
    }

    static AuditInput input(PortState at80) {
        return new AuditInput(snapshot(), firewall(), listeners(), scan(at80), List.of(), List.of());
    }
}
