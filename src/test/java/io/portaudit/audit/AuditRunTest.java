package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import io.portaudit.scan.PortSpec;
import io.portaudit.scan.ScanPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one run API: a request gives the result the CLI renders (same document), a previous result comes back as it
 * was, and a scan target that cannot be one device's address is an input error before anything is sent.
 */
class AuditRunTest {
    static final String SEED = "src/test/resources/fixtures/seed/";

    static AuditRequest.Pasted pasted(String... files) throws Exception {
        List<InputSniffer.Labeled> texts = new ArrayList<>();
        for (String f : files) texts.add(InputSniffer.Labeled.ofBytes(f, null, Files.readAllBytes(Path.of(f))));
        return new AuditRequest.Pasted(texts);
    }

    @Test
    void aRequestGivesTheResultAndAPreviousResultComesBackTheSame() throws Exception {
        AuditRequest req = AuditRequest.of(pasted(SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt"))
                .withPolicy(PolicyLoader.profile("armadillo-440"), Severity.MEDIUM);
        AuditResult r = AuditRun.run(req);
        assertThat(r.outcome().failOn()).isEqualTo(Severity.MEDIUM);
        assertThat(r.policy().product()).isNotNull();
        assertThat(r.viewsPresent()).containsExactly("firewall", "listeners", "scan");
        String doc = AuditJson.write(r);

        AuditResult back = AuditRun.run(AuditRequest.of(new AuditRequest.Previous("previous.json", doc)));
        assertThat(AuditJson.write(back)).isEqualTo(doc);
        // sniffed among pasted files like the other kinds
        AuditResult sniffed = AuditRun.run(AuditRequest.of(new AuditRequest.Pasted(List.of(new InputSniffer.Labeled("r.json", null, doc)))));
        assertThat(AuditJson.write(sniffed)).isEqualTo(doc);
        // a previous result is not re-gated or re-scanned
        assertThatThrownBy(() -> AuditRun.run(AuditRequest.of(new AuditRequest.Previous("p.json", doc)).withPolicy(null, Severity.LOW)))
                .isInstanceOf(AuditRun.AuditException.class).hasMessageContaining("previous audit result");
    }

    @Test
    void theClockOfTheRequestDecidesExceptionExpiry() throws Exception {
        // the seed-440 profile run with an exception expiring 2026-06-30 (accepted before, failing after)
        Path policy = Files.createTempFile("policy", ".yaml");
        try {
            Files.writeString(policy, "product: test\nallow: []\nexceptions:\n  - finding: insecure-protocol\n    port: tcp/23\n"
                    + "    reason: field test\n    expires: 2026-06-30\n");
            Policy p = PolicyLoader.load(policy);
            for (String day : List.of("2026-06-01", "2026-07-01")) {
                Clock clock = Clock.fixed(Instant.parse(day + "T00:00:00Z"), ZoneOffset.UTC);
                AuditResult r = AuditRun.run(new AuditRequest(pasted(SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt"), null, p,
                        null, null, clock, null));
                Gate.Status telnet = r.outcome().atoms().stream()
                        .filter(g -> g.finding().id().equals("insecure-protocol") && g.finding().ports() != null
                                && g.finding().ports().from() == 23)
                        .findFirst().orElseThrow().status();
                assertThat(telnet).as(day).isEqualTo(day.equals("2026-06-01") ? Gate.Status.ACCEPTED : Gate.Status.FAILS);
            }
        } finally {
            Files.deleteIfExists(policy);
        }
    }

    @Test
    void aScanTargetThatIsNotOneDeviceIsAnInputErrorNeverAnEmptyScan() throws Exception {
        AuditRequest.Pasted in = pasted(SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        // no name lookups here (network safety): literals that cannot be scanned as one device
        for (String target : List.of("300.1.1.1", "10.77.79.0/30", "[fd77:79::1", "", "10.77.79.1-3")) {
            assertThatThrownBy(() -> AuditRun.run(AuditRequest.of(in).withScan(new AuditRequest.Scan(target, null))))
                    .as(target).isInstanceOfSatisfying(AuditRun.AuditException.class,
                            e -> assertThat(e.kind()).isEqualTo(AuditRun.AuditException.Kind.INPUT))
                    .hasMessageContaining("--scan");
        }
        assertThatThrownBy(() -> AuditRun.run(AuditRequest.of(in).withScan(new AuditRequest.Scan("10.77.79.2", "T:99999"))))
                .isInstanceOf(AuditRun.AuditException.class).hasMessageContaining("--scan-ports");
    }

    @Test
    void theAuditsScanIsBuiltByTheScannersOwnPlan() throws Exception {
        ScanPlan plan = ScanPlan.device("10.77.79.2", PortSpec.parse("T:22,80,U:161", ServiceNames.defaults()), ServiceNames.defaults());
        assertThat(plan.request().serviceDetection()).isTrue();
        assertThat(plan.request().skipDiscovery()).isTrue();
        assertThat(plan.request().tcp()).isTrue();
        assertThat(plan.request().udp()).isTrue();
        assertThat(plan.firstAddress().getHostAddress()).isEqualTo("10.77.79.2");
        assertThat(plan.problems()).isEmpty();
    }
}
