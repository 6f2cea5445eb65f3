package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Both TCP socket layers (NIO, native) and one or two engine threads give the same, right answer on
 * ports whose state the test owns: listeners (open) and bound sockets that do not listen (closed:
 * nobody else can listen on that address and port while the test holds it).
 */
class SocketLayerTest {
    private final List<AutoCloseable> held = new ArrayList<>();

    @AfterEach
    void release() throws Exception {
        for (AutoCloseable c : held) c.close();
    }

    @ParameterizedTest(name = "{0} layer, {1} engine thread(s), {2}, descriptor budget {3}")
    @CsvSource({"nio,1,127.0.0.1,0", "nio,2,127.0.0.1,0", "native,1,127.0.0.1,0", "native,2,127.0.0.1,0",
            "nio,1,::1,0", "native,2,::1,0", "native,1,127.0.0.1,3", "native,2,127.0.0.1,80"})
    void layersAndThreadsAgreeWithWhatTheTestHolds(String layer, int threads, String host, int budget) throws Exception {
        if (layer.equals("native")) {
            // in CI (JDK 25) this must run: fails there, skips elsewhere
            io.portaudit.lab.LabExtension.require(Runtime.version().feature() >= 22, "a JDK 22+ (for the native socket layer)");
        }
        Map<Integer, PortState> truth = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            ServerSocket ss = new ServerSocket();
            held.add(ss);
            ss.bind(new InetSocketAddress(host, 0), 50);
            truth.put(ss.getLocalPort(), PortState.OPEN);
        }
        // more refused ports than the native layer keeps sockets for: reuse and fresh sockets both happen
        for (int i = 0; i < 700; i++) {
            Socket s = new Socket();
            held.add(s);
            s.bind(new InetSocketAddress(host, 0));
            truth.put(s.getLocalPort(), PortState.CLOSED);
        }
        List<PortRange> ranges = new ArrayList<>();
        for (int p : truth.keySet()) ranges.add(PortRange.of(p));
        ScanRequest req = ScanRequest.builder(TargetSpec.parse(List.of(host), List.of(), true), PortSpec.of(PortSet.of(ranges), PortSet.empty()))
                .timing(TimingTemplate.of(4)).serviceTimeout(Duration.ofSeconds(3)).build();
        Scanner scanner = new Scanner().withEngine(layer, threads);
        // a tiny budget: no sockets kept for reuse, probes wait for descriptors (80: two threads, a few kept)
        if (budget > 0) scanner.withFdBudget(budget);
        List<PortResult> results = new ArrayList<>();
        Scanner.Outcome outcome = scanner.run(req, results::add);
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.socketLayer()).isEqualTo(layer);
        Map<Integer, PortState> got = new HashMap<>();
        for (PortResult r : results) assertThat(got.put(r.port(), r.state())).as("port %d once", r.port()).isNull();
        assertThat(got).isEqualTo(truth);
        assertThat(results).filteredOn(r -> r.state() == PortState.CLOSED).allSatisfy(r -> assertThat(r.reason()).isEqualTo("conn-refused"));
        assertThat(results).filteredOn(r -> r.state() == PortState.OPEN).allSatisfy(r -> assertThat(r.reason()).isEqualTo("syn-ack"));
    }

    @Test
    void engineThreadsStayWithinTheTemplatesLimits() {
        ScanRequest big = ScanRequest.builder(TargetSpec.parse(List.of("127.0.0.1"), List.of(), true),
                PortSpec.of(PortSet.of(new PortRange(1, 65535)), PortSet.empty())).timing(TimingTemplate.of(4)).build();
        ScanRequest small = ScanRequest.builder(TargetSpec.parse(List.of("127.0.0.1"), List.of(), true),
                PortSpec.of(PortSet.of(new PortRange(1, 1000)), PortSet.empty())).timing(TimingTemplate.of(4)).build();
        ScanRequest serial = ScanRequest.builder(TargetSpec.parse(List.of("127.0.0.1"), List.of(), true),
                PortSpec.of(PortSet.of(new PortRange(1, 65535)), PortSet.empty())).timing(TimingTemplate.of(2)).build();
        assertThat(Scanner.engineThreads(small, 1, 4096, -1)).isEqualTo(1);
        assertThat(Scanner.engineThreads(serial, 1, 4096, 4)).as("-T2 is one probe at a time").isEqualTo(1);
        assertThat(Scanner.engineThreads(big, 1, 10, 4)).as("a tiny descriptor budget").isEqualTo(1);
        assertThat(Scanner.engineThreads(big, 1, 4096, 3)).isEqualTo(3);
        assertThat(Scanner.engineThreads(big, 1, 4096, -1)).isBetween(1, 4);
        // engine threads sharing a host's timing each get their share of the window
        HostTiming shared = new HostTiming(TimingTemplate.of(4)).sharedBy(3);
        assertThat(shared.canSend(2)).isTrue();
        assertThat(shared.canSend(3)).as("10 / 3 = 3 each").isFalse();
        shared.onReply(0, 1_000, 0);   // any thread's answer grows the one window
        shared.onReply(0, 1_000, 0);
        assertThat(shared.canSend(3)).as("12 / 3 = 4 each").isTrue();
        assertThat(shared.sharedBy(1).canSend(11)).isTrue();
    }

    /**
     * A probe whose socket connected to itself: its first probe is bound to the port it connects to
     * (what the kernel does by chance when it picks the destination port as the ephemeral source
     * port), the SYN meets its own socket and TCP's simultaneous open completes with nothing
     * listening. The engine must see it (local address and port = the target's), close it, probe the
     * port again with a new socket and report what the kernel says then: closed.
     */
    @ParameterizedTest(name = "{0} layer, {1}")
    @CsvSource({"nio,127.0.0.1", "native,127.0.0.1", "nio,::1", "native,::1"})
    void aProbeConnectedToItselfIsNotAnOpenPort(String layer, String host) throws Exception {
        if (layer.equals("native")) {
            io.portaudit.lab.LabExtension.require(Runtime.version().feature() >= 22, "a JDK 22+ (for the native socket layer)");
        }
        java.net.InetAddress address = java.net.InetAddress.getByName(host);
        // a port nobody listens on: held by a bound, not listening socket until the engine needs it
        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
            port = probe.getLocalPort();
        }
        // the scenario is real: a socket bound to the port it connects to connects (to itself)
        try (java.nio.channels.SocketChannel self = java.nio.channels.SocketChannel.open()) {
            self.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);   // no TIME_WAIT left on the port
            self.bind(new InetSocketAddress(address, port));
            assertThat(self.connect(new InetSocketAddress(address, port))).isTrue();
            assertThat(self.getLocalAddress()).isEqualTo(self.getRemoteAddress());
        }
        TcpConnectEngine engine = new TcpConnectEngine(TcpConnectEngine::systemMicros, 64, 0, 0, () -> false, layer);
        engine.firstProbeLocalPort = p -> p;
        TcpConnectEngine.Job job = new TcpConnectEngine.Job(address, new int[] {port}, new HostTiming(TimingTemplate.of(4)),
                false, 0, null);
        List<String> decided = new ArrayList<>();
        engine.run(List.of(job).iterator(), 1, new TcpConnectEngine.Sink() {
            @Override
            public void decided(TcpConnectEngine.Job j, int p, PortState state, String reason) {
                decided.add(p + " " + state + " " + reason);
            }

            @Override
            public void jobDone(TcpConnectEngine.Job j) { }
        });
        assertThat(engine.socketLayer()).isEqualTo(layer);
        assertThat(engine.selfConnects()).as("the first probe connected to itself and was seen: %s", decided).isEqualTo(1);
        assertThat(decided).containsExactly(port + " CLOSED conn-refused");
    }

    @Test
    void nioFailuresMapToTheErrnoTheKernelGave() {
        assertThat(NioSocketLayer.errno(new ConnectException("Connection refused"))).isEqualTo(SocketLayer.ECONNREFUSED);
        assertThat(NioSocketLayer.errno(new ConnectException("Connection timed out"))).isEqualTo(SocketLayer.ETIMEDOUT);
        assertThat(NioSocketLayer.errno(new SocketException("Connection reset"))).isEqualTo(SocketLayer.ECONNRESET);
        assertThat(NioSocketLayer.errno(new NoRouteToHostException("No route to host"))).isEqualTo(SocketLayer.EHOSTUNREACH);
        assertThat(NioSocketLayer.errno(new SocketException("Network is unreachable"))).isEqualTo(SocketLayer.ENETUNREACH);
        assertThat(NioSocketLayer.errno(new java.net.BindException("Permission denied"))).isEqualTo(SocketLayer.EACCES);
        assertThat(NioSocketLayer.errno(new SocketException("Operation not permitted"))).isEqualTo(SocketLayer.EPERM);
        assertThat(NioSocketLayer.errno(new SocketException("Protocol not available"))).isEqualTo(SocketLayer.ENOPROTOOPT);
        assertThat(NioSocketLayer.errno(new SocketException("Invalid argument"))).isEqualTo(SocketLayer.EIO);
        assertThat(NioSocketLayer.errno(new IOException((String) null))).isEqualTo(SocketLayer.EIO);
    }
}
