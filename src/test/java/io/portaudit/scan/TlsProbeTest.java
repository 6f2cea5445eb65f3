package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -sV} against real TLS servers on loopback: the handshake, and HTTP inside it. */
class TlsProbeTest {
    @TempDir
    static Path dir;
    static SSLContext server;
    static SSLServerSocket https, silent, weak;

    /** A key and self-signed certificate made by the JDK's keytool (extra: more keytool options), as a server context. */
    static SSLContext context(String name, String... extra) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        Path keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-keystore", ks.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-alias", "a", "-dname", "CN=armadillo.test"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore k = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(ks.toFile())) {
            k.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(k, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @BeforeAll
    static void servers() throws Exception {
        server = context("good", "-keyalg", "EC", "-validity", "30");
        https = serve(server, "HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.69\r\nContent-Length: 40\r\n\r\n<html><title>Armadillo web</title></html>");
        silent = serve(server, null);
        // what old boards ship: a 1024-bit RSA key in a certificate that expired a year ago
        weak = serve(context("weak", "-keyalg", "RSA", "-keysize", "1024", "-startdate", "-400d", "-validity", "30"), null);
    }

    /** A TLS server on loopback that answers one request per connection with {@code reply} (null: says nothing). */
    static SSLServerSocket serve(SSLContext server, String reply) throws Exception {
        SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket();
        ss.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofPlatform().daemon().start(() -> {
            while (!ss.isClosed()) {
                try {
                    SSLSocket c = (SSLSocket) ss.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (c) {
                            c.setSoTimeout(10_000);
                            c.startHandshake();
                            c.getInputStream().read(new byte[4096]);
                            if (reply != null) c.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                            c.getOutputStream().flush();
                            if (reply == null) c.getInputStream().read();
                        } catch (Exception ignored) {
                            // the probe went away
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
        return ss;
    }

    @AfterAll
    static void stop() throws Exception {
        https.close();
        silent.close();
        weak.close();
    }

    static PortResult probe(int port) throws Exception {
        PortResult open = new PortResult("127.0.0.1", Protocol.TCP, port, PortState.OPEN, "syn-ack", null, null, null, null);
        return new ServiceDetector(Duration.ofSeconds(5), java.time.Clock.systemUTC()).probe(InetAddress.getByName("127.0.0.1"), open);
    }

    @Test
    void anExpiredCertificateAndAShortKeyAreWeakTls() throws Exception {
        PortResult r = probe(weak.getLocalPort());
        assertThat(r.banner()).contains(" key=RSA-1024 sig=").containsPattern("\\(weak TLS: certificate expired \\S+; RSA key of 1024 bits\\)");
        assertThat(probe(https.getLocalPort()).banner()).contains(" key=EC-").doesNotContain("weak TLS");
        // the facts: the certificate's problems as a proven weakness, the tunnel, learned by probing
        assertThat(r.weaknesses()).extracting(io.portaudit.model.Weakness::id).containsExactly(io.portaudit.model.Weakness.TLS_WEAK_CERTIFICATE);
        assertThat(r.weakness(io.portaudit.model.Weakness.TLS_WEAK_CERTIFICATE).orElseThrow().detail())
                .containsPattern("certificate expired \\S+; RSA key of 1024 bits");
        assertThat(r.tunnel()).isEqualTo("ssl");
        assertThat(r.method()).isEqualTo("probed");
        assertThat(probe(https.getLocalPort()).weaknesses()).isEmpty();
    }

    @Test
    void httpInsideTlsGivesServerAndTitle() throws Exception {
        PortResult r = probe(https.getLocalPort());
        assertThat(r.service()).isEqualTo("https");
        assertThat(r.product()).isEqualTo("lighttpd");
        assertThat(r.version()).isEqualTo("1.4.69");
        assertThat(r.extraInfo()).contains("title \"Armadillo web\"");
        assertThat(r.tunnel()).isEqualTo("ssl");
        assertThat(r.banner()).startsWith("TLS").contains("CN=armadillo.test").contains("self-signed")
                .contains("HTTP/1.1 200 OK");
    }

    @Test
    void aTlsServiceThatSaysNothingInsideIsStillDescribedByItsHandshake() throws Exception {
        PortResult r = probe(silent.getLocalPort());
        assertThat(r.service()).isEqualTo("ssl");
        assertThat(r.product()).isEqualTo("self-signed certificate");
        assertThat(r.version()).startsWith("TLSv1.");
        assertThat(r.banner()).contains("CN=armadillo.test").doesNotContain("HTTP");
    }

    @Test
    void aTlsPortThatAnswersWithGarbageSaysWhyTheHandshakeFailed() throws Exception {
        // a port where TLS is expected (the handshake comes first there), answering with garbage
        java.net.ServerSocket ss = null;
        for (int port : new int[] {8443, 9443, 4443, 5986, 5061}) {
            try {
                ss = new java.net.ServerSocket();
                ss.bind(new InetSocketAddress("127.0.0.1", port));
                break;
            } catch (java.io.IOException busy) {
                ss.close();
                ss = null;
            }
        }
        // in CI this must run: fails there, skips elsewhere
        io.portaudit.lab.LabExtension.require(ss != null, "a free TLS port on 127.0.0.1 (8443, 9443, 4443, 5986 or 5061)");
        java.net.ServerSocket listener = ss;
        Thread.ofPlatform().daemon().start(() -> {
            while (!listener.isClosed()) {
                try (java.net.Socket c = listener.accept()) {
                    c.getOutputStream().write("\u0016\u0003\u0001\u00ff\u00ffgarbage".repeat(8).getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    return;
                }
            }
        });
        try (listener) {
            long t0 = System.nanoTime();
            PortResult r = probe(listener.getLocalPort());
            assertThat(ServiceDetector.TLS_PORTS).contains(listener.getLocalPort());
            assertThat(r.product()).isNull();
            assertThat(r.banner()).startsWith("TLS handshake failed: ").hasSizeLessThan(250);
            assertThat(System.nanoTime() - t0).as("bounded by the version timeout").isLessThan(Duration.ofSeconds(6).toNanos());
        }
    }

    @Test
    void chainingNamesTheInnerServiceAndKeepsTheBannerBounded() {
        var tls = new ServiceDetector.Identified("ssl", "self-signed certificate", "TLSv1.3", "TLSv1.3 X");
        var imap = new ServiceDetector.Identified("imap", "Dovecot", null, "* OK Dovecot " + "x".repeat(5000));
        var c = ServiceDetector.chained(tls, imap);
        assertThat(c.service()).isEqualTo("imaps");
        assertThat(c.product()).isEqualTo("Dovecot");
        assertThat(c.banner()).startsWith("TLSv1.3 X\r\n* OK").hasSize(ServiceDetector.MAX_BYTES);
        var anon = ServiceDetector.chained(tls, new ServiceDetector.Identified("mqtt", null, null, " \u0002\u0000\u0000"));
        assertThat(anon.service()).isEqualTo("ssl/mqtt");
        assertThat(anon.product()).isEqualTo("self-signed certificate");
    }
}
