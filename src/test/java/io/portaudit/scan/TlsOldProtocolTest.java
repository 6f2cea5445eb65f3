package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.ExitCodes;
import io.portaudit.cli.Main;
import io.portaudit.lab.LabExtension;
import io.portaudit.model.PortResult;
import io.portaudit.model.Weakness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan -sV} against a real {@code openssl s_server} on loopback that speaks TLS 1.0 only:
 * portaudit's client (TLS 1.2/1.3, the JDK's defaults, left as they are) cannot finish the
 * handshake, and that refusal is the proof of {@code tls-weak-protocol}.
 */
class TlsOldProtocolTest {
    @TempDir
    Path dir;

    @Test
    void aTls10OnlyServerIsTlsWithAWeakProtocol() throws Exception {
        PortResult r = scanOpenssl("-tls1");
        assertThat(r.tunnel()).isEqualTo("ssl");
        assertThat(r.service()).isEqualTo("ssl");
        assertThat(r.method()).isEqualTo("probed");
        assertThat(r.weaknesses()).extracting(Weakness::id).containsExactly(Weakness.TLS_WEAK_PROTOCOL);
        assertThat(r.weakness(Weakness.TLS_WEAK_PROTOCOL).orElseThrow().detail())
                .isEqualTo("refuses TLS 1.2 and 1.3 (protocol_version alert)");
    }

    @Test
    void aTls12ServerHasNoWeakProtocol() throws Exception {
        PortResult r = scanOpenssl("-tls1_2");
        assertThat(r.tunnel()).isEqualTo("ssl");
        assertThat(r.version()).isEqualTo("TLSv1.2");
        assertThat(r.weakness(Weakness.TLS_WEAK_PROTOCOL)).isEmpty();
    }

    /** A server that answers any ClientHello with a ServerHello choosing TLS 1.0: the JDK refuses it itself. */
    @Test
    void aServerChoosingTls10IsAWeakProtocol() throws Exception {
        byte[] hello = new byte[4 + 2 + 32 + 1 + 2 + 1];
        hello[0] = 2; // server_hello
        hello[3] = (byte) (hello.length - 4);
        hello[4] = 3;
        hello[5] = 1; // TLS 1.0
        for (int i = 6; i < 38; i++) hello[i] = (byte) i;
        hello[38] = 0; // no session id
        hello[39] = (byte) 0xc0;
        hello[40] = 0x2f; // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: one the client offered (else the JDK complains of the suite first)
        hello[41] = 0; // no compression
        byte[] record = new byte[5 + hello.length];
        record[0] = 0x16;
        record[1] = 3;
        record[2] = 1;
        record[4] = (byte) hello.length;
        System.arraycopy(hello, 0, record, 5, hello.length);
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread.ofPlatform().daemon().start(() -> {
                while (!ss.isClosed()) {
                    try (Socket c = ss.accept()) {
                        c.setSoTimeout(5000);
                        c.getInputStream().read(new byte[4096]);
                        c.getOutputStream().write(record);
                        c.getOutputStream().flush();
                    } catch (Exception e) {
                        // the probe went away; the next connection is served
                    }
                }
            });
            PortResult r = TlsProbeTest.probe(ss.getLocalPort());
            assertThat(r.tunnel()).as(r.banner()).isEqualTo("ssl");
            assertThat(r.weakness(Weakness.TLS_WEAK_PROTOCOL).orElseThrow().detail())
                    .isEqualTo("refuses TLS 1.2 and 1.3 (server chose TLSv1)");
            assertThat(r.banner()).contains("not accepted by client preferences");
        }
    }

    @Test
    void otherHandshakeFailuresProveNothing() {
        assertThat(ServiceDetector.refusedModernTls(new javax.net.ssl.SSLHandshakeException(
                "(handshake_failure) Received fatal alert: handshake_failure"))).isNull();
        assertThat(ServiceDetector.refusedModernTls(new javax.net.ssl.SSLException(
                "Unsupported or unrecognized SSL message"))).isNull();
        assertThat(ServiceDetector.refusedModernTls(new java.net.SocketTimeoutException("Read timed out"))).isNull();
        // a version the JDK does not know (a newer one) is not a weakness
        assertThat(ServiceDetector.refusedModernTls(new javax.net.ssl.SSLHandshakeException(
                "(protocol_version) The server selected protocol version 0x0305 is not accepted by client preferences [TLS13, TLS12]"))).isNull();
        // found in the cause chain when wrapped
        assertThat(ServiceDetector.refusedModernTls(new java.io.IOException("wrapped", new javax.net.ssl.SSLHandshakeException(
                "(protocol_version) The server selected protocol version SSL30 is not accepted by client preferences [TLS13, TLS12]"))))
                .isEqualTo("server chose SSLv3");
    }

    /**
     * Starts {@code openssl s_server} with {@code version} on a free loopback port, runs
     * {@code scan -sV} on it (JSON lines and nmap XML), stops the server, and returns the port as
     * read back from the JSON, after checking the XML reads back the same weaknesses.
     */
    private PortResult scanOpenssl(String version) throws Exception {
        LabExtension.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl at /usr/bin/openssl");
        Path key = dir.resolve("key.pem"), cert = dir.resolve("cert.pem"), log = dir.resolve("s_server.log");
        Process req = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=old.test").redirectErrorStream(true)
                .redirectOutput(dir.resolve("req.log").toFile()).start();
        assertThat(req.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(req.exitValue()).as(Files.readString(dir.resolve("req.log"))).isZero();
        int port;
        try (ServerSocket free = new ServerSocket()) {
            free.bind(new InetSocketAddress("127.0.0.1", 0));
            port = free.getLocalPort();
        }
        // SECLEVEL=0: Debian's OpenSSL 3 refuses TLS 1.0 at its default security level
        Process server = new ProcessBuilder("/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert.toString(),
                "-key", key.toString(), version, "-cipher", "DEFAULT:@SECLEVEL=0", "-quiet").redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            boolean up = false;
            for (int i = 0; i < 100 && !up && server.isAlive(); i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    up = true;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(50);
                }
            }
            assertThat(up).as("s_server listening: " + Files.readString(log)).isTrue();
            Path xml = dir.resolve("scan.xml");
            String json = stdout("scan", "-sV", "-Pn", "-n", "-p", String.valueOf(port), "-oX", xml.toString(), "--json", "127.0.0.1");
            var fromJson = NmapOutputs.readJsonLines("scan.json", json);
            assertThat(fromJson.problems()).isEmpty();
            assertThat(fromJson.ports()).hasSize(1);
            PortResult r = fromJson.ports().get(0);
            var fromXml = NmapOutputs.readXml("scan.xml", Files.readString(xml));
            assertThat(fromXml.problems()).isEmpty();
            assertThat(fromXml.ports()).hasSize(1);
            assertThat(fromXml.ports().get(0).weaknesses()).isEqualTo(r.weaknesses());
            assertThat(fromXml.ports().get(0).tunnel()).isEqualTo("ssl");
            return r;
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs the CLI in this JVM with standard output captured. */
    private static String stdout(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertThat(Main.commandLine().execute(args)).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
