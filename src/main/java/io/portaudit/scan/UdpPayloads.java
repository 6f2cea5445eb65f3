package io.portaudit.scan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * UDP probe payloads written from the protocols' RFCs/specifications (not copied from nmap), so that
 * open services answer instead of staying silent. Ports without a protocol payload get a single NUL
 * byte: nmap sends an empty datagram there, but the JDK silently skips zero-length writes on a
 * connected {@code DatagramChannel} (and a connected channel is what delivers port-unreachable), so
 * one byte is the smallest datagram that actually leaves.
 */
public final class UdpPayloads {
    private UdpPayloads() {}

    /**
     * RFC 1035 §4.1: ID 0x7061 ("pa"), no recursion, one question: "version.bind CH TXT" (the
     * CHAOS-class convention by which BIND, dnsmasq and unbound tell their version; RFC 4892). Any
     * DNS server answers it, if only with REFUSED or NOTIMP, so an open port still shows.
     */
    public static byte[] dns() {
        return concat(new byte[] {0x70, 0x61, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}, name("version", "bind"),
                new byte[] {/* TXT */ 0, 16, /* CH */ 0, 3});
    }

    /** RFC 5905 §7.3: 48-byte NTPv4 client request (LI 0, VN 4, Mode 3 = 0x23), all other fields zero. */
    public static byte[] ntp() {
        byte[] b = new byte[48];
        b[0] = 0x23;
        return b;
    }

    /**
     * RFC 1157 (v1, version 0) / RFC 3416 + RFC 1901 (v2c, version 1): GetRequest for sysDescr.0
     * (1.3.6.1.2.1.1.1.0) with community "public", BER-encoded.
     */
    public static byte[] snmp(int version) {
        byte[] oid = {0x2b, 6, 1, 2, 1, 1, 1, 0};  // 1.3 → 43, then 6.1.2.1.1.1.0
        byte[] varbind = tlv(0x30, concat(tlv(0x06, oid), new byte[] {0x05, 0x00}));
        byte[] varbinds = tlv(0x30, varbind);
        byte[] pdu = tlv(0xa0, concat(integer(0x7061), integer(0), integer(0), varbinds));
        return tlv(0x30, concat(integer(version), tlv(0x04, "public".getBytes(StandardCharsets.US_ASCII)), pdu));
    }

    /**
     * RFC 6762/6763: mDNS query for "_services._dns-sd._udp.local" PTR, class IN with the
     * unicast-response bit (0x8001), so the responder answers our port directly.
     */
    public static byte[] mdns() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        o.writeBytes(name("_services", "_dns-sd", "_udp", "local"));
        o.writeBytes(new byte[] {0, 12, (byte) 0x80, 1});
        return o.toByteArray();
    }

    /** UPnP Device Architecture 1.1 §1.3.2: a unicast M-SEARCH for all devices. */
    public static byte[] ssdp() {
        return ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n"
                + "USER-AGENT: portaudit\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 1002 §4.2.17/§4.2.1.1: NODE STATUS (NBSTAT, 0x21) request for the name "*", first-level encoded. */
    public static byte[] netbiosNs() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0x70, 0x61, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        o.write(32);
        byte[] raw = new byte[16];
        raw[0] = '*';
        for (byte c : raw) {
            o.write('A' + ((c >> 4) & 0x0f));
            o.write('A' + (c & 0x0f));
        }
        o.write(0);
        o.writeBytes(new byte[] {0, 0x21, 0, 1});
        return o.toByteArray();
    }

    /** RFC 1350 §5: RRQ (opcode 1) for a file that does not exist, mode "octet": servers answer DATA or ERROR. */
    public static byte[] tftp() {
        return concat(new byte[] {0, 1}, "portaudit-probe\0octet\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 3261 §11: an OPTIONS request; every SIP element must answer it. */
    public static byte[] sip() {
        return ("OPTIONS sip:probe@portaudit.invalid SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP portaudit.invalid:5060;branch=z9hG4bK-portaudit;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@portaudit.invalid>;tag=portaudit\r\n"
                + "To: <sip:probe@portaudit.invalid>\r\n"
                + "Call-ID: portaudit-probe@portaudit.invalid\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * RFC 2408/2409: an ISAKMP (IKEv1) Identity Protection (main mode) first message with one SA
     * proposal (3DES, SHA1, pre-shared key, MODP 1024, 8 h). Responders answer with their SA or a
     * NO-PROPOSAL-CHOSEN notification.
     */
    public static byte[] ike() {
        byte[] attrs = {(byte) 0x80, 1, 0, 5, (byte) 0x80, 2, 0, 2, (byte) 0x80, 3, 0, 1, (byte) 0x80, 4, 0, 2,
            (byte) 0x80, 11, 0, 1, (byte) 0x80, 12, 0x70, (byte) 0x80};
        byte[] transform = concat(new byte[] {0, 0, 0, (byte) (8 + attrs.length), 1, 1, 0, 0}, attrs);
        byte[] proposal = concat(new byte[] {0, 0, 0, (byte) (8 + transform.length), 1, 1, 0, 1}, transform);
        byte[] sa = concat(new byte[] {0, 0, 0, (byte) (12 + proposal.length), 0, 0, 0, 1, 0, 0, 0, 1}, proposal);
        int len = 28 + sa.length;
        byte[] header = {0x70, 0x61, 0x72, 0x74, 0x61, 0x75, 0x64, 0x74, /* responder cookie */ 0, 0, 0, 0, 0, 0, 0, 0,
            /* next: SA */ 1, /* version 1.0 */ 0x10, /* main mode */ 2, /* flags */ 0, 0, 0, 0, 0,
            (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
        return concat(header, sa);
    }

    /** RFC 7252 §3 + RFC 6690: confirmable GET /.well-known/core. */
    public static byte[] coap() {
        return concat(new byte[] {0x40, 0x01, 0x70, 0x61, (byte) 0xbb}, ".well-known".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x04}, "core".getBytes(StandardCharsets.US_ASCII));
    }

    /** MQTT-SN v1.2 §5.4.4: CONNECT (clean session, duration 60 s, client id "portaudit"); gateways answer CONNACK. */
    public static byte[] mqttSn() {
        byte[] id = "portaudit".getBytes(StandardCharsets.US_ASCII);
        return concat(new byte[] {(byte) (6 + id.length), 0x04, 0x04, 0x01, 0, 60}, id);
    }

    private static final Map<Integer, byte[]> BY_PORT = Map.ofEntries(
            Map.entry(53, dns()), Map.entry(123, ntp()), Map.entry(161, snmp(0)), Map.entry(5353, mdns()),
            Map.entry(1900, ssdp()), Map.entry(137, netbiosNs()), Map.entry(69, tftp()), Map.entry(5060, sip()),
            Map.entry(500, ike()), Map.entry(4500, concat(new byte[4], ike())), Map.entry(5683, coap()),
            Map.entry(1883, mqttSn()), Map.entry(1884, mqttSn()), Map.entry(10000, mqttSn()));

    /** The payload for a port (a copy); empty for ports without one. */
    public static byte[] forPort(int port) {
        byte[] b = BY_PORT.get(port);
        return b == null ? new byte[] {0} : b.clone();
    }

    /** The payload for a retransmission: SNMP alternates v1 and v2c; others repeat. */
    public static byte[] forPort(int port, int tryNo) {
        if (port == 161 && tryNo % 2 == 1) return snmp(1);
        return forPort(port);
    }

    static byte[] name(String... labels) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (String l : labels) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            o.write(b.length);
            o.writeBytes(b);
        }
        o.write(0);
        return o.toByteArray();
    }

    /** BER TLV with definite length (short or long form). */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(tag);
        int n = value.length;
        if (n < 128) o.write(n);
        else if (n < 256) {
            o.write(0x81);
            o.write(n);
        } else {
            o.write(0x82);
            o.write(n >>> 8);
            o.write(n & 0xff);
        }
        o.writeBytes(value);
        return o.toByteArray();
    }

    /** BER INTEGER, minimal two's complement. */
    static byte[] integer(long v) {
        byte[] full = java.math.BigInteger.valueOf(v).toByteArray();
        return tlv(0x02, full);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }
}
