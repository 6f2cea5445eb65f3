package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.audit.AuditRequest;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.AuditRun;
import io.portaudit.audit.InputSniffer;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A UDP port that answered nothing (nmap's open|filtered; a real nmap -sU of a lab namespace where socat read port 5000
 * and answered nothing) may be a quiet open service. Without a listener view the audit says so, and the store keeps the
 * port unknown: a later audit must not call a service that was there "closed" on the strength of silence.
 */
class SilentUdpCoverageTest {
    static final String SCAN = "src/test/resources/fixtures/scan/nmap-udp-silent.nmap";

    @Test
    void openFilteredIsNotCoveredAndTheAuditSaysItMayBeOpen() throws Exception {
        AuditResult r = AuditRun.run(AuditRequest.of(new AuditRequest.Pasted(List.of(
                InputSniffer.Labeled.ofBytes(SCAN, null, Files.readAllBytes(Path.of(SCAN)))))));
        assertThat(r.unknowns()).anySatisfy(u -> assertThat(u).startsWith("1 UDP port(s) answered nothing (open|filtered)"));
        Coverage c = Coverage.of(r);
        assertThat(c.covers(Protocol.UDP, AddressFamily.IPV4, 5000)).as("open|filtered stays unknown").isFalse();
        assertThat(c.covers(Protocol.UDP, AddressFamily.IPV4, 53)).as("closed is covered").isTrue();
        assertThat(c.covers(Protocol.UDP, AddressFamily.IPV4, 5353)).isTrue();
    }
}
