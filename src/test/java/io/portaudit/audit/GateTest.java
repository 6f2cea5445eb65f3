package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.model.PortState;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
    static AuditResult audit(Policy p, Severity failOn, Instant now) {
        return Auditor.audit(Scenarios.input(PortState.OPEN), p, failOn, ServiceNames.iana(), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void withoutAPolicyHighFindingsFailTheRun() {
        AuditResult r = audit(Policy.none(), null, Scenarios.AT);
        assertThat(r.outcome().failed()).isTrue();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.outcome().atoms()).filteredOn(g -> g.status() == Gate.Status.FAILS)
                .allMatch(g -> g.finding().severity().atLeast(Severity.HIGH));
    }

    @Test
    void failOnCriticalLetsHighFindingsPass() {
        AuditResult r = audit(Policy.none(), Severity.CRITICAL, Scenarios.AT);
        assertThat(r.outcome().failed()).isFalse();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void failOnMediumAlsoCountsMediumFindings() {
        AuditResult r = audit(Policy.none(), Severity.MEDIUM, Scenarios.AT);
        assertThat(r.outcome().atoms()).filteredOn(g -> g.status() == Gate.Status.FAILS)
                .anyMatch(g -> g.finding().id().equals("open-without-listener"));
    }

    @Test
    void exceptionsHoldUntilTheirExpiryDate() throws Exception {
        String yaml = """
                version: 1
                product: test-board
                allow:
                  - {port: tcp/21}
                  - {port: tcp/80, program: httpd}
                exceptions:
                  - finding: insecure-protocol
                    port: tcp/21
                    reason: "legacy updater needs FTP until the 2027 firmware"
                    expires: 2026-12-31
                  - finding: insecure-protocol
                    port: tcp/6000-6063
                    reason: "kiosk X server, replaced in Q1"
                    expires: 2026-11-01
                  - finding: ipv6-unfiltered
                    reason: "tracked in TICKET-12"
                """;
        Policy p = PolicyLoader.parse("test.yaml", yaml);
        AuditResult before = audit(p, null, Instant.parse("2026-12-31T12:00:00Z"));
        Gate.Gated ftp = before.outcome().atoms().stream()
                .filter(g -> g.finding().id().equals("insecure-protocol") && g.finding().ports().from() == 21).findFirst().orElseThrow();
        assertThat(ftp.status()).isEqualTo(Gate.Status.ACCEPTED);
        assertThat(ftp.note()).contains("legacy updater", "until 2026-12-31");
        Gate.Gated x11 = before.outcome().atoms().stream()
                .filter(g -> g.finding().id().equals("insecure-protocol") && g.finding().ports().from() == 6000).findFirst().orElseThrow();
        assertThat(x11.status()).isEqualTo(Gate.Status.FAILS);
        assertThat(x11.note()).contains("expired on 2026-11-01");

        AuditResult after = audit(p, null, Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(after.outcome().atoms()).filteredOn(g -> g.finding().id().equals("insecure-protocol") && g.finding().ports().from() == 21)
                .singleElement().extracting(Gate.Gated::status).isEqualTo(Gate.Status.FAILS);
    }

    @Test
    void portsOutsideTheAllowListAreViolationsAndAbsentOnesAreShown() throws Exception {
        Policy p = PolicyLoader.parse("p.yaml", "product: p\nallow: [{port: tcp/80, program: lighttpd}, {port: tcp/443}]\n");
        AuditResult r = audit(p, null, Scenarios.AT);
        assertThat(r.outcome().atoms()).filteredOn(g -> g.finding().id().equals("policy-violation"))
                .extracting(g -> g.finding().ports().from()).containsExactlyInAnyOrder(21, 80);
        Gate.Gated http = r.outcome().atoms().stream().filter(g -> g.finding().id().equals("policy-violation")
                && g.finding().ports().from() == 80).findFirst().orElseThrow();
        assertThat(http.finding().detail()).contains("only for lighttpd", "httpd");
        assertThat(r.outcome().changes()).extracting(Gate.Change::kind, Gate.Change::port)
                .contains(org.assertj.core.groups.Tuple.tuple("absent", "tcp/443"),
                        org.assertj.core.groups.Tuple.tuple("added", "tcp/21 ipv4"));
    }

    @Test
    void aFactoryProfileGatesOnlyOnPortsBeyondTheFactoryDefault() throws Exception {
        Policy p440 = PolicyLoader.profile("armadillo-440");
        AuditResult r = audit(p440, null, Scenarios.AT);
        // tcp/21 and tcp/80 are the factory default; nothing else is reachable on IPv4 in this scenario
        assertThat(r.outcome().atoms()).noneMatch(g -> g.finding().id().equals("policy-violation"));
        assertThat(r.outcome().failed()).isFalse();
        assertThat(r.outcome().atoms()).anyMatch(g -> g.finding().id().equals("insecure-protocol") && g.status() == Gate.Status.NOT_GATED);
        assertThat(r.outcome().changes()).extracting(Gate.Change::port).contains("tcp/23");

        AuditResult g3 = audit(PolicyLoader.profile("armadillo-iot-g3"), null, Scenarios.AT);
        assertThat(g3.outcome().failed()).isTrue();
        assertThat(g3.outcome().atoms()).filteredOn(g -> g.status() == Gate.Status.FAILS)
                .extracting(g -> g.finding().id() + ":" + g.finding().ports()).containsExactly("policy-violation:21");

        for (String name : PolicyLoader.PROFILES) assertThat(PolicyLoader.profile(name).product()).isNotBlank();
    }

    @Test
    void impossibleExpiryDatesAreErrorsNotRolledOver() throws Exception {
        // SnakeYAML's lenient timestamps made 2027-13-45 into 2028-02-14: an exception that silently lasts longer
        for (String bad : List.of("2027-13-45", "2027-02-30", "2026-02-29", "2027-00-10", "2027-1-5")) {
            assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "exceptions: [{finding: exposed-service, reason: x, expires: " + bad + "}]"))
                    .as(bad).hasMessage("p.yaml: exceptions[1]: expires must be a date YYYY-MM-DD, not '" + bad + "'");
        }
        Policy p = PolicyLoader.parse("p.yaml", "exceptions: [{finding: exposed-service, reason: x, expires: 2028-02-29}, "
                + "{finding: exposed-service, reason: y, expires: '2027-12-31'}]");
        assertThat(p.exceptions()).extracting(Policy.Exception::expires)
                .containsExactly(java.time.LocalDate.of(2028, 2, 29), java.time.LocalDate.of(2027, 12, 31));
    }

    @Test
    void badPoliciesAreClearErrors() {
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "allow: [{port: tcp/99999}]"))
                .hasMessage("p.yaml: allow[1]: bad port range in 'tcp/99999' (1-65535)");
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "alow: []"))
                .hasMessageStartingWith("p.yaml: unknown key 'alow'");
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "gate: [open-ports]"))
                .hasMessageStartingWith("p.yaml: gate: unknown finding id 'open-ports'");
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "exceptions: [{finding: exposed-service}]"))
                .hasMessage("p.yaml: exceptions[1]: an exception needs a reason");
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "exceptions: [{finding: exposed-service, reason: x, expires: soon}]"))
                .hasMessageContaining("expires must be a date YYYY-MM-DD");
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "version: 2")).hasMessageContaining("newer than this portaudit");
        assertThatThrownBy(() -> PolicyLoader.parse("p.yaml", "allow: [\n  - {port: tcp/80\n")).hasMessageStartingWith("p.yaml: not valid YAML");
        assertThatThrownBy(() -> PolicyLoader.profile("armadillo-9000")).hasMessageContaining("built-in profiles: armadillo-iot-g3");
    }

    @Test
    void aPartialCollectionExitsThreeAndKeepsWhatItFound() {
        var partialSnap = new io.portaudit.model.DeviceSnapshot("ssh://root@10.77.2.2", "board", Scenarios.AT, java.util.List.of(), true,
                java.util.List.of("connection dropped during ip6tables-save"));
        var in = new AuditInput(partialSnap, Scenarios.firewall(), Scenarios.listeners(), null, java.util.List.of(), partialSnap.notes());
        AuditResult r = Auditor.audit(in, Policy.none(), null, ServiceNames.iana(), Clock.fixed(Scenarios.AT, ZoneOffset.UTC));
        assertThat(r.partial()).isTrue();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.outcome().atoms()).isNotEmpty();
        assertThat(r.notes()).contains("connection dropped during ip6tables-save");
    }

    /** Issue 20 item 1: a merged finding's reasons are gated one by one; the merged finding fails when one of them fails. */
    @Test
    void exceptionsAcceptOneReasonOfAMergedFinding() throws Exception {
        Policy onlyExposed = PolicyLoader.parse("p.yaml", "exceptions: [{finding: exposed-service, port: tcp/21, reason: the updater}]");
        Gate.Gated ftp = ftp(audit(onlyExposed, null, Scenarios.AT));
        assertThat(ftp.reasons()).extracting(g -> g.finding().id() + " " + g.status())
                .containsExactly("insecure-protocol FAILS", "exposed-service ACCEPTED");
        assertThat(ftp.status()).isEqualTo(Gate.Status.FAILS);
        assertThat(ftp.finding().id()).isEqualTo("insecure-protocol");
        assertThat(ftp.finding().severity()).isEqualTo(Severity.HIGH);
        assertThat(ftp.note()).contains("exposed-service: accepted: the updater");

        // the insecure protocol accepted: what is left is the exposed service, medium, below the threshold
        Policy onlyInsecure = PolicyLoader.parse("p.yaml", "exceptions: [{finding: insecure-protocol, port: tcp/21, reason: the updater}]");
        ftp = ftp(audit(onlyInsecure, null, Scenarios.AT));
        assertThat(ftp.status()).isEqualTo(Gate.Status.BELOW_THRESHOLD);
        assertThat(ftp.finding().severity()).isEqualTo(Severity.MEDIUM);
        assertThat(ftp.finding().id()).isEqualTo("exposed-service");
        assertThat(ftp.reasons()).extracting(g -> g.finding().id()).containsExactly("exposed-service", "insecure-protocol");

        // both accepted: the finding is accepted
        Policy both = PolicyLoader.parse("p.yaml", "exceptions: [{finding: insecure-protocol, port: tcp/21, reason: a}, "
                + "{finding: exposed-service, port: tcp/21, reason: b}]");
        assertThat(ftp(audit(both, null, Scenarios.AT)).status()).isEqualTo(Gate.Status.ACCEPTED);
        // a policy severity for one id changes that reason, and the merged finding follows its highest reason
        Policy sev = PolicyLoader.parse("p.yaml", "severity: {insecure-protocol: low}");
        ftp = ftp(audit(sev, null, Scenarios.AT));
        assertThat(ftp.finding().severity()).isEqualTo(Severity.MEDIUM);
        assertThat(ftp.finding().id()).isEqualTo("exposed-service");
        assertThat(ftp.status()).isEqualTo(Gate.Status.BELOW_THRESHOLD);
    }

    private static Gate.Gated ftp(AuditResult r) {
        List<Gate.Gated> on21 = r.outcome().findings().stream()
                .filter(g -> g.finding().ports() != null && g.finding().ports().from() == 21 && g.finding().ports().to() == 21).toList();
        assertThat(on21).hasSize(1);
        return on21.get(0);
    }
}
