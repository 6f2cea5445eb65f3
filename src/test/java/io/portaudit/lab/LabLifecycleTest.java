package io.portaudit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The device lab comes up with the seed's firewall and real daemons, and goes away completely. */
@LabTest
class LabLifecycleTest {

    @Test
    void the440AnswersFtpDropsX11AndDownLeavesNothing() throws Exception {
        Lab.up();
        assertThat(Lab.run(Duration.ofSeconds(30), Lab.repo().resolve("lab/lab").toString(), "status").exit())
                .as("lab status after up").isZero();

        // tcp/21: a real vsftpd behind "-p tcp --dport 21 -j ACCEPT" greets with 220
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("10.77.2.2", 21), 3000);
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n = in.read(buf);
            assertThat(new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII)).startsWith("220");
        }

        // tcp/6000: a listener exists, but "-p tcp --dport 6000:6010 -j DROP" makes it silent
        assertThat(Lab.inNs("pa-440", Duration.ofSeconds(10), "ss", "-Hltn", "sport = :6000").out()).contains(":6000");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("10.77.2.2", 6000), 1500);
            throw new AssertionError("tcp/6000 on pa-440 should be dropped by the firewall, but it connected");
        } catch (SocketTimeoutException expected) {
            // DROP: no SYN-ACK, no RST, no ICMP
        }

        // tcp/113: REJECT with icmp-port-unreachable, so the connect is refused at once
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("10.77.2.2", 113), 3000);
            throw new AssertionError("tcp/113 should be rejected");
        } catch (IOException refused) {
            assertThat(refused).isNotInstanceOf(SocketTimeoutException.class);
        }

        Lab.Result down = Lab.down();
        assertThat(down.exit()).as("lab down: %s", down.err()).isZero();
        // the lab's own devices and links are gone (tests that make namespaces of their own remove them themselves)
        assertThat(Lab.run(Duration.ofSeconds(10), "ip", "netns", "list").out()).doesNotContainPattern("(?m)^pa-(g3|440|nft)\\b");
        assertThat(Lab.run(Duration.ofSeconds(10), "ip", "-o", "link", "show").out()).doesNotContainPattern(": vpa-(g3|440|nft)[@:]");

        // leave the lab up for the tests that follow
        Lab.up();
    }
}
