package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Finding;
import io.portaudit.model.PortState;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorrelatorTest {
    static final Clock CLOCK = Clock.fixed(Scenarios.AT, ZoneOffset.UTC);

    static AuditResult audit(AuditInput in, Policy p) {
        return Auditor.audit(in, p, null, ServiceNames.iana(), CLOCK);
    }

    static List<String> ids(AuditResult r, String id) {
        return r.outcome().atoms().stream().map(Gate.Gated::finding).filter(f -> f.id().equals(id))
                .map(f -> f.protocol().label() + "/" + f.ports() + "/" + f.family().label()).toList();
    }

    @Test
    void correlatesEveryViewPortByPort() {
        AuditResult r = audit(Scenarios.input(PortState.OPEN), Policy.none());
        assertThat(r.viewsPresent()).containsExactly("firewall", "listeners", "scan");
        assertThat(ids(r, "exposed-service")).containsExactlyInAnyOrder("tcp/21/ipv4", "tcp/80/ipv4", "tcp/6000/ipv6");
        assertThat(ids(r, "insecure-protocol")).containsExactlyInAnyOrder("tcp/21/ipv4", "tcp/6000/ipv6");
        assertThat(ids(r, "ipv6-unfiltered")).containsExactly("tcp/6000/ipv6");
        assertThat(ids(r, "blocked-listener")).containsExactly("tcp/6000/ipv4");
        assertThat(ids(r, "wildcard-bind")).containsExactly("tcp/6000/ipv4");
        assertThat(ids(r, "open-without-listener")).containsExactly("tcp/8000-8010/ipv4");
        assertThat(ids(r, "scan-disagrees")).isEmpty();
        // the loopback-only postgres is listed but never a finding
        assertThat(r.outcome().atoms()).noneMatch(g -> g.finding().ports() != null && g.finding().ports().from() == 5432);
        PortRow ftp = r.rows().stream().filter(row -> row.port() == 21).findFirst().orElseThrow();
        assertThat(ftp.expected()).isEqualTo("open");
        assertThat(ftp.scan().banner()).isEqualTo(Scenarios.BANNER);
        PortRow ident = r.rows().stream().filter(row -> row.port() == 113).findFirst().orElseThrow();
        assertThat(ident.expected()).isEqualTo("closed");
    }

    @Test
    void everyFindingCarriesEvidenceAndAConcreteFix() {
        AuditResult r = audit(Scenarios.input(PortState.OPEN), Policy.none());
        for (Gate.Gated g : r.outcome().atoms()) {
            Finding f = g.finding();
            assertThat(FindingCatalog.IDS).containsKey(f.id());
            assertThat(f.evidence()).as(f.id()).isNotEmpty();
            assertThat(f.remedy()).as(f.id()).isNotEmpty();
        }
        Finding ftp = r.outcome().atoms().stream().map(Gate.Gated::finding)
                .filter(f -> f.id().equals("exposed-service") && f.ports().from() == 21).findFirst().orElseThrow();
        // a program name is not a service name: no rc-update/systemctl command is guessed from "vsftpd"
        assertThat(ftp.remedy()).noneMatch(x -> x.startsWith("rc-update") || x.startsWith("systemctl"));
        assertThat(ftp.remedy()).contains("stop vsftpd (pid 121) and keep it from starting at boot; its service name is not known "
                        + "(collect as root so portaudit reads the process's cgroup, or look it up on the device: rc-status, systemctl status 121)",
                "iptables -I INPUT -p tcp --dport 21 -j DROP",
                "iptables -D INPUT 1   # -A INPUT -p tcp --dport 21 -j ACCEPT");
        assertThat(ftp.evidence()).extracting(e -> e.view()).containsExactly("firewall", "listener", "scan");
    }

    @Test
    void weakTlsAndWeakSshSeenByTheScanAreFindings() {
        // the banners as ServiceDetector writes them (ScanServicesLabTest and TlsProbeTest make them from real servers)
        String tls = "TLSv1.3 TLS_AES_256_GCM_SHA384 subject=CN=board issuer=CN=board notAfter=2025-01-01T00:00:00Z self-signed "
                + "key=RSA-1024 sig=SHA256withRSA (weak TLS: certificate expired 2025-01-01T00:00:00Z; RSA key of 1024 bits)";
        String ssh = "SSH-2.0-OpenSSH_7.4 (weak algorithms offered: kex diffie-hellman-group1-sha1; cipher aes128-cbc, 3des-cbc)";
        AuditResult r = weakScan(tls, ssh);
        assertThat(ids(r, "weak-tls")).containsExactly("tcp/21/ipv4");
        assertThat(ids(r, "weak-ssh-crypto")).containsExactly("tcp/80/ipv4");
        Finding ssh80 = r.outcome().atoms().stream().map(Gate.Gated::finding).filter(f -> f.id().equals("weak-ssh-crypto")).findFirst().orElseThrow();
        assertThat(ssh80.remedy().get(0)).contains("KexAlgorithms -diffie-hellman-group1-sha1 / Ciphers -aes128-cbc,3des-cbc");
        Finding tls21 = r.outcome().atoms().stream().map(Gate.Gated::finding).filter(f -> f.id().equals("weak-tls")).findFirst().orElseThrow();
        assertThat(tls21.title()).endsWith("has weak TLS: certificate expired 2025-01-01T00:00:00Z; RSA key of 1024 bits");
        assertThat(tls21.severity()).isEqualTo(Severity.MEDIUM);
    }

    /** Port 21 with TLS weaknesses, port 80 with weak SSH algorithms, as facts; the banners only as the people's text. */
    private static AuditResult weakScan(String tlsBanner, String sshBanner) {
        var tls = new io.portaudit.model.PortResult("10.77.2.2", io.portaudit.model.Protocol.TCP, 21, PortState.OPEN, "syn-ack", "ftp",
                null, "TLSv1.3", null, "ssl", List.of(), "probed", tlsBanner, List.of(new io.portaudit.model.Weakness(
                        io.portaudit.model.Weakness.TLS_WEAK_CERTIFICATE, "certificate expired 2025-01-01T00:00:00Z; RSA key of 1024 bits")));
        var ssh = new io.portaudit.model.PortResult("10.77.2.2", io.portaudit.model.Protocol.TCP, 80, PortState.OPEN, "syn-ack", "ssh",
                "OpenSSH", "7.4", null, null, List.of("cpe:/a:openbsd:openssh:7.4"), "probed", sshBanner, List.of(new io.portaudit.model.Weakness(
                        io.portaudit.model.Weakness.SSH_WEAK_ALGORITHMS, "kex diffie-hellman-group1-sha1; cipher aes128-cbc, 3des-cbc")));
        ScanFacts scan = new ScanFacts("10.77.2.2", AddressFamily.IPV4, List.of(tls, ssh), List.of(), "", false, "scan of 10.77.2.2", true);
        return audit(new AuditInput(Scenarios.snapshot(), Scenarios.firewall(), Scenarios.listeners(), scan, List.of(), List.of()),
                Policy.none());
    }

    /** What the findings say, titles and remedies included, without the evidence (which quotes the banner for people). */
    private static List<String> said(AuditResult r) {
        return r.outcome().atoms().stream().map(Gate.Gated::finding)
                .map(f -> f.id() + "|" + f.title() + "|" + f.detail() + "|" + f.remedy() + "|" + f.severity()).toList();
    }

    @Test
    void aBannersWordingCannotChangeAFinding() {
        AuditResult asWritten = weakScan("TLSv1.3 TLS_AES_256_GCM_SHA384 (weak TLS: certificate expired 2025-01-01T00:00:00Z; RSA key of 1024 bits)",
                "SSH-2.0-OpenSSH_7.4 (weak algorithms offered: kex diffie-hellman-group1-sha1; cipher aes128-cbc, 3des-cbc)");
        for (String[] other : new String[][] {{"anything at all", "SSH-2.0-OpenSSH_7.4"}, {null, null},
            {"(weak TLS: DSA key)", "(weak algorithms offered: cipher arcfour)"}}) {
            assertThat(said(weakScan(other[0], other[1]))).as(java.util.Arrays.toString(other)).isEqualTo(said(asWritten));
        }
        // a banner that says "weak" without the facts proves nothing
        var onlyText = new io.portaudit.model.PortResult("10.77.2.2", io.portaudit.model.Protocol.TCP, 80, PortState.OPEN, "syn-ack", "ssh",
                "OpenSSH", "7.4", "SSH-2.0-OpenSSH_7.4 (weak algorithms offered: kex diffie-hellman-group1-sha1)");
        ScanFacts scan = new ScanFacts("10.77.2.2", AddressFamily.IPV4, List.of(onlyText), List.of(), "", false, "scan", true);
        AuditResult r = audit(new AuditInput(Scenarios.snapshot(), Scenarios.firewall(), Scenarios.listeners(), scan, List.of(), List.of()),
                Policy.none());
        assertThat(ids(r, "weak-ssh-crypto")).isEmpty();
    }

    @Test
    void aScanAloneStillReportsWhatItReached() {
        // only a pasted scan (the seed's third check): an open telnet/FTP port is a finding, never a pass
        AuditResult r = audit(new AuditInput(Scenarios.snapshot(), null, null, Scenarios.scan(PortState.FILTERED), List.of(), List.of()),
                Policy.none());
        assertThat(r.viewsPresent()).containsExactly("scan");
        assertThat(ids(r, "exposed-service")).containsExactly("tcp/21/ipv4");
        assertThat(ids(r, "insecure-protocol")).containsExactly("tcp/21/ipv4");
        Finding ftp = r.outcome().atoms().stream().map(Gate.Gated::finding).filter(f -> f.id().equals("exposed-service")).findFirst().orElseThrow();
        assertThat(ftp.title()).contains("an unknown program (no listener view");
        assertThat(ftp.remedy()).contains("iptables -I INPUT -p tcp --dport 21 -j DROP");
        assertThat(r.outcome().failed()).isTrue();
    }

    @Test
    void withoutAListenerViewAnAcceptRuleIsNotSaidToHaveNoListener() {
        AuditResult only = audit(new AuditInput(Scenarios.snapshot(), Scenarios.firewall(), null, null, List.of(), List.of()), Policy.none());
        List<Finding> open = only.outcome().atoms().stream().map(Gate.Gated::finding).filter(f -> f.id().equals("open-without-listener")).toList();
        assertThat(open).isNotEmpty().allSatisfy(f -> {
            assertThat(f.title()).endsWith("is accepted by the firewall but no listener view shows what listens");
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.text()).isEqualTo("no listener view was collected"));
        });
        // the firewall and a scan without listeners: an accepted port the scan found open is no contradiction
        AuditResult fwScan = audit(new AuditInput(Scenarios.snapshot(), Scenarios.firewall(), null, Scenarios.scan(PortState.OPEN),
                List.of(), List.of()), Policy.none());
        assertThat(ids(fwScan, "scan-disagrees")).isEmpty();
        assertThat(ids(fwScan, "exposed-service")).contains("tcp/21/ipv4", "tcp/80/ipv4");
        AuditResult both = audit(Scenarios.input(PortState.OPEN), Policy.none());
        assertThat(both.outcome().atoms()).filteredOn(g -> g.finding().id().equals("open-without-listener"))
                .allSatisfy(g -> assertThat(g.finding().title()).endsWith("but nothing listens"));
    }

    @Test
    void aScanThatContradictsTheRulesIsAFinding() {
        AuditResult r = audit(Scenarios.input(PortState.FILTERED), Policy.none());
        assertThat(ids(r, "scan-disagrees")).containsExactly("tcp/80/ipv4");
        Finding f = r.outcome().atoms().stream().map(Gate.Gated::finding).filter(x -> x.id().equals("scan-disagrees")).findFirst().orElseThrow();
        assertThat(f.title()).contains("the scan saw filtered", "imply open");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void missingViewsAreNamedAndTreatedAsPossiblyOpen() {
        AuditInput onlyListeners = new AuditInput(Scenarios.snapshot(), null, Scenarios.listeners(), null, List.of(), List.of());
        AuditResult r = audit(onlyListeners, Policy.none());
        assertThat(r.viewsMissing()).containsExactly("firewall", "scan");
        assertThat(r.unknowns()).anyMatch(u -> u.contains("possibly reachable"));
        assertThat(r.outcome().atoms()).filteredOn(g -> g.finding().id().equals("exposed-service"))
                .allMatch(g -> g.finding().title().contains("possibly reachable"));
        assertThat(ids(r, "exposed-service")).contains("tcp/21/ipv4", "tcp/6000/ipv4", "tcp/6000/ipv6");
        assertThat(r.rows()).allMatch(row -> row.expected() == null);
    }

    @Test
    void dualStackListenerCountsForIpv4Too() {
        var dual = new io.portaudit.model.Listener(io.portaudit.model.Protocol.TCP, AddressFamily.IPV6, "::", 8001,
                io.portaudit.model.BindScope.ALL_PLUS_IPV4, true, "LISTEN", 1, null, List.of(), "x");
        AuditInput in = new AuditInput(Scenarios.snapshot(), Scenarios.firewall(), List.of(dual), null, List.of(), List.of());
        AuditResult r = audit(in, Policy.none());
        assertThat(ids(r, "exposed-service")).contains("tcp/8001/ipv4");
        // 8001 is listened on (via the dual-stack socket), so the idle part of 8000-8010 excludes it
        assertThat(r.outcome().atoms()).filteredOn(g -> g.finding().id().equals("open-without-listener") && g.finding().ports().from() == 8000)
                .singleElement().satisfies(g -> assertThat(g.finding().title()).contains("tcp/8000,8002-8010"));
    }

    @Test
    void silenceIsNotAContradictionButAnAnswerIs() {
        var accept = new io.portaudit.model.ExposureRange(io.portaudit.model.PortRange.of(123), io.portaudit.model.Verdict.ACCEPT, null,
                Scenarios.rule(1, "-A INPUT -p udp --dport 123 -j ACCEPT"));
        var rejectIcmp = new io.portaudit.model.ExposureRange(io.portaudit.model.PortRange.of(113), io.portaudit.model.Verdict.REJECT,
                "icmp-port-unreachable", Scenarios.rule(3, "-A INPUT -p tcp --dport 113 -j REJECT"));
        var rejectReset = new io.portaudit.model.ExposureRange(io.portaudit.model.PortRange.of(113), io.portaudit.model.Verdict.REJECT,
                "tcp-reset", Scenarios.rule(3, "-A INPUT -p tcp --dport 113 -j REJECT --reject-with tcp-reset"));
        assertThat(Correlator.agrees("closed", PortState.OPEN_FILTERED, accept)).isTrue();
        assertThat(Correlator.agrees("closed", PortState.OPEN, accept)).isFalse();
        assertThat(Correlator.agrees("closed", PortState.FILTERED, accept)).isFalse();
        assertThat(Correlator.agrees("closed", PortState.FILTERED, rejectIcmp)).isTrue();
        assertThat(Correlator.agrees("closed", PortState.FILTERED, rejectReset)).isFalse();
        assertThat(Correlator.agrees("filtered", PortState.OPEN, rejectIcmp)).isFalse();
        assertThat(Correlator.agrees("open", PortState.CLOSED, accept)).isFalse();
    }
}
