package io.portaudit.scan;

import io.portaudit.model.AddressText;
import io.portaudit.model.PortResult;
import io.portaudit.model.Weakness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
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
public final class ServiceDetector {
    public static final int MAX_BYTES = 4096;
    public static final int PER_HOST = 4;
    static final Set<Integer> TLS_PORTS = Set.of(443, 8443, 993, 995, 465, 636, 8883, 5986, 9443, 4443, 990, 5061);
    static final Set<Integer> MQTT_PORTS = Set.of(1883);
    static final Set<Integer> RTSP_PORTS = Set.of(554, 8554);

    /**
     * How -sV marks a weakness in a banner, followed by the list and a closing parenthesis: the SSH
     * algorithms a server offers ({@link TcpIdentify#sshBanner}) and what is weak about a TLS service
     * ({@link #tlsWeaknesses}). The audit reads them back (Correlator's weak-ssh-crypto, weak-tls).
     */
    public static final String WEAK_SSH_MARK = " (weak algorithms offered: ", WEAK_TLS_MARK = " (weak TLS: ";

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
    /** What a certificate's validity is checked against. */
    private final Clock clock;

    public ServiceDetector(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
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
                    if (TcpIdentify.isRfb(greet)) {
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
                    id = TcpIdentify.identify(raw, port);
                }
            }
            if (id == null && System.nanoTime() < deadline) {
                try {
                    id = handshake(address, port, deadline);
                    raw = id.banner;
                } catch (Exception e) {
                    String refused = refusedModernTls(e);
                    if (refused != null) {
                        // the peer spoke TLS and refused 1.2/1.3: a TLS service with an old protocol only
                        String svc = port == 443 || port == 8443 || port == 9443 || port == 4443 ? "https" : "ssl";
                        String detail = "refuses TLS 1.2 and 1.3 (" + refused + ")";
                        id = new Identified(svc, null, null, null, "ssl", List.of(),
                                "TLS handshake failed: " + describe(e) + WEAK_TLS_MARK + detail + ")",
                                List.of(new Weakness(Weakness.TLS_WEAK_PROTOCOL, detail)));
                        raw = id.banner;
                    } else if ((raw == null || raw.isEmpty()) && (TLS_PORTS.contains(port) || e instanceof javax.net.ssl.SSLException)) {
                        // a TLS port that fails the handshake, or any peer that answered the ClientHello
                        // with something other than TLS, says so in its banner (a silent one stays silent)
                        raw = "TLS handshake failed: " + describe(e);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the port stays open with its table name
        }
        if (id == null) {
            return r.identified(r.service(), null, null, null, null, List.of(), r.service() == null ? null : "table",
                    raw == null || raw.isEmpty() ? null : raw, List.of());
        }
        // a binary answer (X11) is described by its summary; text greetings are their own banner
        if (id.banner == null) id = new Identified(id.service, id.product, id.version, id.extraInfo, id.tunnel, id.cpe, raw, id.weaknesses);
        return id.apply(r);
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
        String host = a.getHostAddress().contains(":") ? "[" + AddressText.format(a).replaceAll("%.*", "") + "]" : a.getHostAddress();
        if (RTSP_PORTS.contains(port)) {
            return ("OPTIONS rtsp://" + host + ":" + port + "/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: portaudit\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return ("GET / HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: portaudit\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What the identification learned: service, product, version, extra info, tunnel, CPE (any may be null or empty),
     * the banner for people, and the weaknesses it proved (set here, by the identifiers, never read back from text).
     */
    public record Identified(String service, String product, String version, String extraInfo, String tunnel, List<String> cpe,
                             String banner, List<Weakness> weaknesses) {
        public Identified {
            cpe = cpe == null ? List.of() : List.copyOf(cpe);
            weaknesses = weaknesses == null ? List.of() : List.copyOf(weaknesses);
        }

        public Identified(String service, String product, String version, String banner) {
            this(service, product, version, null, null, Cpe.of(product, version), banner, List.of());
        }

        /** With one more proven weakness. */
        Identified weak(String id, String detail) {
            List<Weakness> w = new ArrayList<>(weaknesses);
            w.add(new Weakness(id, detail));
            return new Identified(service, product, version, extraInfo, tunnel, cpe, banner, w);
        }

        /** HTTP/RTSP: the status and page title are nmap's extra info. */
        Identified withTitle(String title, String status) {
            String extra = "status " + status + (title == null || title.isEmpty() ? "" : ", title \"" + title + "\"");
            return new Identified(service, product, version, extra, tunnel, cpe, banner, weaknesses);
        }

        /** The port's result with these facts ({@code probed}: learned by talking to the service). */
        public PortResult apply(PortResult r) {
            return r.identified(service != null ? service : r.service(), product, version, extraInfo, tunnel, cpe, "probed",
                    banner, weaknesses);
        }
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
     * TLS 1.2 and 1.3 only, as the JDK does, so older protocols show as a failed handshake, read by
     * {@link #refusedModernTls}) and its
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


    /** The TLS weaknesses as facts: the protocol version apart from the certificate's problems. */
    static List<Weakness> tlsWeaknessFacts(List<String> weak) {
        List<String> proto = new ArrayList<>(), cert = new ArrayList<>();
        for (String w : weak) (w.startsWith("SSL") || w.startsWith("TLSv") ? proto : cert).add(w);
        List<Weakness> out = new ArrayList<>();
        if (!proto.isEmpty()) out.add(new Weakness(Weakness.TLS_WEAK_PROTOCOL, String.join("; ", proto)));
        if (!cert.isEmpty()) out.add(new Weakness(Weakness.TLS_WEAK_CERTIFICATE, String.join("; ", cert)));
        return out;
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
            return TcpIdentify.identify(Banner.latin1(got), port);
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
        List<Weakness> weak = new ArrayList<>(tls.weaknesses());
        weak.addAll(app.weaknesses());
        return new Identified(svc, own ? app.product() : tls.product(), own ? app.version() : tls.version(),
                own ? app.extraInfo() : tls.extraInfo(), "ssl", own ? app.cpe() : tls.cpe(), banner, weak);
    }

    /** "The server selected protocol version TLS10 is not accepted by client preferences [TLS13, TLS12]" (JDK ServerHello). */
    private static final java.util.regex.Pattern SERVER_SELECTED =
            java.util.regex.Pattern.compile("server selected protocol version (\\S+) is not accepted by client preferences");

    /**
     * What a failed handshake proves about the server's TLS versions: non-null only when it failed
     * because of the protocol version, in one of exactly two ways, and then says which. portaudit's
     * client offers TLS 1.2 and 1.3 only (the JDK's defaults, which are not weakened here: the
     * PostgreSQL store uses the same JDK TLS), so a server that speaks only SSLv3/TLS 1.0/1.1 either
     * <ul>
     * <li>answers our ClientHello with a fatal {@code protocol_version} alert (RFC 5246 §7.4.1.2,
     *     RFC 8446 §4.2.1: the server supports none of the versions offered) - the JDK throws an
     *     SSLHandshakeException "(protocol_version) Received fatal alert: protocol_version"; or</li>
     * <li>answers with a ServerHello selecting SSLv3/TLS 1.0/1.1, which the JDK refuses with its own
     *     protocol_version alert, "The server selected protocol version TLS10 is not accepted by
     *     client preferences [TLS13, TLS12]". Only those three old versions count: a version the
     *     JDK does not know (a newer one) is not a weakness.</li>
     * </ul>
     * Both are matched on the message of an SSLHandshakeException found anywhere in the cause chain
     * (the JDK may wrap it), and on the words that say which case it was, not on the
     * "(protocol_version)" prefix alone: that prefix names the alert, not who raised it or why.
     * Any other failure (timeout, reset, garbage, handshake_failure over ciphers) returns null.
     */
    static String refusedModernTls(Throwable e) {
        for (Throwable t = e, prev = null; t != null && t != prev; prev = t, t = t.getCause()) {
            if (!(t instanceof javax.net.ssl.SSLHandshakeException) || t.getMessage() == null) continue;
            String m = t.getMessage();
            if (m.contains("Received fatal alert: protocol_version")) return "protocol_version alert";
            java.util.regex.Matcher sel = SERVER_SELECTED.matcher(m);
            if (sel.find()) {
                String v = switch (sel.group(1)) {
                    case "SSL30" -> "SSLv3";
                    case "TLS10" -> "TLSv1";
                    case "TLS11" -> "TLSv1.1";
                    default -> null;
                };
                if (v != null) return "server chose " + v;
            }
        }
        return null;
    }

    /** Why a handshake failed, in a few words: the exception's message (or its kind), at most 200 characters. */
    static String describe(Exception e) {
        String m = e instanceof java.net.SocketTimeoutException ? "no answer before the time limit"
                : e instanceof java.io.EOFException ? "the service closed the connection"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    /** A TLS handshake with no trust decisions (we inspect, we do not authenticate); fails with the reason. */
    Identified handshake(InetAddress a, int port, long deadline) throws Exception {
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
                    List<String> weak = List.of();
                    if (sess.getPeerCertificates().length > 0 && sess.getPeerCertificates()[0] instanceof X509Certificate c) {
                        boolean self = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
                        b.append(" subject=").append(c.getSubjectX500Principal().getName())
                                .append(" issuer=").append(c.getIssuerX500Principal().getName())
                                .append(" notAfter=").append(c.getNotAfter().toInstant());
                        if (self) b.append(" self-signed");
                        b.append(" key=").append(keyDescription(c.getPublicKey())).append(" sig=").append(c.getSigAlgName());
                        weak = tlsWeaknesses(sess.getProtocol(), c, self, clock.instant());
                        if (!weak.isEmpty()) b.append(WEAK_TLS_MARK).append(String.join("; ", weak)).append(')');
                        product = self ? "self-signed certificate" : null;
                    }
                    String svc = port == 443 || port == 8443 || port == 9443 || port == 4443 ? "https" : "ssl";
                    Identified tls = new Identified(svc, product, sess.getProtocol(), null, "ssl", List.of(), b.toString(),
                            tlsWeaknessFacts(weak));
                    Identified app = inside(s, a, port, deadline);
                    return app == null ? tls : chained(tls, app);
                }
            }
        }
    }
}
