package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Weakness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service facts as data: each proven weakness id is set by the identifier from a real service's answer (the captures
 * the scanner tests recorded from xvfb, OpenSSH, mosquitto, pymodbus, net-snmp, libcoap), and travels through
 * portaudit's JSON lines, nmap XML ({@code <script id="portaudit-…">}, {@code <service extrainfo tunnel>}, {@code <cpe>})
 * and -oN, read back by the importers the same.
 */
class ServiceFactsTest {
    @TempDir
    Path dir;

    static byte[] hex(String name) throws Exception {
        return HexFormat.of().parseHex(Files.readString(Path.of("src/test/resources/fixtures/scan", name + ".hex")).trim());
    }

    static PortResult open(Protocol p, int port) {
        return new PortResult("10.77.79.2", p, port, PortState.OPEN, p == Protocol.TCP ? "syn-ack" : "udp-response", null, null, null, null);
    }

    static PortResult tcp(String capture, int port) throws Exception {
        return TcpIdentify.identify(Banner.latin1(hex(capture)), port).apply(open(Protocol.TCP, port));
    }

    static PortResult udp(String capture, int port) throws Exception {
        return UdpIdentify.identify(port, hex(capture)).apply(open(Protocol.UDP, port));
    }

    /** One port per weakness id, identified from a real capture where the scanner tests have one. */
    static Map<String, PortResult> proven() throws Exception {
        Map<String, PortResult> m = new LinkedHashMap<>();
        m.put(Weakness.SSH_WEAK_ALGORITHMS, tcp("ssh/openssh-9.2-weak-config", 2222));
        m.put(Weakness.X11_NO_ACCESS_CONTROL, tcp("x11/xvfb-no-access-control", 6040));
        m.put(Weakness.MQTT_ANONYMOUS, tcp("mqtt/mosquitto-anonymous", 1883));
        m.put(Weakness.MODBUS_UNAUTHENTICATED, tcp("modbus/pymodbus-device-id", 502));
        m.put(Weakness.SNMP_COMMUNITY_PUBLIC, udp("udp/net-snmp-v2c", 161));
        m.put(Weakness.COAP_UNAUTHENTICATED, udp("udp/libcoap-well-known-core", 5683));
        // no capture recorded for these two: the protocol's own messages (RFC 6143 §7.1.2, RFC 1350 DATA)
        m.put(Weakness.VNC_NO_AUTH, TcpIdentify.identify("RFB 003.008\n\u0002\u0001\u0002", 5900).apply(open(Protocol.TCP, 5900)));
        m.put(Weakness.TFTP_UNAUTHENTICATED_READ,
                UdpIdentify.identify(69, new byte[] {0, 3, 0, 1, 'h', 'i'}).apply(open(Protocol.UDP, 69)));
        // TLS: ServiceDetector's own split of what a real handshake found (TlsProbeTest checks it against a live server)
        m.put(Weakness.TLS_WEAK_CERTIFICATE, open(Protocol.TCP, 443).identified("https", null, "TLSv1.3", null, "ssl", List.of(),
                "probed", "TLSv1.3", ServiceDetector.tlsWeaknessFacts(List.of("certificate expired 2025-01-01T00:00:00Z", "RSA key of 1024 bits"))));
        m.put(Weakness.TLS_WEAK_PROTOCOL, open(Protocol.TCP, 8443).identified("https", null, "TLSv1", null, "ssl", List.of(),
                "probed", "TLSv1", ServiceDetector.tlsWeaknessFacts(List.of("TLSv1"))));
        return m;
    }

    @Test
    void everyWeaknessIdIsProvenByTheIdentifierAndNamedExactly() throws Exception {
        Map<String, PortResult> m = proven();
        assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(Weakness.IDS);
        m.forEach((id, r) -> {
            assertThat(r.weaknesses()).as(id).extracting(Weakness::id).containsExactly(id);
            assertThat(r.weakness(id).orElseThrow().detail()).as(id).isNotBlank();
            assertThat(r.method()).isEqualTo("probed");
        });
        assertThat(m.get(Weakness.SSH_WEAK_ALGORITHMS).weakness(Weakness.SSH_WEAK_ALGORITHMS).orElseThrow().detail()).startsWith("kex ");
        assertThat(m.get(Weakness.SSH_WEAK_ALGORITHMS).product()).isEqualTo("OpenSSH");
        // the same services configured safely prove nothing
        assertThat(tcp("x11/xvfb-access-control", 6041).weaknesses()).isEmpty();
        assertThat(tcp("mqtt/mosquitto-password", 1884).weaknesses()).isEmpty();
        assertThat(tcp("modbus/pymodbus-illegal-function", 502).weaknesses()).isEmpty();
        assertThat(tcp("ssh/openssh-9.2-default", 22).weaknesses()).isEmpty();
        assertThat(TcpIdentify.identify("RFB 003.008\n\u0001\u0002", 5900).weaknesses()).isEmpty();
    }

    @Test
    void theFactsTravelThroughJsonXmlAndNormalOutputAndAreReadBack() throws Exception {
        Map<String, PortResult> m = proven();
        // each port on its own number, all on one host
        PortTable t = new PortTable("10.77.79.2", ServiceNames.iana());
        for (PortResult r : m.values()) t.put(r);
        HostReport h = new HostReport("10.77.79.2", true, "user-set", 300, 1_700_000_000_000L, 1_700_000_001_000L, false, t);
        ScanListener.ScanInfo info = new ScanListener.ScanInfo("portaudit scan -sV 10.77.79.2", 1_700_000_000_000L,
                PortSet.range(1, 9000), PortSet.range(1, 9000), "test");

        // JSON lines
        StringWriter js = new StringWriter();
        JsonLinesOutput j = new JsonLinesOutput(new PrintWriter(js, true), false);
        j.started(info);
        for (PortResult r : m.values()) j.port(r);
        j.host(h);
        NmapOutputs.ScanImport fromJson = NmapOutputs.readJsonLines("scan.json", js.toString());
        // nmap XML
        Path xml = dir.resolve("scan.xml");
        XmlOutput x = XmlOutput.toFile(xml);
        x.started(info);
        x.host(h);
        x.finished(new ScanListener.ScanSummary(1_700_000_002_000L, 2.0, 1, 0, false, ""));
        NmapOutputs.ScanImport fromXml = NmapOutputs.readXml("scan.xml", Files.readString(xml));
        // -oN
        StringWriter nw = new StringWriter();
        NormalOutput n = new NormalOutput(new PrintWriter(nw, true), false, false, true).withVersions(true);
        n.started(info);
        n.host(h);
        NmapOutputs.ScanImport fromNormal = NmapOutputs.read("scan.nmap", nw.toString());

        for (var e : m.entrySet()) {
            PortResult want = e.getValue();
            for (var imp : Map.of("json", fromJson, "xml", fromXml, "-oN", fromNormal).entrySet()) {
                PortResult got = imp.getValue().ports().stream()
                        .filter(p -> p.port() == want.port() && p.protocol() == want.protocol()).findFirst().orElseThrow();
                assertThat(got.weaknesses()).as(e.getKey() + " via " + imp.getKey()).isEqualTo(want.weaknesses());
            }
            PortResult json = fromJson.ports().stream().filter(p -> p.port() == want.port() && p.protocol() == want.protocol()).findFirst().orElseThrow();
            assertThat(json).as("json keeps every field").isEqualTo(want);
            PortResult fx = fromXml.ports().stream().filter(p -> p.port() == want.port() && p.protocol() == want.protocol()).findFirst().orElseThrow();
            assertThat(fx.service()).isEqualTo(want.service());
            assertThat(fx.product()).isEqualTo(want.product());
            assertThat(fx.version()).isEqualTo(want.version());
            assertThat(fx.extraInfo()).isEqualTo(want.extraInfo());
            assertThat(fx.tunnel()).isEqualTo(want.tunnel());
            assertThat(fx.cpe()).isEqualTo(want.cpe());
            assertThat(fx.method()).isEqualTo("probed");
        }
        assertThat(Files.readString(xml)).contains("<script id=\"portaudit-snmp-community-public\" output=\"",
                "tunnel=\"ssl\"", "<cpe>cpe:/a:openbsd:openssh:");
    }
}
