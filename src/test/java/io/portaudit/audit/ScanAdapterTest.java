package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which scans carry portaudit's -sV markers (weak-tls, weak-ssh-crypto read nothing else). */
class ScanAdapterTest {
    @Test
    void onlyPortauditsOwnServiceScanCountsAsServiceDetection() {
        assertThat(ScanAdapter.portauditServiceScan("<?xml version=\"1.0\"?>\n<nmaprun scanner=\"portaudit\" args=\"portaudit scan -sV -p 22 "
                + "10.77.2.2\" start=\"1\">")).isTrue();
        assertThat(ScanAdapter.portauditServiceScan("<nmaprun scanner=\"portaudit\" args=\"portaudit scan -p 22 10.77.2.2\" start=\"1\">"))
                .isFalse();
        // nmap -sV: service names, but none of portaudit's TLS/SSH algorithm checks
        assertThat(ScanAdapter.portauditServiceScan("<nmaprun scanner=\"nmap\" args=\"nmap -sV -p 22 10.77.2.2\" start=\"1\">")).isFalse();
        assertThat(ScanAdapter.portauditServiceScan("{\"type\":\"start\",\"scanner\":\"portaudit\",\"version\":\"0.1.0\","
                + "\"args\":\"portaudit scan -A 10.77.2.2\"}")).isTrue();
        assertThat(ScanAdapter.portauditServiceScan("Starting Nmap 6.00 ( http://nmap.org )\n")).isFalse();
        // the audit's own scan always runs -sV
        assertThat(ScanAdapter.fromLive("10.77.2.2", List.<PortResult>of(), false).serviceDetection()).isTrue();
    }
}
