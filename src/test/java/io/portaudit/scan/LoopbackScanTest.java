package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real servers on loopback, started in the test: open, closed, and hostile services. */
class LoopbackScanTest {
    @RegisterExtension
    final Closer resources = new Closer();

    /** A listener whose accepted connections are handled by {@code behaviour} on a daemon thread. */
    private int server(String host, Consumer<Socket> behaviour) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(host, 0), 50);
        resources.add(ss);
        Thread.ofPlatform().daemon().start(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    resources.add(s);
                    Thread.ofPlatform().daemon().start(() -> behaviour.accept(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return ss.getLocalPort();
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(host, 0));
            return ss.getLocalPort();
        }
    }

    private static void write(Socket s, String text) {
        try {
            OutputStream o = s.getOutputStream();
            o.write(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            o.flush();
        } catch (IOException ignored) {
            // client went away
        }
    }

    private static ScanRequest request(String target, PortSpec ports, boolean sv) {
        return ScanRequest.builder(TargetSpec.parse(List.of(target), List.of(), true), ports)
                .timing(TimingTemplate.of(4)).serviceDetection(sv).serviceTimeout(Duration.ofSeconds(3)).build();
    }

    private static Map<Integer, PortResult> byPort(List<PortResult> rs) {
        Map<Integer, PortResult> m = new HashMap<>();
        for (PortResult r : rs) assertThat(m.put(r.port(), r)).as("port %d reported once", r.port()).isNull();
        return m;
    }

    @Test
    void openAndClosedOnIpv4AndIpv6() throws IOException {
        for (String host : List.of("127.0.0.1", "::1")) {
            int open = server(host, s -> { });
            int closed = freePort(host);
            List<PortResult> rs = new Scanner().scan(request(host, PortSpec.of(PortSet.of(open).union(PortSet.of(closed)), PortSet.empty()), false));
            Map<Integer, PortResult> m = byPort(rs);
            assertThat(m.get(open).state()).isEqualTo(PortState.OPEN);
            assertThat(m.get(open).reason()).isEqualTo("syn-ack");
            assertThat(m.get(closed).state()).isEqualTo(PortState.CLOSED);
            assertThat(m.get(closed).reason()).isEqualTo("conn-refused");
            assertThat(m.get(open).protocol()).isEqualTo(Protocol.TCP);
        }
    }

    @Test
    void aSmallDescriptorBudgetGivesTheSameResults() throws IOException {
        int a = server("127.0.0.1", s -> { }), b = server("127.0.0.1", s -> { });
        PortSet ports = PortSet.range(1, 3000).union(PortSet.of(a)).union(PortSet.of(b));
        ScanRequest req = request("127.0.0.1", PortSpec.of(ports, PortSet.empty()), false);
        List<PortResult> wide = new Scanner().scan(req);
        List<PortResult> narrow = new Scanner().withFdBudget(3).scan(req);
        assertThat(wide).hasSize(ports.size());
        assertThat(byPort(narrow)).isEqualTo(byPort(wide));
        assertThat(narrow.stream().filter(r -> r.state() == PortState.OPEN).map(PortResult::port)).contains(a, b);
    }

    @Test
    void hostileServicesAreBoundedInTimeAndBytes() throws IOException {
        int silent = server("127.0.0.1", s -> { });
        int endless = server("127.0.0.1", s -> {
            for (int i = 0; i < 1_000_000 && !s.isClosed(); i++) write(s, "220 " + "x".repeat(1000) + "\r\n");
        });
        int slow = server("127.0.0.1", s -> {
            for (int i = 0; i < 60 && !s.isClosed(); i++) {
                write(s, "S");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        int reset = server("127.0.0.1", s -> {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // done
            }
        });
        int garbage = server("127.0.0.1", s -> write(s, "\u0016\u0003\u0001\u00ff\u00ffgarbage\u0000\u0001"));
        int ssh = server("127.0.0.1", s -> write(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
        int http = server("127.0.0.1", s -> {
            try {
                s.getInputStream().read(new byte[1024]);
            } catch (IOException ignored) {
                return;
            }
            write(s, "HTTP/1.0 200 OK\r\nServer: busybox-httpd/1.35\r\n\r\n<title>Armadillo</title>");
        });
        PortSet ports = PortSet.of(silent).union(PortSet.of(endless)).union(PortSet.of(slow)).union(PortSet.of(reset))
                .union(PortSet.of(garbage)).union(PortSet.of(ssh)).union(PortSet.of(http));
        List<PortResult> rs = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> new Scanner().scan(request("127.0.0.1", PortSpec.of(ports, PortSet.empty()), true)));
        Map<Integer, PortResult> m = byPort(rs);
        assertThat(m.values()).allSatisfy(r -> assertThat(r.state()).isEqualTo(PortState.OPEN));
        assertThat(m.get(endless).banner().length()).isLessThanOrEqualTo(ServiceDetector.MAX_BYTES);
        assertThat(m.get(endless).service()).isEqualTo("ftp");
        assertThat(m.get(slow).banner()).startsWith("S").hasSizeLessThan(10);
        assertThat(m.get(ssh).product()).isEqualTo("OpenSSH");
        assertThat(m.get(http).service()).isEqualTo("http");
        assertThat(m.get(http).product()).isEqualTo("busybox-httpd");
        assertThat(m.get(http).extraInfo()).contains("Armadillo");
        assertThat(m.get(garbage).banner()).contains("garbage");
    }

    @Test
    void udpOpenClosedAndOpenFiltered() throws Exception {
        DatagramSocket echo = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket mute = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        resources.add(echo);
        resources.add(mute);
        Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[2048];
            while (!echo.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    echo.receive(p);
                    echo.send(new DatagramPacket("pong".getBytes(), 4, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        int closed;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            closed = d.getLocalPort();
        }
        PortSet ports = PortSet.of(echo.getLocalPort()).union(PortSet.of(mute.getLocalPort())).union(PortSet.of(closed));
        ScanRequest req = ScanRequest.builder(TargetSpec.parse(List.of("127.0.0.1"), List.of(), true), PortSpec.of(PortSet.empty(), ports))
                .tcp(false).udp(true).timing(TimingTemplate.of(4)).build();
        Collected c = new Collected();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new Scanner().run(req, c));
        Map<Integer, PortResult> m = byPort(c.ports);
        assertThat(c.hosts).singleElement().satisfies(h -> assertThat(h.srttUs()).as("a UDP-only scan reports the latency").isGreaterThanOrEqualTo(0));
        assertThat(m.get(echo.getLocalPort()).state()).isEqualTo(PortState.OPEN);
        assertThat(m.get(echo.getLocalPort()).reason()).isEqualTo("udp-response");
        assertThat(m.get(echo.getLocalPort()).banner()).isEqualTo("pong");
        assertThat(m.get(closed).state()).isEqualTo(PortState.CLOSED);
        assertThat(m.get(closed).reason()).isEqualTo("port-unreach");
        assertThat(m.get(mute.getLocalPort()).state()).isEqualTo(PortState.OPEN_FILTERED);
    }

    @Test
    void hostReportsCountEveryPortAndStopEndsTheScanEarly() throws IOException {
        int open = server("127.0.0.1", s -> { });
        Scanner scanner = new Scanner();
        ScanRequest req = request("127.0.0.1", PortSpec.of(PortSet.range(1, 2000).union(PortSet.of(open)), PortSet.empty()), false);
        Collected c = new Collected();
        scanner.run(req, c);
        List<HostReport> hosts = c.hosts;
        List<PortResult> seen = c.ports;
        assertThat(hosts).singleElement().satisfies(h -> {
            assertThat(h.up()).isTrue();
            assertThat(h.scanned()).isEqualTo(seen.size());
            assertThat(h.shown(h.collapsed(25, false))).extracting(PortResult::port).containsExactly(open);
        });
        Scanner stopped = new Scanner();
        stopped.stop();
        var outcome = stopped.run(req, r -> { });
        assertThat(outcome.complete()).isFalse();
    }

    @Test
    void multiHostTargetsAreDiscoveredFirst() throws IOException {
        // 127.0.0.1-3 all answer (loopback); discovery must call them up and never scan a down host
        ScanRequest req = ScanRequest.builder(TargetSpec.parse(List.of("127.0.0.1-3"), List.of("127.0.0.2"), true),
                PortSpec.of(PortSet.range(1, 50), PortSet.empty())).timing(TimingTemplate.of(4)).build();
        Collected c = new Collected();
        new Scanner().run(req, c);
        List<HostReport> hosts = c.hosts;
        assertThat(hosts).extracting(HostReport::address).containsExactly("127.0.0.1", "127.0.0.3");
        assertThat(hosts).allSatisfy(h -> {
            assertThat(h.up()).isTrue();
            assertThat(h.reason()).isIn("syn-ack", "conn-refused");
        });
        assertThat(InetAddress.getByName("127.0.0.3").isLoopbackAddress()).isTrue();
    }
}
