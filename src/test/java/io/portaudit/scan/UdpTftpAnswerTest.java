package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.portaudit.model.PortState;
import io.portaudit.model.Weakness;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TFTP server answers a read request from a new port (RFC 1350 §4): the UDP engine takes that
 * answer for the probed port, but only a TFTP DATA/ERROR and only from the target's address. The
 * servers run on loopback in the test, on unprivileged ports (the engine's TFTP port is set to them);
 * the real dnsmasq on port 69 is {@code ScanServicesLabTest}.
 */
class UdpTftpAnswerTest {
    static final byte[] DATA = {0, 3, 0, 1, 'b', 'o', 'o', 't'}, ERROR = {0, 5, 0, 1, 'n', 'o', 0};
    @RegisterExtension
    final Closer resources = new Closer();

    /** A server on 127.0.0.1 that answers every datagram with {@code answer}, sent from a new socket bound to {@code from}:0. */
    private int server(String from, byte[] answer) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        resources.add(s);
        Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    s.receive(p);
                    DatagramSocket tid = new DatagramSocket(new InetSocketAddress(from, 0));
                    resources.add(tid);
                    tid.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return s.getLocalPort();
    }

    record Decided(PortState state, String reason, String reply) {}

    /** One UDP probe of 127.0.0.1:port, with the engine's TFTP port set to {@code tftpPort}. */
    static Decided probe(int port, int tftpPort) {
        List<Decided> out = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            UdpEngine e = new UdpEngine(() -> System.nanoTime() / 1000, 16, 0, () -> false);
            e.tftpPort = tftpPort;
            UdpEngine.Job job = new UdpEngine.Job(InetAddress.getByName("127.0.0.1"), new int[] {port},
                    new HostTiming(TimingTemplate.of(4)), 0, null);
            e.run(List.of(job).iterator(), 1, (j, p, state, reason, reply) -> out.add(new Decided(state, reason, reply)), j -> { });
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aDataAnswerFromANewPortOpensThePortAndProvesTheRead() throws Exception {
        int port = server("127.0.0.1", DATA);
        Decided d = probe(port, port);
        assertThat(d.state()).isEqualTo(PortState.OPEN);
        assertThat(d.reason()).isEqualTo(Reasons.UDP_RESPONSE);
        ServiceDetector.Identified id = UdpIdentify.identify(UdpEngine.TFTP_PORT, d.reply());
        assertThat(id.service()).isEqualTo("tftp");
        assertThat(id.banner()).isEqualTo("TFTP served a file to an unauthenticated read request");
        assertThat(id.weaknesses()).extracting(Weakness::id).containsExactly(Weakness.TFTP_UNAUTHENTICATED_READ);
        // the same server probed as any other port: its answer goes to a socket connected elsewhere
        assertThat(probe(port, -1).state()).isEqualTo(PortState.OPEN_FILTERED);
    }

    @Test
    void anErrorAnswerFromANewPortOpensThePort() throws Exception {
        int port = server("127.0.0.1", ERROR);
        Decided d = probe(port, port);
        assertThat(d.state()).isEqualTo(PortState.OPEN);
        assertThat(UdpIdentify.identify(UdpEngine.TFTP_PORT, d.reply()).banner()).isEqualTo("TFTP error 1: no");
    }

    @Test
    void anAnswerFromAnotherAddressOrThatIsNotTftpProvesNothing() throws Exception {
        int foreign = server("127.0.0.2", DATA), noise = server("127.0.0.1", "hello".getBytes());
        assertThat(probe(foreign, foreign).state()).isEqualTo(PortState.OPEN_FILTERED);
        assertThat(probe(noise, noise).state()).isEqualTo(PortState.OPEN_FILTERED);
    }

    @Test
    void aClosedTftpPortIsStillClosed() throws Exception {
        int closed;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            closed = d.getLocalPort();
        }
        Decided d = probe(closed, closed);
        assertThat(d.state()).isEqualTo(PortState.CLOSED);
        assertThat(d.reason()).isEqualTo(Reasons.PORT_UNREACH);
    }

    @Test
    void anAnswerFromPort69ItselfIsStillTaken() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        resources.add(s);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                s.receive(p);
                s.send(new DatagramPacket(ERROR, ERROR.length, p.getSocketAddress()));
            } catch (IOException e) {
                // closed by the test
            }
        });
        Decided d = probe(s.getLocalPort(), s.getLocalPort());
        assertThat(d.state()).isEqualTo(PortState.OPEN);
        assertThat(d.reply()).startsWith("\u0000\u0005");
    }
}
