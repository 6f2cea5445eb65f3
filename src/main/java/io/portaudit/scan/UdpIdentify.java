package io.portaudit.scan;

import io.portaudit.model.Text;
import io.portaudit.model.Weakness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service detection for UDP ({@code -sU -sV}): what the reply to a protocol payload
 * ({@link UdpPayloads}) says. Decoded from the protocols' own formats, every read bounded by the
 * reply's length (at most {@link UdpEngine#MAX_REPLY} bytes): a malformed or hostile reply gives a
 * shorter answer or none, never an exception. The banner is a one-line summary of what was read
 * (the raw bytes of a binary protocol say little to a reader).
 *
 * <ul>
 *   <li>DNS (RFC 1035): the answer to {@code version.bind CH TXT} (dnsmasq, BIND, unbound tell their
 *       version), else the response code.
 *   <li>NTP (RFC 5905): version, mode, stratum, reference id; "unsynchronized" for stratum 0/16 or
 *       leap indicator 3.
 *   <li>SNMP v1/v2c (RFC 1157, 3416): the agent answered community {@code public} — anyone can
 *       read it — and its sysDescr.0 (often kernel and board).
 *   <li>mDNS (RFC 6762/6763): the service types the responder announces.
 *   <li>SSDP (UPnP), SIP: the {@code SERVER}/{@code Server}/{@code User-Agent} header.
 *   <li>TFTP (RFC 1350): ERROR (code, message) or DATA (a file named portaudit-probe was served).
 * </ul>
 */
public final class UdpIdentify {
    private UdpIdentify() {}

    /** The service behind a UDP reply on {@code port}, or null when the reply says nothing we read. */
    public static ServiceDetector.Identified identify(int port, byte[] r) {
        if (r == null || r.length == 0) return null;
        try {
            return switch (port) {
                case 53 -> dns(r, "domain");
                case 5353 -> mdns(r);
                case 123 -> ntp(r);
                case 161 -> snmp(r);
                case 1900 -> header(r, "ssdp", "HTTP/1.1 ", "SERVER");
                case 5060 -> header(r, "sip", "SIP/2.0 ", "Server", "User-Agent");
                case 69 -> tftp(r);
                case 5683 -> coap(r);
                default -> null;
            };
        } catch (Malformed e) {
            return null;
        }
    }

    /** The reply as kept in a {@link io.portaudit.model.PortResult} banner (Latin-1, byte for byte). */
    public static ServiceDetector.Identified identify(int port, String latin1) {
        return latin1 == null ? null : identify(port, latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A read past the end of the reply or a structure that cannot be: the reply is not what we asked for. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private static int u8(byte[] r, int i) throws Malformed {
        if (i < 0 || i >= r.length) throw new Malformed();
        return r[i] & 0xff;
    }

    private static int u16(byte[] r, int i) throws Malformed {
        return u8(r, i) << 8 | u8(r, i + 1);
    }

    private static String text(byte[] r, int from, int len) throws Malformed {
        if (from < 0 || len < 0 || from + len > r.length) throw new Malformed();
        return Text.banner(Banner.latin1(java.util.Arrays.copyOfRange(r, from, from + len)), 200);
    }

    // ---- DNS

    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
    private static final Pattern DNS_VERSION = Pattern.compile("^([A-Za-z][A-Za-z ]*?)[-/ _]v?(\\d[\\w.+~-]*)");

    private static ServiceDetector.Identified dns(byte[] r, String service) throws Malformed {
        if (r.length < 12 || (u8(r, 2) & 0x80) == 0) return null;   // not a response
        int rcode = u8(r, 3) & 0x0f;
        int qd = u16(r, 4), an = u16(r, 6);
        int at = 12;
        for (int i = 0; i < qd; i++) at = skipName(r, at) + 4;
        for (int i = 0; i < an; i++) {
            at = skipName(r, at);
            int type = u16(r, at), len = u16(r, at + 8);
            int data = at + 10;
            if (type == 16 && len > 0) {   // TXT: <length><text>
                int n = Math.min(u8(r, data), len - 1);
                String v = text(r, data + 1, n);
                String product = null, version = null;
                Matcher m = DNS_VERSION.matcher(v);
                if (Character.isDigit(v.isEmpty() ? 'x' : v.charAt(0))) {
                    product = "ISC BIND";      // BIND answers its bare version number
                    version = v;
                } else if (m.find()) {
                    product = m.group(1).trim();
                    version = m.group(2);
                } else product = v;
                return new ServiceDetector.Identified(service, product, version, "DNS version.bind: \"" + v + "\"");
            }
            at = data + len;
        }
        return new ServiceDetector.Identified(service, null, null,
                "DNS response " + (rcode < RCODES.length ? RCODES[rcode] : "rcode " + rcode));
    }

    /** The offset just past a (possibly compressed) name starting at {@code at}. */
    private static int skipName(byte[] r, int at) throws Malformed {
        for (int hops = 0; hops < 128; hops++) {
            int len = u8(r, at);
            if (len == 0) return at + 1;
            if ((len & 0xc0) == 0xc0) {
                u8(r, at + 1);
                return at + 2;
            }
            if ((len & 0xc0) != 0) throw new Malformed();
            at += 1 + len;
        }
        throw new Malformed();
    }

    /** A name at {@code at}, compression pointers followed (bounded), as dotted text. */
    private static String name(byte[] r, int at) throws Malformed {
        StringBuilder sb = new StringBuilder();
        for (int hops = 0; hops < 32; hops++) {
            int len = u8(r, at);
            if (len == 0) return sb.toString();
            if ((len & 0xc0) == 0xc0) {
                at = (len & 0x3f) << 8 | u8(r, at + 1);
                continue;
            }
            if ((len & 0xc0) != 0 || sb.length() > 255) throw new Malformed();
            if (!sb.isEmpty()) sb.append('.');
            sb.append(text(r, at + 1, len));
            at += 1 + len;
        }
        throw new Malformed();
    }

    private static ServiceDetector.Identified mdns(byte[] r) throws Malformed {
        if (r.length < 12 || (u8(r, 2) & 0x80) == 0) return null;
        int qd = u16(r, 4), records = u16(r, 6) + u16(r, 8) + u16(r, 10);
        int at = 12;
        for (int i = 0; i < qd; i++) at = skipName(r, at) + 4;
        List<String> services = new ArrayList<>();
        for (int i = 0; i < records && services.size() < 20; i++) {
            at = skipName(r, at);
            int type = u16(r, at), len = u16(r, at + 8);
            int data = at + 10;
            if (type == 12) {  // PTR
                String s = name(r, data);
                if (!services.contains(s)) services.add(s);
            }
            at = data + len;
        }
        return new ServiceDetector.Identified("mdns", null, null,
                services.isEmpty() ? "mDNS response" : "mDNS services: " + String.join(", ", services));
    }

    // ---- NTP

    private static ServiceDetector.Identified ntp(byte[] r) throws Malformed {
        if (r.length < 48) return null;
        int li = u8(r, 0) >> 6, vn = u8(r, 0) >> 3 & 7, mode = u8(r, 0) & 7, stratum = u8(r, 1);
        if (mode != 4 && mode != 2) return null;   // server or symmetric passive
        String refid;
        if (stratum <= 1) refid = text(r, 12, 4).replace("\\x00", "");
        else refid = u8(r, 12) + "." + u8(r, 13) + "." + u8(r, 14) + "." + u8(r, 15);
        boolean unsynced = stratum == 0 || stratum >= 16 || li == 3;
        String version = "v" + vn + (unsynced ? " (unsynchronized)" : "");
        return new ServiceDetector.Identified("ntp", "NTP", version,
                "NTP v" + vn + " " + (mode == 4 ? "server" : "peer") + ", stratum " + stratum + ", refid " + refid
                        + (unsynced ? ", unsynchronized" : ""));
    }

    // ---- SNMP (BER)

    /** One BER element: tag, where its value starts and how long it is. */
    private record Tlv(int tag, int start, int len) {
        int end() { return start + len; }
    }

    private static Tlv tlv(byte[] r, int at, int limit) throws Malformed {
        int tag = u8(r, at);
        int l = u8(r, at + 1);
        int start = at + 2;
        if ((l & 0x80) != 0) {
            int n = l & 0x7f;
            if (n == 0 || n > 3) throw new Malformed();
            l = 0;
            for (int i = 0; i < n; i++) l = l << 8 | u8(r, start + i);
            start += n;
        }
        if (start + l > limit) throw new Malformed();
        return new Tlv(tag, start, l);
    }

    private static long integer(byte[] r, Tlv t) throws Malformed {
        if (t.tag() != 0x02 || t.len() < 1 || t.len() > 8) throw new Malformed();
        long v = (byte) u8(r, t.start());
        for (int i = 1; i < t.len(); i++) v = v << 8 | u8(r, t.start() + i);
        return v;
    }

    private static ServiceDetector.Identified snmp(byte[] r) throws Malformed {
        Tlv msg = tlv(r, 0, r.length);
        if (msg.tag() != 0x30) return null;
        Tlv ver = tlv(r, msg.start(), msg.end());
        long version = integer(r, ver);
        Tlv community = tlv(r, ver.end(), msg.end());
        if (community.tag() != 0x04) return null;
        String comm = text(r, community.start(), community.len());
        Tlv pdu = tlv(r, community.end(), msg.end());
        if (pdu.tag() != 0xa2) return null;   // GetResponse
        Tlv id = tlv(r, pdu.start(), pdu.end());
        Tlv status = tlv(r, id.end(), pdu.end());
        Tlv index = tlv(r, status.end(), pdu.end());
        long err = integer(r, status);
        String v = version == 0 ? "v1" : version == 1 ? "v2c" : "version " + version;
        String descr = null;
        Tlv binds = tlv(r, index.end(), pdu.end());
        if (binds.tag() == 0x30 && binds.len() > 0) {
            Tlv bind = tlv(r, binds.start(), binds.end());
            Tlv oid = tlv(r, bind.start(), bind.end());
            Tlv value = tlv(r, oid.end(), bind.end());
            if (value.tag() == 0x04) descr = text(r, value.start(), value.len());
        }
        String banner = "SNMP" + v + " agent answers community \"" + comm + "\""
                + (descr != null ? "; sysDescr: " + descr : err != 0 ? "; error-status " + err : "");
        ServiceDetector.Identified agent = new ServiceDetector.Identified("snmp", "SNMP agent", v, banner);
        return comm.equals("public") ? agent.weak(Weakness.SNMP_COMMUNITY_PUBLIC, "the agent answered a " + v + " get with the default "
                + "community \"public\"" + (descr != null ? "; sysDescr: " + descr : "")) : agent;
    }

    // ---- text protocols

    private static ServiceDetector.Identified header(byte[] r, String service, String statusPrefix, String... names) {
        String t = Banner.latin1(r);
        if (!t.startsWith(statusPrefix)) return null;
        String status = t.lines().findFirst().orElse("").trim();
        for (String line : t.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String key = line.substring(0, colon).trim();
            for (String n : names) {
                if (!key.equalsIgnoreCase(n)) continue;
                String server = line.substring(colon + 1).trim();
                String[] pv = productVersion(server);
                return new ServiceDetector.Identified(service, pv[0], pv[1],
                        Text.banner(status, 80) + "; " + n.toUpperCase(Locale.ROOT) + ": " + Text.banner(server, 160));
            }
        }
        return new ServiceDetector.Identified(service, null, null, Text.banner(status, 80));
    }

    private static final Pattern TOKEN = Pattern.compile("([A-Za-z][\\w.-]*)/v?(\\d[\\w.+~-]*)");

    /**
     * The product in a SERVER-style header: the last {@code name/version} token that is not a
     * protocol or the OS ("Linux/4.14 UPnP/1.0 MiniUPnPd/2.1" → MiniUPnPd 2.1).
     */
    static String[] productVersion(String server) {
        Matcher m = TOKEN.matcher(server);
        String[] best = {Text.banner(server, 80), null};
        while (m.find()) {
            String n = m.group(1).toLowerCase(Locale.ROOT);
            if (n.equals("upnp") || n.equals("linux") || n.equals("http") || n.equals("sip") || n.equals("dlnadoc")) continue;
            best = new String[] {m.group(1), m.group(2)};
        }
        return best;
    }

    /**
     * A CoAP response (RFC 7252 §3) to GET /.well-known/core: its code (2.05 Content) and the start of
     * the resource list (RFC 6690 link format), options skipped.
     */
    private static ServiceDetector.Identified coap(byte[] r) throws Malformed {
        int b0 = u8(r, 0);
        if (b0 >> 6 != 1) return null;   // version 1
        int tkl = b0 & 0x0f, code = u8(r, 1);
        if (tkl > 8 || code < 0x40) return null;   // a response has class 2, 4 or 5
        int at = 4 + tkl;
        while (at < r.length && u8(r, at) != 0xff) {
            int d = u8(r, at) >> 4, l = u8(r, at) & 0x0f;
            at++;
            if (d == 15 || l == 15) throw new Malformed();
            at += d == 13 ? 1 : d == 14 ? 2 : 0;
            if (l == 13) l = 13 + u8(r, at++);
            else if (l == 14) {
                l = 269 + u16(r, at);
                at += 2;
            }
            at += l;
        }
        String c = (code >> 5) + "." + String.format(Locale.ROOT, "%02d", code & 0x1f);
        String payload = at < r.length - 1 ? text(r, at + 1, r.length - at - 1) : "";
        ServiceDetector.Identified id = new ServiceDetector.Identified("coap", null, null, "CoAP " + c + (payload.isEmpty() ? "" : ": " + payload));
        return code >> 5 == 2 ? id.weak(Weakness.COAP_UNAUTHENTICATED, "the server answered GET /.well-known/core with " + c
                + " without any authentication" + (payload.isEmpty() ? "" : ": " + payload)) : id;
    }

    private static ServiceDetector.Identified tftp(byte[] r) throws Malformed {
        int op = u16(r, 0);
        if (op == 5) {
            int code = u16(r, 2);
            int end = 4;
            while (end < r.length && r[end] != 0) end++;
            return new ServiceDetector.Identified("tftp", null, null, "TFTP error " + code + ": " + text(r, 4, end - 4));
        }
        if (op == 3) {
            return new ServiceDetector.Identified("tftp", null, null, "TFTP served a file to an unauthenticated read request")
                    .weak(Weakness.TFTP_UNAUTHENTICATED_READ, "the server served a file to a read request without any authentication");
        }
        return null;
    }
}
