package io.portaudit.scan;

import io.portaudit.model.Text;
import io.portaudit.scan.ServiceDetector.Identified;
import java.nio.charset.StandardCharsets;
import io.portaudit.model.Weakness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service detection for TCP ({@code -sV}): what a greeting or the answer to one of
 * {@link ServiceDetector}'s probes says — the service, product and version, and for the protocols an
 * anonymous client can judge, what it gets: SSH (the version line and the algorithms the KEXINIT
 * offers), X11 (does the server let us in), VNC (security types), MQTT (CONNACK to a CONNECT without
 * credentials), Modbus/TCP (device identification), HTTP/RTSP (status, Server, title), FTP, SMTP,
 * POP3, IMAP, telnet. Pure functions on the bytes read (Latin-1 text), bounded by them: tested on
 * replies captured from real servers.
 */
final class TcpIdentify {
    private TcpIdentify() {}

    private static final Pattern SSH = Pattern.compile("^SSH-([\\d.]+)-([^\\s\\r\\n]+)");
    private static final Pattern PRODUCT_VER = Pattern.compile("([A-Za-z][\\w.-]*?)[/_ ]v?(\\d[\\w.+~-]*)");
    private static final Pattern SERVER = Pattern.compile("(?im)^Server:\\s*([^\\r\\n]+)");
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern STATUS = Pattern.compile("^(HTTP|RTSP)/\\d\\.\\d (\\d{3})");

    /** Maps a greeting or probe reply to a service (null: not recognised). */
    static Identified identify(String raw, int port) {
        if (raw == null || raw.isEmpty()) return null;
        if (ServiceDetector.x11Port(port)) {
            Identified x = x11(raw);
            if (x != null) return x;
        }
        if (isRfb(raw.getBytes(StandardCharsets.ISO_8859_1))) return vnc(raw);
        if (port == ServiceDetector.MODBUS_PORT) {
            Identified m = modbus(raw);
            if (m != null) return m;
        }
        Matcher m = SSH.matcher(raw);
        if (m.find()) {
            String sw = m.group(2);
            String product = sw, version = null;
            if (sw.startsWith("OpenSSH_")) {
                product = "OpenSSH";
                version = sw.substring(8);
            } else if (sw.startsWith("dropbear_")) {
                product = "Dropbear sshd";
                version = sw.substring(9);
            } else {
                int u = sw.indexOf('_');
                if (u > 0) {
                    product = sw.substring(0, u);
                    version = sw.substring(u + 1);
                }
            }
            Identified ssh = new Identified("ssh", product, version, sshBanner(raw));
            String weak = sshWeak(raw);
            return weak == null ? ssh : ssh.weak(Weakness.SSH_WEAK_ALGORITHMS, weak);
        }
        if (raw.charAt(0) == (char) 0xff && raw.length() >= 3) return new Identified("telnet", null, null, raw);
        m = STATUS.matcher(raw);
        if (m.find()) {
            boolean rtsp = m.group(1).equals("RTSP");
            String product = null, version = null;
            Matcher sm = SERVER.matcher(raw);
            if (sm.find()) {
                String server = sm.group(1).trim();
                Matcher pv = PRODUCT_VER.matcher(server);
                if (pv.find() && pv.start() == 0) {
                    product = pv.group(1);
                    version = pv.group(2);
                } else product = server;
            }
            Matcher t = TITLE.matcher(raw);
            String extra = t.find() ? t.group(1).trim().replaceAll("\\s+", " ") : null;
            if (extra != null && extra.length() > 80) extra = extra.substring(0, 80);
            return new Identified(rtsp ? "rtsp" : "http", product, version == null ? null : version, raw)
                    .withTitle(extra, m.group(2));
        }
        if (raw.length() >= 4 && raw.charAt(0) == 0x20 && raw.charAt(1) == 0x02) return mqtt(raw);
        if (raw.startsWith("+OK")) return new Identified("pop3", productIn(raw), versionIn(raw), raw);
        if (raw.startsWith("* OK")) return new Identified("imap", productIn(raw), versionIn(raw), raw);
        if (raw.startsWith("220")) {
            String up = raw.toUpperCase(java.util.Locale.ROOT);
            boolean ftp = up.contains("FTP") || port == 21;
            boolean smtp = up.contains("SMTP") || port == 25 || port == 587;
            String svc = ftp && !up.contains("SMTP") ? "ftp" : smtp ? "smtp" : "ftp";
            return new Identified(svc, productIn(raw), versionIn(raw), raw);
        }
        return null;
    }

    /**
     * An X11 server's answer to {@link #X11_SETUP} (little-endian, as asked), or null when the bytes
     * are not one. The banner says whether it let us in.
     */
    static Identified x11(String raw) {
        if (raw.length() < 8 || raw.charAt(0) > 2 || u16le(raw, 2) != 11) return null;
        int status = raw.charAt(0);
        if (status == 0) {
            int n = raw.charAt(1);
            String reason = raw.substring(8, Math.min(raw.length(), 8 + n)).strip();
            return new Identified("x11", null, null, "X11 access denied: " + reason);
        }
        if (status == 2) return new Identified("x11", null, null, "X11 asks for further authentication");
        if (raw.length() < 40) {
            return new Identified("x11", null, null, "X11 open: no authentication needed")
                    .weak(Weakness.X11_NO_ACCESS_CONTROL, "the X server accepted a connection without any authentication");
        }
        long release = (long) u16le(raw, 8) | (long) u16le(raw, 10) << 16;
        int vlen = u16le(raw, 24);
        String vendor = raw.substring(40, Math.min(raw.length(), 40 + vlen)).strip();
        String version = null;
        if (vendor.contains("X.Org") && release >= 10_000_000) {
            // X.Org encodes 1.20.11 as 12011000 and 21.1.7 (the 1 dropped from 1.21) as 12101007
            long a = release / 100_000 % 100, b = release / 1000 % 100, c = release % 1000;
            version = a >= 21 ? a + "." + b + "." + c : "1." + a + "." + b + (c == 0 ? "" : "." + c);
        }
        return new Identified("x11", vendor.isEmpty() ? null : vendor, version,
                "X11 open: no authentication needed (vendor " + (vendor.isEmpty() ? "?" : vendor) + ", release " + release + ")")
                .weak(Weakness.X11_NO_ACCESS_CONTROL, "the X server accepted a connection without any authentication (vendor "
                        + (vendor.isEmpty() ? "?" : vendor) + ", release " + release + ")");
    }

    private static final Map<Integer, String> MODBUS_EXCEPTIONS = Map.of(1, "illegal function", 2, "illegal data address",
            3, "illegal data value", 4, "server device failure", 10, "gateway path unavailable", 11, "gateway target failed to respond");

    /**
     * A Modbus/TCP answer to {@link #MODBUS_DEVICE_ID}: the device's identification objects, or an
     * exception (a device without function 43 still speaks Modbus); null when the bytes are not
     * Modbus/TCP.
     */
    static Identified modbus(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length < 9 || b[2] != 0 || b[3] != 0) return null;           // protocol id 0
        int len = (b[4] & 0xff) << 8 | b[5] & 0xff;
        if (len < 3 || len > 254) return null;
        int fc = b[7] & 0xff;
        if (fc >= 0x80) {
            int code = b[8] & 0xff;
            return new Identified("modbus", null, null, "Modbus/TCP exception " + code + " ("
                    + MODBUS_EXCEPTIONS.getOrDefault(code, "unknown") + ") to function " + (fc & 0x7f));
        }
        if (fc != 0x2b || b.length < 14 || b[8] != 0x0e) return null;
        int count = b[13] & 0xff, at = 14;
        String[] objects = new String[3];
        for (int i = 0; i < count && at + 2 <= b.length; i++) {
            int id = b[at] & 0xff, n = b[at + 1] & 0xff;
            if (at + 2 + n > b.length) break;
            if (id < 3) objects[id] = Text.banner(Banner.latin1(java.util.Arrays.copyOfRange(b, at + 2, at + 2 + n)), 80);
            at += 2 + n;
        }
        String product = objects[0] == null ? objects[1] : objects[1] == null ? objects[0] : objects[0] + " " + objects[1];
        String ident = "vendor \"" + (objects[0] == null ? "" : objects[0]) + "\", product code \""
                + (objects[1] == null ? "" : objects[1]) + "\", revision \"" + (objects[2] == null ? "" : objects[2]) + "\"";
        return new Identified("modbus", product, objects[2], "Modbus/TCP device identification: " + ident)
                .weak(Weakness.MODBUS_UNAUTHENTICATED, "the device gave its identification to an unauthenticated read: " + ident);
    }

    /**
     * Algorithms no SSH server should offer any more (RFC 9142 for key exchange, RFC 8758 for RC4,
     * OpenSSH's deprecations of SHA-1 signatures and DSA, CBC modes and MD5/96-bit MACs).
     */
    static final Set<String> WEAK_SSH = Set.of(
            "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "rsa1024-sha1",
            "ssh-dss", "ssh-rsa", "x509v3-ssh-dss",
            "3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc", "blowfish-cbc", "cast128-cbc", "des-cbc", "arcfour", "arcfour128",
            "arcfour256", "rijndael-cbc@lysator.liu.se", "none",
            "hmac-md5", "hmac-md5-96", "hmac-sha1-96", "hmac-md5-etm@openssh.com", "hmac-md5-96-etm@openssh.com",
            "hmac-sha1-96-etm@openssh.com");
    private static final String[] KEXINIT_LISTS = {"kex", "host key", "cipher", "cipher", "mac", "mac"};

    /**
     * The SSH version line, and when the server's KEXINIT followed it, the weak algorithms it offers
     * ({@link #WEAK_SSH}): {@code SSH-2.0-OpenSSH_7.4 (weak algorithms offered: kex
     * diffie-hellman-group1-sha1; cipher aes128-cbc)} or {@code ... (no weak algorithms offered)}.
     */
    static String sshBanner(String raw) {
        int eol = raw.indexOf('\n');
        if (eol < 0) return raw;
        String line = raw.substring(0, eol).strip();
        List<List<String>> lists = kexinit(raw.substring(eol + 1).getBytes(StandardCharsets.ISO_8859_1));
        if (lists == null) return raw;
        String weak = sshWeak(raw);
        return weak == null ? line + " (no weak algorithms offered)" : line + ServiceDetector.WEAK_SSH_MARK + weak + ")";
    }

    /**
     * The weak algorithms the server's KEXINIT offers, by list: {@code kex diffie-hellman-group1-sha1; cipher
     * aes128-cbc}; null when there is no KEXINIT or nothing weak in it.
     */
    static String sshWeak(String raw) {
        int eol = raw.indexOf('\n');
        if (eol < 0) return null;
        List<List<String>> lists = kexinit(raw.substring(eol + 1).getBytes(StandardCharsets.ISO_8859_1));
        if (lists == null) return null;
        java.util.Map<String, java.util.Set<String>> weak = new java.util.LinkedHashMap<>();
        for (int i = 0; i < KEXINIT_LISTS.length && i < lists.size(); i++) {
            for (String alg : lists.get(i)) if (WEAK_SSH.contains(alg)) weak.computeIfAbsent(KEXINIT_LISTS[i], k -> new java.util.LinkedHashSet<>()).add(alg);
        }
        if (weak.isEmpty()) return null;
        List<String> parts = new ArrayList<>();
        weak.forEach((kind, algs) -> parts.add(kind + " " + String.join(", ", algs)));
        return String.join("; ", parts);
    }

    /**
     * The name-lists of the first SSH_MSG_KEXINIT (RFC 4253 §6, §7.1) in {@code b} — binary packets
     * after the version line — or null: kex, host key, ciphers and MACs each way, compression each
     * way. Bounded by {@code b}; a malformed packet gives null.
     */
    static List<List<String>> kexinit(byte[] b) {
        int at = 0;
        while (at + 6 <= b.length) {
            long len = (b[at] & 0xffL) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
            int pad = b[at + 4] & 0xff;
            if (len < 5 || len > 35_000 || pad >= len) return null;
            int payload = at + 5, end = (int) Math.min(b.length, at + 4 + len - pad);
            if ((b[payload] & 0xff) == 20) {
                int p = payload + 1 + 16;   // message type, cookie
                List<List<String>> lists = new ArrayList<>();
                for (int i = 0; i < 8 && p + 4 <= end; i++) {
                    int n = (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | b[p + 3] & 0xff;
                    if (n < 0 || p + 4 + n > end) return lists.size() >= 6 ? lists : null;
                    String names = new String(b, p + 4, n, StandardCharsets.US_ASCII);
                    lists.add(names.isEmpty() ? List.of() : List.of(names.split(",")));
                    p += 4 + n;
                }
                return lists.size() >= 6 ? lists : null;
            }
            at += 4 + (int) len;
        }
        return null;
    }


    private static final String[] CONNACK = {"connection accepted without credentials", "unacceptable protocol version",
        "identifier rejected", "server unavailable", "bad user name or password", "not authorized"};

    /** An MQTT 3.1.1 CONNACK (§3.2) to portaudit's CONNECT, which carries no user name or password. */
    static Identified mqtt(String raw) {
        int rc = raw.charAt(3) & 0xff;
        Identified id = new Identified("mqtt", null, null, "MQTT CONNACK: " + (rc < CONNACK.length ? CONNACK[rc] : "return code " + rc));
        return rc == 0 ? id.weak(Weakness.MQTT_ANONYMOUS, "the broker accepted a CONNECT without user name or password") : id;
    }

    /** An RFB (VNC) ProtocolVersion message: "RFB 003.008\n". */
    static boolean isRfb(byte[] b) {
        if (b.length < 12 || b[0] != 'R' || b[1] != 'F' || b[2] != 'B' || b[3] != ' ' || b[7] != '.' || b[11] != '\n') return false;
        for (int i : new int[] {4, 5, 6, 8, 9, 10}) if (b[i] < '0' || b[i] > '9') return false;
        return true;
    }

    private static final Map<Integer, String> RFB_SECURITY = Map.of(1, "None (no authentication)", 2, "VNC password",
            5, "RA2", 6, "RA2ne", 16, "Tight", 18, "TLS", 19, "VeNCrypt", 30, "Apple remote desktop");

    /**
     * An RFB greeting, and when {@link #probe} got that far the server's security part (RFC 6143
     * §7.1.2): 3.7+ lists the types it offers (0 of them: a reason string), 3.3 names the one it
     * chose. Security type 1, None, means anyone who connects sees and controls the screen.
     */
    static Identified vnc(String raw) {
        int major = Integer.parseInt(raw.substring(4, 7)), minor = Integer.parseInt(raw.substring(8, 11));
        String version = "protocol " + major + "." + minor;
        byte[] sec = raw.substring(12).getBytes(StandardCharsets.ISO_8859_1);
        String security = null;
        if (sec.length > 0) {
            List<String> types = new ArrayList<>();
            if (major == 3 && minor < 7) {
                if (sec.length >= 4) {
                    int t = (sec[0] & 0xff) << 24 | (sec[1] & 0xff) << 16 | (sec[2] & 0xff) << 8 | sec[3] & 0xff;
                    types.add(t == 0 ? "refused" : RFB_SECURITY.getOrDefault(t, "type " + t));
                }
            } else {
                int n = sec[0] & 0xff;
                if (n == 0) types.add("refused");
                for (int i = 1; i <= n && i < sec.length; i++) types.add(RFB_SECURITY.getOrDefault(sec[i] & 0xff, "type " + (sec[i] & 0xff)));
            }
            if (!types.isEmpty()) security = String.join(", ", types);
        }
        Identified id = new Identified("vnc", "VNC", version, "VNC " + version + (security == null ? "" : ", security: " + security));
        return security != null && security.contains(RFB_SECURITY.get(1))
                ? id.weak(Weakness.VNC_NO_AUTH, "the server offers security type None: " + security) : id;
    }

    private static int u16le(String s, int at) {
        return s.charAt(at) & 0xff | (s.charAt(at + 1) & 0xff) << 8;
    }

    private static String productIn(String raw) {
        Matcher pv = PRODUCT_VER.matcher(firstLine(raw).replaceFirst("^(\\+OK|\\* OK|220)[ -]?", ""));
        return pv.find() ? pv.group(1).replace("(", "") : null;
    }

    private static String versionIn(String raw) {
        Matcher pv = PRODUCT_VER.matcher(firstLine(raw).replaceFirst("^(\\+OK|\\* OK|220)[ -]?", ""));
        return pv.find() ? pv.group(2).replaceAll("[)]$", "") : null;
    }

    private static String firstLine(String raw) {
        int nl = raw.indexOf('\n');
        return (nl < 0 ? raw : raw.substring(0, nl)).replace("(", " ").replace(")", " ").trim();
    }
}
