package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * UDP service detection on replies. The DNS, NTP and SNMP replies are real: captured from dnsmasq
 * 2.90, chronyd 4.3 and net-snmp 5.9.3 answering portaudit's own payloads in a lab namespace
 * (ScanServicesLabTest runs the same servers live). mDNS, SSDP, SIP and TFTP replies are built
 * here byte by byte from their specifications.
 */
class UdpIdentifyTest {
    static byte[] fixture(String name) throws IOException {
        return HexFormat.of().parseHex(Files.readString(Path.of("src/test/resources/fixtures/scan/udp", name + ".hex")).trim());
    }

    @Test
    void dnsmasqTellsItsVersion() throws IOException {
        ServiceDetector.Identified id = UdpIdentify.identify(53, fixture("dnsmasq-version-bind"));
        assertThat(id.service()).isEqualTo("domain");
        assertThat(id.product()).isEqualTo("dnsmasq");
        assertThat(id.version()).isEqualTo("2.90");
        assertThat(id.banner()).isEqualTo("DNS version.bind: \"dnsmasq-2.90\"");
    }

    @Test
    void chronydServesTime() throws IOException {
        ServiceDetector.Identified id = UdpIdentify.identify(123, fixture("chronyd-ntp"));
        assertThat(id.service()).isEqualTo("ntp");
        assertThat(id.product()).isEqualTo("NTP");
        assertThat(id.version()).isEqualTo("v4");
        assertThat(id.banner()).isEqualTo("NTP v4 server, stratum 8, refid 127.127.1.1");
    }

    @Test
    void netSnmpAnswersThePublicCommunityWithItsSysDescr() throws IOException {
        for (String v : new String[] {"v1", "v2c"}) {
            ServiceDetector.Identified id = UdpIdentify.identify(161, fixture("net-snmp-" + v));
            assertThat(id.service()).isEqualTo("snmp");
            assertThat(id.product()).isEqualTo("SNMP agent");
            assertThat(id.version()).isEqualTo(v);
            assertThat(id.banner()).isEqualTo("SNMP" + v + " agent answers community \"public\"; sysDescr: Linux armadillo 4.14.336-at5 armv7l");
        }
    }

    @Test
    void libcoapListsItsResources() throws IOException {
        // libcoap 4.3.1's coap-server answering GET /.well-known/core
        ServiceDetector.Identified id = UdpIdentify.identify(5683, fixture("libcoap-well-known-core"));
        assertThat(id.service()).isEqualTo("coap");
        assertThat(id.banner()).startsWith("CoAP 2.05: </>;title=\"General Info\";ct=0,</time>;");
        // 4.04 with no payload; a request (code 0.01) is not an answer
        assertThat(UdpIdentify.identify(5683, new byte[] {0x60, (byte) 0x84, 0x70, 0x61}).banner()).isEqualTo("CoAP 4.04");
        assertThat(UdpIdentify.identify(5683, UdpPayloads.coap())).isNull();
    }

    /** A DNS response header with the question echoed, as servers that refuse CHAOS queries send it. */
    static byte[] dnsRefused(int rcode) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0x70, 0x61, (byte) 0x80, (byte) rcode, 0, 1, 0, 0, 0, 0, 0, 0});
        o.writeBytes(UdpPayloads.name("version", "bind"));
        o.writeBytes(new byte[] {0, 16, 0, 3});
        return o.toByteArray();
    }

    static byte[] dnsTxt(String text) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0x70, 0x61, (byte) 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0});
        o.writeBytes(UdpPayloads.name("version", "bind"));
        o.writeBytes(new byte[] {0, 16, 0, 3, (byte) 0xc0, 12, 0, 16, 0, 3, 0, 0, 0, 0, 0, (byte) (text.length() + 1), (byte) text.length()});
        o.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    @Test
    void otherDnsServers() {
        assertThat(UdpIdentify.identify(53, dnsRefused(5)).banner()).isEqualTo("DNS response REFUSED");
        assertThat(UdpIdentify.identify(53, dnsRefused(4)).banner()).isEqualTo("DNS response NOTIMP");
        ServiceDetector.Identified bind = UdpIdentify.identify(53, dnsTxt("9.18.24-1-Debian"));
        assertThat(bind.product()).isEqualTo("ISC BIND");
        assertThat(bind.version()).isEqualTo("9.18.24-1-Debian");
        ServiceDetector.Identified unbound = UdpIdentify.identify(53, dnsTxt("unbound 1.17.1"));
        assertThat(unbound.product()).isEqualTo("unbound");
        assertThat(unbound.version()).isEqualTo("1.17.1");
        // a query, not a response, says nothing
        assertThat(UdpIdentify.identify(53, UdpPayloads.dns())).isNull();
    }

    @Test
    void mdnsListsTheServiceTypesWithCompressedNames() {
        // RFC 6763 §9: PTR records of _services._dns-sd._udp.local naming service types; the second
        // name is compressed (a pointer to "local" inside the first)
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0});
        int owner = o.size();
        o.writeBytes(UdpPayloads.name("_services", "_dns-sd", "_udp", "local"));
        o.writeBytes(new byte[] {0, 12, 0, 1, 0, 0, 0x11, (byte) 0x94});
        byte[] first = UdpPayloads.name("_http", "_tcp", "local");
        o.writeBytes(new byte[] {0, (byte) first.length});
        int firstAt = o.size();
        o.writeBytes(first);
        o.writeBytes(new byte[] {(byte) 0xc0, (byte) owner, 0, 12, 0, 1, 0, 0, 0x11, (byte) 0x94, 0, 7});
        o.writeBytes(new byte[] {4, '_', 's', 's', 'h', (byte) 0xc0, (byte) (firstAt + 6)});
        ServiceDetector.Identified id = UdpIdentify.identify(5353, o.toByteArray());
        assertThat(id.service()).isEqualTo("mdns");
        assertThat(id.banner()).isEqualTo("mDNS services: _http._tcp.local, _ssh._tcp.local");
    }

    @Test
    void ssdpSipAndTftp() {
        String ssdp = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: upnp:rootdevice\r\n"
                + "SERVER: Linux/4.14 UPnP/1.1 MiniUPnPd/2.3.3\r\nLOCATION: http://10.0.0.5:5000/rootDesc.xml\r\n\r\n";
        ServiceDetector.Identified s = UdpIdentify.identify(1900, ssdp.getBytes(StandardCharsets.US_ASCII));
        assertThat(s.product()).isEqualTo("MiniUPnPd");
        assertThat(s.version()).isEqualTo("2.3.3");
        assertThat(s.banner()).isEqualTo("HTTP/1.1 200 OK; SERVER: Linux/4.14 UPnP/1.1 MiniUPnPd/2.3.3");
        String sip = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP portaudit.invalid:5060\r\nUser-Agent: FPBX-16.0.33(18.20.0)\r\n\r\n";
        ServiceDetector.Identified p = UdpIdentify.identify(5060, sip.getBytes(StandardCharsets.US_ASCII));
        assertThat(p.service()).isEqualTo("sip");
        assertThat(p.banner()).isEqualTo("SIP/2.0 200 OK; USER-AGENT: FPBX-16.0.33(18.20.0)");
        // RFC 1350 §5: ERROR, code 1 "File not found"
        byte[] err = {0, 5, 0, 1, 'F', 'i', 'l', 'e', ' ', 'n', 'o', 't', ' ', 'f', 'o', 'u', 'n', 'd', 0};
        assertThat(UdpIdentify.identify(69, err).banner()).isEqualTo("TFTP error 1: File not found");
        assertThat(UdpIdentify.identify(69, new byte[] {0, 3, 0, 1, 'x'}).banner()).contains("served a file");
    }

    @Test
    void truncatedAndMangledRepliesNeverThrow() throws IOException {
        Random rnd = new Random(20261129);
        Object[][] samples = {{53, fixture("dnsmasq-version-bind")}, {123, fixture("chronyd-ntp")}, {161, fixture("net-snmp-v1")},
            {161, fixture("net-snmp-v2c")}, {53, dnsTxt("dnsmasq-2.90")}, {5683, fixture("libcoap-well-known-core")}, {5353, dnsRefused(0)}, {69, new byte[] {0, 5, 0, 1, 'x'}}};
        int identified = 0;
        for (Object[] s : samples) {
            int port = (Integer) s[0];
            byte[] b = (byte[]) s[1];
            for (int len = 0; len <= b.length; len++) UdpIdentify.identify(port, java.util.Arrays.copyOf(b, len));
            for (int i = 0; i < 3000; i++) {
                byte[] m = b.clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                if (UdpIdentify.identify(port, m) != null) identified++;
            }
        }
        assertThat(identified).as("most single-byte damage still reads").isGreaterThan(1000);
    }
}
