package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void dnsAsksForVersionBindInTheChaosClass() {
        assertThat(hex(UdpPayloads.dns())).isEqualTo("706100000001000000000000" + "0776657273696f6e" + "0462696e64" + "00" + "0010" + "0003");
    }

    @Test
    void ntpIsAVersion4ClientRequestOf48Bytes() {
        byte[] b = UdpPayloads.ntp();
        assertThat(b).hasSize(48);
        assertThat(b[0] & 0xff).isEqualTo(0x23);  // LI 0, VN 4, mode 3
    }

    @Test
    void snmpGetRequestIsExactBer() {
        // hand-assembled: SEQUENCE { INTEGER 0, OCTET STRING "public", GetRequest { id 0x7061, 0, 0,
        //   SEQUENCE { SEQUENCE { OID 1.3.6.1.2.1.1.1.0, NULL } } } }
        // lengths: varbind 10+2=12, varbind list 14, PDU 4+3+3+16=26, message 3+8+28=39
        String expectedV1 = "302702010004067075626c6963"
                + "a01a" + "02027061" + "020100" + "020100" + "300e" + "300c" + "06082b06010201010100" + "0500";
        assertThat(hex(UdpPayloads.snmp(0))).isEqualTo(expectedV1);
        assertThat(hex(UdpPayloads.snmp(1))).startsWith("302702010104067075626c6963");
        assertThat(hex(UdpPayloads.forPort(161, 1))).isEqualTo(hex(UdpPayloads.snmp(1)));
    }

    @Test
    void berLengthsUseTheLongFormFrom128() {
        assertThat(hex(UdpPayloads.tlv(0x04, new byte[127])).substring(0, 4)).isEqualTo("047f");
        assertThat(hex(UdpPayloads.tlv(0x04, new byte[128])).substring(0, 6)).isEqualTo("048180");
        assertThat(hex(UdpPayloads.tlv(0x04, new byte[300])).substring(0, 8)).isEqualTo("0482012c");
        assertThat(hex(UdpPayloads.integer(128))).isEqualTo("02020080");
    }

    @Test
    void netbiosNameIsFirstLevelEncodedStar() {
        byte[] b = UdpPayloads.netbiosNs();
        String name = new String(b, 13, 32, StandardCharsets.US_ASCII);
        assertThat(b[12]).isEqualTo((byte) 32);
        assertThat(name).isEqualTo("CK" + "A".repeat(30));
        assertThat(hex(b).substring(hex(b).length() - 10)).isEqualTo("0000210001");
    }

    @Test
    void mdnsAsksForServicesWithTheUnicastBit() {
        String h = hex(UdpPayloads.mdns());
        assertThat(h).contains(hex("\u0009_services\u0007_dns-sd\u0004_udp\u0005local\u0000".getBytes(StandardCharsets.US_ASCII)));
        assertThat(h).endsWith("000c8001");
    }

    @Test
    void textProtocols() {
        assertThat(new String(UdpPayloads.ssdp(), StandardCharsets.US_ASCII)).startsWith("M-SEARCH * HTTP/1.1\r\n").endsWith("\r\n\r\n");
        assertThat(new String(UdpPayloads.sip(), StandardCharsets.US_ASCII)).startsWith("OPTIONS sip:").contains("CSeq: 1 OPTIONS\r\n");
        assertThat(hex(UdpPayloads.tftp())).startsWith("0001").endsWith(hex("octet\0".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void coapGetsWellKnownCore() {
        assertThat(hex(UdpPayloads.coap())).isEqualTo("40017061bb2e77656c6c2d6b6e6f776e04636f7265");
    }

    @Test
    void ikeHeaderLengthMatchesThePacket() {
        byte[] b = UdpPayloads.ike();
        int len = ((b[24] & 0xff) << 24) | ((b[25] & 0xff) << 16) | ((b[26] & 0xff) << 8) | (b[27] & 0xff);
        assertThat(len).isEqualTo(b.length);
        assertThat(b[16]).isEqualTo((byte) 1);   // next payload: SA
        assertThat(b[17]).isEqualTo((byte) 0x10); // ISAKMP 1.0
        assertThat(b[18]).isEqualTo((byte) 2);   // identity protection (main mode)
        // SA payload length field covers the rest
        assertThat(((b[30] & 0xff) << 8) | (b[31] & 0xff)).isEqualTo(b.length - 28);
        assertThat(UdpPayloads.forPort(4500)).hasSize(b.length + 4);
    }

    @Test
    void mqttSnConnectLengthIsItsFirstByte() {
        byte[] b = UdpPayloads.mqttSn();
        assertThat(b[0] & 0xff).isEqualTo(b.length);
        assertThat(b[1]).isEqualTo((byte) 0x04);
    }

    @Test
    void unknownPortsGetOneNulByteAndCopiesAreIndependent() {
        assertThat(UdpPayloads.forPort(40000)).containsExactly(0);
        UdpPayloads.forPort(53)[0] = 9;
        assertThat(UdpPayloads.forPort(53)[0]).isEqualTo((byte) 0x70);
    }
}
