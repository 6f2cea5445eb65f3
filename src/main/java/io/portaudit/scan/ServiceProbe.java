package io.portaudit.scan;

import io.portaudit.model.Addresses;
import io.portaudit.model.PortResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code -sV}: what stands behind an open TCP port. Per port: read the greeting (FTP 220, SSH-2.0-,
 * SMTP, POP3, IMAP, telnet IAC negotiation); if the service says nothing, send a protocol probe
 * (MQTT CONNECT on MQTT ports, RTSP OPTIONS on RTSP ports, else HTTP GET); for TLS ports or a
 * silent/garbled service, a TLS handshake (protocol, cipher, certificate subject/issuer/expiry,
 * self-signed). Every read is bounded by {@link #MAX_BYTES} and by the per-port deadline; at most
 * {@link #PER_HOST} ports of one host are probed at once (device safety).
 */
public final class ServiceProbe {
    public static final int MAX_BYTES = 4096;
    public static final int PER_HOST = 4;
    static final Set<Integer> TLS_PORTS = Set.of(443, 8443, 993, 995, 465, 636, 8883, 5986, 9443, 4443, 990, 5061);
    static final Set<Integer> MQTT_PORTS = Set.of(1883);
    static final Set<Integer> RTSP_PORTS = Set.of(554, 8554);

    static final int MODBUS_PORT = 502;

    /**
     * Modbus/TCP (Modbus Application Protocol v1.1b3 §6.21, Messaging on TCP/IP §3.1.3): MBAP header
     * (transaction 0x7061, protocol 0, length 5, unit 0xFF as the spec asks for TCP) and Read Device
     * Identification — function 43, MEI 14, basic objects (vendor, product code, revision). A read
     * only: nothing on the device changes.
     */
    static final byte[] MODBUS_DEVICE_ID = {0x70, 0x61, 0, 0, 0, 5, (byte) 0xff, 0x2b, 0x0e, 0x01, 0x00};

    /** X11 display :0 to :63 listen on 6000 + display. */
    static boolean x11Port(int port) {
        return port >= 6000 && port <= 6063;
    }

    /**
     * The X11 connection setup request (X Window System Protocol, "Connection Setup"): byte order
     * 'l' (little-endian), protocol 11.0, no authorization protocol, no authorization data. The
     * server answers Success (status 1: it lets anyone in), Failed (0, with its reason) or
     * Authenticate (2).
     */
    static final byte[] X11_SETUP = {0x6c, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final Duration timeout;

    public ServiceProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** Probes every given open port (bounded concurrency), returning enriched results in the same order. */
    public List<PortResult> probeAll(InetAddress address, List<PortResult> open, BooleanSupplier stop) {
        List<PortResult> out = new ArrayList<>();
        if (open.isEmpty()) return out;
        Semaphore sem = new Semaphore(PER_HOST);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PortResult>> fs = new ArrayList<>();
            for (PortResult r : open) {
                fs.add(ex.submit(() -> {
                    sem.acquire();
                    try {
                        return stop.getAsBoolean() ? r : probe(address, r);
                    } finally {
                        sem.release();
                    }
                }));
            }
            for (int i = 0; i < fs.size(); i++) {
                try {
                    out.add(fs.get(i).get());
                } catch (Exception e) {
                    out.add(open.get(i));
                }
            }
        }
        return out;
    }

    /** Identifies one port; on any failure the original result is returned unchanged. */
    public PortResult probe(InetAddress address, PortResult r) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int port = r.port();
        Identified id = null;
        String raw = null;
        try {
            if (!TLS_PORTS.contains(port)) {
                try (Socket s = connect(address, port, deadline)) {
                    byte[] greet = read(s, deadline, Math.min(2000, timeout.toMillis() / 2));
                    if (isRfb(greet)) {
                        // VNC: answer with the server's protocol version (3.3/3.7/3.8), read which
                        // security types it offers; nothing more is sent (no login is tried)
                        greet = concat(java.util.Arrays.copyOf(greet, 12), exchange(s, java.util.Arrays.copyOf(greet, 12), deadline));
                    } else if (greet.length >= 4 && greet[0] == 'S' && greet[1] == 'S' && greet[2] == 'H' && greet[3] == '-') {
                        // SSH: send our version line and read the server's KEXINIT, the algorithms it
                        // offers (RFC 4253 §7.1); the key exchange goes no further
                        greet = concat(greet, exchange(s, "SSH-2.0-portaudit\r\n".getBytes(StandardCharsets.US_ASCII), deadline));
                    }
                    if (greet.length == 0) {
                        byte[] req = probeFor(address, port);
                        s.getOutputStream().write(req);
                        s.getOutputStream().flush();
                        greet = read(s, deadline, timeout.toMillis());
                    }
                    raw = Banner.latin1(greet);
                    id = identify(raw, port);
                }
            }
            if (id == null && System.nanoTime() < deadline) {
                try {
                    id = handshake(address, port, deadline);
                    raw = id.banner;
                } catch (Exception e) {
                    // a TLS port that fails the handshake, or any peer that answered the ClientHello
                    // with something other than TLS, says so in its banner (a silent one stays silent)
                    if ((raw == null || raw.isEmpty()) && (TLS_PORTS.contains(port) || e instanceof javax.net.ssl.SSLException)) {
                        raw = "TLS handshake failed: " + describe(e);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the port stays open with its table name
        }
        if (id == null) {
            return new PortResult(r.address(), r.protocol(), r.port(), r.state(), r.reason(), r.service(), null, null,
                    raw == null || raw.isEmpty() ? null : raw);
        }
        // a binary answer (X11) is described by its summary; text greetings are their own banner
        return new PortResult(r.address(), r.protocol(), r.port(), r.state(), r.reason(),
                id.service != null ? id.service : r.service(), id.product, id.version, id.banner != null ? id.banner : raw);
    }

    /** Sends {@code req} and reads the answer; nothing when the peer has gone (what came before is kept). */
    private byte[] exchange(Socket s, byte[] req, long deadline) {
        try {
            s.getOutputStream().write(req);
            s.getOutputStream().flush();
            return read(s, deadline, Math.min(2000, timeout.toMillis() / 2));
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Socket connect(InetAddress a, int port, long deadline) throws IOException {
        Socket s = new Socket();
        s.setSoLinger(true, 0);
        int ms = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        s.connect(new InetSocketAddress(a, port), ms);
        return s;
    }

    /**
     * Reads up to {@link #MAX_BYTES}: waits at most {@code firstWaitMs} for the first byte, then
     * stops after 300 ms of quiet, at the byte cap, or at the deadline — whichever comes first.
     */
    static byte[] read(Socket s, long deadline, long firstWaitMs) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[MAX_BYTES];
        int n = 0;
        long firstDeadline = Math.min(deadline, System.nanoTime() + firstWaitMs * 1_000_000);
        while (n < buf.length) {
            long limit = n == 0 ? firstDeadline : Math.min(deadline, System.nanoTime() + 300_000_000L);
            long ms = (limit - System.nanoTime()) / 1_000_000;
            if (ms <= 0) break;
            s.setSoTimeout((int) ms);
            int got;
            try {
                got = in.read(buf, n, buf.length - n);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                break;  // reset: keep what we have
            }
            if (got < 0) break;
            n += got;
            if (System.nanoTime() >= deadline) break;
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    static byte[] probeFor(InetAddress a, int port) {
        if (x11Port(port)) return X11_SETUP.clone();
        if (port == MODBUS_PORT) return MODBUS_DEVICE_ID.clone();
        if (MQTT_PORTS.contains(port)) {
            // MQTT 3.1.1 §3.1 CONNECT, clean session, keep-alive 60 s, client id "portaudit"
            byte[] id = "portaudit".getBytes(StandardCharsets.US_ASCII);
            byte[] vh = {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length};
            byte[] pkt = new byte[2 + vh.length + id.length];
            pkt[0] = 0x10;
            pkt[1] = (byte) (vh.length + id.length);
            System.arraycopy(vh, 0, pkt, 2, vh.length);
            System.arraycopy(id, 0, pkt, 2 + vh.length, id.length);
            return pkt;
        }
        String host = a.getHostAddress().contains(":") ? "[" + Addresses.format(a).replaceAll("%.*", "") + "]" : a.getHostAddress();
        if (RTSP_PORTS.contains(port)) {
            return ("OPTIONS rtsp://" + host + ":" + port + "/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: portaudit\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return ("GET / HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: portaudit\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** What a banner says: service, product, version (any may be null). */
    public record Identified(String service, String product, String version, String banner) {
        /** HTTP/RTSP: the status and page title go into the version's extra info, as nmap does. */
        Identified withTitle(String title, String status) {
            String extra = "status " + status + (title == null || title.isEmpty() ? "" : ", title \"" + title + "\"");
            return new Identified(service, product, version == null ? "(" + extra + ")" : version + " (" + extra + ")", banner);
        }
    }

    private static final Pattern SSH = Pattern.compile("^SSH-([\\d.]+)-([^\\s\\r\\n]+)");
    private static final Pattern PRODUCT_VER = Pattern.compile("([A-Za-z][\\w.-]*?)[/_ ]v?(\\d[\\w.+~-]*)");
    private static final Pattern SERVER = Pattern.compile("(?im)^Server:\\s*([^\\r\\n]+)");
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern STATUS = Pattern.compile("^(HTTP|RTSP)/\\d\\.\\d (\\d{3})");

    /** Maps a greeting or probe reply to a service. Pure: tested on fixtures. */
    public static Identified identify(String raw, int port) {
        if (raw == null || raw.isEmpty()) return null;
        if (x11Port(port)) {
            Identified x = x11(raw);
            if (x != null) return x;
        }
        if (isRfb(raw.getBytes(StandardCharsets.ISO_8859_1))) return vnc(raw);
        if (port == MODBUS_PORT) {
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
            return new Identified("ssh", product, version, sshBanner(raw));
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
        if (raw.length() < 40) return new Identified("x11", null, null, "X11 open: no authentication needed");
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
                "X11 open: no authentication needed (vendor " + (vendor.isEmpty() ? "?" : vendor) + ", release " + release + ")");
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
            if (id < 3) objects[id] = Banner.escape(Banner.latin1(java.util.Arrays.copyOfRange(b, at + 2, at + 2 + n)), 80);
            at += 2 + n;
        }
        String product = objects[0] == null ? objects[1] : objects[1] == null ? objects[0] : objects[0] + " " + objects[1];
        return new Identified("modbus", product, objects[2], "Modbus/TCP device identification: vendor \""
                + (objects[0] == null ? "" : objects[0]) + "\", product code \"" + (objects[1] == null ? "" : objects[1])
                + "\", revision \"" + (objects[2] == null ? "" : objects[2]) + "\"");
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
        java.util.Map<String, java.util.Set<String>> weak = new java.util.LinkedHashMap<>();
        for (int i = 0; i < KEXINIT_LISTS.length && i < lists.size(); i++) {
            for (String alg : lists.get(i)) if (WEAK_SSH.contains(alg)) weak.computeIfAbsent(KEXINIT_LISTS[i], k -> new java.util.LinkedHashSet<>()).add(alg);
        }
        if (weak.isEmpty()) return line + " (no weak algorithms offered)";
        List<String> parts = new ArrayList<>();
        weak.forEach((kind, algs) -> parts.add(kind + " " + String.join(", ", algs)));
        return line + " (weak algorithms offered: " + String.join("; ", parts) + ")";
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

    /** "RSA-2048", "EC-256", "DSA-1024", or the algorithm name. */
    static String keyDescription(java.security.PublicKey k) {
        int bits = keyBits(k);
        return k.getAlgorithm() + (bits > 0 ? "-" + bits : "");
    }

    private static int keyBits(java.security.PublicKey k) {
        return switch (k) {
            case java.security.interfaces.RSAKey r -> r.getModulus().bitLength();
            case java.security.interfaces.DSAKey d -> d.getParams() == null ? 0 : d.getParams().getP().bitLength();
            case java.security.interfaces.ECKey e -> e.getParams().getCurve().getField().getFieldSize();
            default -> 0;
        };
    }

    /**
     * What is weak about a TLS service, from the session it negotiated with portaudit (which offers
     * TLS 1.2 and 1.3 only, as the JDK does, so older protocols show as a failed handshake) and its
     * certificate at {@code now}: expired or not yet valid, RSA/DSA keys under 2,048 bits, EC keys under
     * 224 bits, DSA at all, MD5 or SHA-1 signatures on a certificate someone else signed (a
     * self-signed one is trusted, or not, as a whole).
     */
    static List<String> tlsWeaknesses(String protocol, X509Certificate c, boolean selfSigned, java.time.Instant now) {
        List<String> weak = new ArrayList<>();
        if (protocol.startsWith("SSL") || protocol.equals("TLSv1") || protocol.equals("TLSv1.1")) weak.add(protocol);
        if (c.getNotAfter().toInstant().isBefore(now)) weak.add("certificate expired " + c.getNotAfter().toInstant());
        else if (c.getNotBefore().toInstant().isAfter(now)) weak.add("certificate not valid before " + c.getNotBefore().toInstant());
        java.security.PublicKey k = c.getPublicKey();
        int bits = keyBits(k);
        if (k instanceof java.security.interfaces.DSAKey) weak.add("DSA key");
        else if (k instanceof java.security.interfaces.RSAKey && bits < 2048) weak.add("RSA key of " + bits + " bits");
        else if (k instanceof java.security.interfaces.ECKey && bits < 224) weak.add("EC key of " + bits + " bits");
        String sig = c.getSigAlgName().toUpperCase(java.util.Locale.ROOT);
        if (!selfSigned && (sig.contains("MD5") || sig.startsWith("SHA1"))) weak.add(c.getSigAlgName() + " signature");
        return weak;
    }

    private static final String[] CONNACK = {"connection accepted without credentials", "unacceptable protocol version",
        "identifier rejected", "server unavailable", "bad user name or password", "not authorized"};

    /** An MQTT 3.1.1 CONNACK (§3.2) to portaudit's CONNECT, which carries no user name or password. */
    static Identified mqtt(String raw) {
        int rc = raw.charAt(3) & 0xff;
        return new Identified("mqtt", null, null, "MQTT CONNACK: " + (rc < CONNACK.length ? CONNACK[rc] : "return code " + rc));
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
        return new Identified("vnc", "VNC", version, "VNC " + version + (security == null ? "" : ", security: " + security));
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

    /** Ports where the service speaks first inside TLS (IMAPS, POP3S, SMTPS, FTPS). */
    static final Set<Integer> TLS_GREETING_PORTS = Set.of(993, 995, 465, 990);

    /**
     * The same probing as on a plain port, inside an established TLS session: the greeting on
     * ports whose service speaks first, else the port's probe (HTTP GET, MQTT CONNECT, RTSP
     * OPTIONS); bounded by the deadline and {@link #MAX_BYTES}. Null when nothing is recognised.
     */
    static Identified inside(Socket s, InetAddress a, int port, long deadline) {
        try {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return null;
            byte[] got = TLS_GREETING_PORTS.contains(port) ? read(s, deadline, Math.min(1000, left)) : new byte[0];
            if (got.length == 0) {
                s.getOutputStream().write(probeFor(a, port));
                s.getOutputStream().flush();
                got = read(s, deadline, Math.min(2000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
            return identify(Banner.latin1(got), port);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A service found inside TLS: its name with the TLS suffix ({@code https}, {@code imaps}...,
     * else {@code ssl/NAME} as nmap prints it), the inner product and version when the service
     * says them (else the certificate's), and the TLS summary followed by the inner reply as the
     * banner (cut to {@link #MAX_BYTES}).
     */
    static Identified chained(Identified tls, Identified app) {
        String svc = switch (app.service()) {
            case "http" -> "https";
            case "imap" -> "imaps";
            case "pop3" -> "pop3s";
            case "smtp" -> "smtps";
            case "ftp" -> "ftps";
            default -> "ssl/" + app.service();
        };
        String banner = tls.banner() + "\r\n" + app.banner();
        if (banner.length() > MAX_BYTES) banner = banner.substring(0, MAX_BYTES);
        boolean own = app.product() != null || app.version() != null;
        return new Identified(svc, own ? app.product() : tls.product(), own ? app.version() : tls.version(), banner);
    }

    /** Why a handshake failed, in a few words: the exception's message (or its kind), at most 200 characters. */
    static String describe(Exception e) {
        String m = e instanceof java.net.SocketTimeoutException ? "no answer before the time limit"
                : e instanceof java.io.EOFException ? "the service closed the connection"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    /** A TLS handshake with no trust decisions (we inspect, we do not authenticate); fails with the reason. */
    static Identified handshake(InetAddress a, int port, long deadline) throws Exception {
        {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String t) {}

                public void checkServerTrusted(X509Certificate[] c, String t) {}

                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            try (Socket plain = connect(a, port, deadline)) {
                int ms = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                plain.setSoTimeout(ms);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, a.getHostAddress(), port, true)) {
                    s.setSoTimeout(ms);
                    s.startHandshake();
                    SSLSession sess = s.getSession();
                    StringBuilder b = new StringBuilder(sess.getProtocol()).append(' ').append(sess.getCipherSuite());
                    String product = null;
                    if (sess.getPeerCertificates().length > 0 && sess.getPeerCertificates()[0] instanceof X509Certificate c) {
                        boolean self = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
                        b.append(" subject=").append(c.getSubjectX500Principal().getName())
                                .append(" issuer=").append(c.getIssuerX500Principal().getName())
                                .append(" notAfter=").append(c.getNotAfter().toInstant());
                        if (self) b.append(" self-signed");
                        b.append(" key=").append(keyDescription(c.getPublicKey())).append(" sig=").append(c.getSigAlgName());
                        List<String> weak = tlsWeaknesses(sess.getProtocol(), c, self, java.time.Instant.now());
                        if (!weak.isEmpty()) b.append(" (weak TLS: ").append(String.join("; ", weak)).append(')');
                        product = self ? "self-signed certificate" : null;
                    }
                    String svc = port == 443 || port == 8443 || port == 9443 || port == 4443 ? "https" : "ssl";
                    Identified tls = new Identified(svc, product, sess.getProtocol(), b.toString());
                    Identified app = inside(s, a, port, deadline);
                    return app == null ? tls : chained(tls, app);
                }
            }
        }
    }
}
