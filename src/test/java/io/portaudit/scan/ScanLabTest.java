package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scanner against real kernels in network namespaces: a device of our own (pa-scan1,
 * 10.77.30.2 / fd77:30::2) with DROP and REJECT rules on v4 and v6, and the shared lab's pa-440.
 * Expected states are computed from the rules and listeners below (or the lab's own rules file and
 * the device's {@code ss} listing), never from the scanner.
 */
@LabTest
class ScanLabTest {
    static final String NS = Lab.unique("pa-scan1"), LINK = Lab.uniqueLink("vpa-scan1"), V4 = "10.77.30.2", V6 = "fd77:30::2";
    static final Duration T = Duration.ofSeconds(30);

    /** One firewall rule of the test device, and what it implies for a connect() scan. */
    record Rule(int from, int to, String v4Target, String v6Target, PortState state, String reason4, String reason6) {}

    static final List<Rule> RULES = List.of(
            new Rule(100, 149, "DROP", "DROP", PortState.FILTERED, "no-response", "no-response"),
            new Rule(200, 249, "REJECT --reject-with icmp-port-unreachable", "REJECT --reject-with icmp6-port-unreachable",
                    PortState.CLOSED, "conn-refused", "conn-refused"),
            new Rule(300, 309, "REJECT --reject-with icmp-host-prohibited", "REJECT --reject-with icmp6-adm-prohibited",
                    PortState.FILTERED, "host-unreach", "admin-prohibited"),
            new Rule(400, 409, "REJECT --reject-with tcp-reset", "REJECT --reject-with tcp-reset", PortState.CLOSED,
                    "conn-refused", "conn-refused"));
    /** Listening TCP ports (v4 and v6); 120 and 210 listen behind the firewall. */
    static final Set<Integer> LISTEN = Set.of(22, 80, 120, 210, 443, 8000);
    static final PortSet SCANNED = PortSet.range(1, 500).union(PortSet.of(8000));

    static Process daemon;

    static PortState expected(int port, boolean v6, String[] reasonOut) {
        for (Rule r : RULES) {
            if (port >= r.from() && port <= r.to()) {
                reasonOut[0] = v6 ? r.reason6() : r.reason4();
                return r.state();
            }
        }
        reasonOut[0] = LISTEN.contains(port) ? "syn-ack" : "conn-refused";
        return LISTEN.contains(port) ? PortState.OPEN : PortState.CLOSED;
    }

    static void sh(String what, String... argv) {
        Lab.run(T, argv).requireOk(what);
    }

    @BeforeAll
    static void device() throws Exception {
        cleanup();
        Lab.device(NS, LINK, "10.77.30.1/24", V4 + "/24", "fd77:30::1/64", V6 + "/64");
        for (Rule r : RULES) {
            sh("iptables", ("ip netns exec " + NS + " iptables -A INPUT -p tcp --dport " + r.from() + ":" + r.to() + " -j " + r.v4Target()).split(" "));
            sh("ip6tables", ("ip netns exec " + NS + " ip6tables -A INPUT -p tcp --dport " + r.from() + ":" + r.to() + " -j " + r.v6Target()).split(" "));
        }
        sh("udp drop", "ip", "netns", "exec", NS, "iptables", "-A", "INPUT", "-p", "udp", "--dport", "161", "-j", "DROP");
        icmpRateLimit(false);
        Path script = Path.of("src/test/resources/fixtures/scan/listen.py").toAbsolutePath();
        StringBuilder tcp = new StringBuilder();
        for (int p : LISTEN) tcp.append(tcp.isEmpty() ? "" : ",").append(p);
        daemon = Lab.daemon(NS, "/usr/bin/python3", script.toString(), tcp.toString(), "53");
    }

    @AfterAll
    static void cleanup() throws Exception {
        Lab.stop(daemon);
        Lab.removeDevice(NS, LINK);
    }

    /**
     * The TCP tests check how each kind of answer is classified, so the device's ICMP error rate
     * limit is lifted for them (the kernel would otherwise answer only ~1 REJECTed port per second
     * and the rest look filtered, to nmap as to us); the UDP test puts Linux's defaults back to
     * exercise the pacing.
     */
    static void icmpRateLimit(boolean linuxDefaults) {
        sh("sysctl", "ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=" + (linuxDefaults ? 1000 : 0),
                "net.ipv6.icmp.ratelimit=" + (linuxDefaults ? 1000 : 0),
                "net.ipv4.icmp_msgs_per_sec=" + (linuxDefaults ? 1000 : 1000000),
                "net.ipv4.icmp_msgs_burst=" + (linuxDefaults ? 50 : 1000000));
    }

    static ScanRequest request(String target, PortSet tcp, PortSet udp, int template) {
        return ScanRequest.builder(TargetSpec.parse(List.of(target), List.of(), true), PortSpec.of(tcp, udp))
                .tcp(!tcp.isEmpty()).udp(!udp.isEmpty()).timing(TimingTemplate.of(template)).build();
    }

    static Map<Integer, PortResult> byPort(List<PortResult> rs, Protocol p) {
        Map<Integer, PortResult> m = new TreeMap<>();
        for (PortResult r : rs) if (r.protocol() == p) assertThat(m.put(r.port(), r)).isNull();
        return m;
    }

    @Test
    void openClosedAndFilteredOnIpv4AndIpv6MatchTheRules() {
        // both socket layers: the native one reads ICMP errors differently from NIO (SO_ERROR while
        // the socket is still in SYN-SENT), and only a real firewall sends them
        List<String> layers = Runtime.version().feature() >= 22 ? List.of("native", "nio") : List.of("nio");
        for (String layer : layers) for (String target : List.of(V4, V6)) {
            boolean v6 = target.contains(":");
            Map<Integer, PortResult> got = byPort(new Scanner().withEngine(layer, -1).scan(request(target, SCANNED, PortSet.empty(), 4)),
                    Protocol.TCP);
            assertThat(got).hasSize(SCANNED.size());
            List<String> wrong = new ArrayList<>();
            for (int p : SCANNED) {
                String[] reason = new String[1];
                PortState want = expected(p, v6, reason);
                PortResult r = got.get(p);
                if (r.state() != want || !r.reason().equals(reason[0])) {
                    wrong.add(p + ": want " + want.label() + "/" + reason[0] + ", got " + r.state().label() + "/" + r.reason());
                }
            }
            assertThat(wrong).as(layer + " " + target).isEmpty();
        }
    }

    @Test
    void udpOpenClosedAndOpenFiltered() {
        PortSet udp = PortSet.of(53).union(PortSet.of(161)).union(PortSet.range(40000, 40009));
        Map<Integer, PortResult> got;
        icmpRateLimit(true);
        try {
            got = byPort(new Scanner().scan(request(V4, PortSet.empty(), udp, 4)), Protocol.UDP);
        } finally {
            icmpRateLimit(false);
        }
        assertThat(got.get(53).state()).isEqualTo(PortState.OPEN);
        assertThat(got.get(53).banner()).isEqualTo("pa-echo");
        assertThat(got.get(161).state()).isEqualTo(PortState.OPEN_FILTERED);
        for (int p = 40000; p <= 40009; p++) assertThat(got.get(p).state()).as("udp " + p).isEqualTo(PortState.CLOSED);
    }

    @Test
    void ulimit256AndAllPortsGiveTheSameResults() throws Exception {
        Map<Integer, PortResult> free = byPort(new Scanner().scan(request(V4, PortSet.all(), PortSet.empty(), 4)), Protocol.TCP);
        String java = ProcessHandle.current().info().command().orElse("java");
        // the launcher's socket layer (native on JDK 22+), as the in-process scan above uses
        String cmd = "ulimit -n 256 && exec '" + java + "' --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path")
                + "' io.portaudit.cli.Main scan -T4 -p- --json " + V4;
        Lab.Result r = Lab.run(Duration.ofMinutes(3), "sh", "-c", cmd);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContainIgnoringCase("too many open files");
        var imported = NmapOutputs.read("ulimit", r.out());
        assertThat(imported.problems()).isEmpty();
        Map<Integer, PortResult> limited = byPort(imported.ports(), Protocol.TCP);
        assertThat(limited).hasSize(65535);
        for (int p = 1; p <= 65535; p++) {
            assertThat(limited.get(p).state()).as("port " + p).isEqualTo(free.get(p).state());
        }
    }


    @Test
    void aDefaultAllPortsScanNeverOverflowsABacklogOf16() throws Exception {
        Map<String, Long> before = Lab.listenCounters(NS);
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        Thread client = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < 600 && !Thread.currentThread().isInterrupted(); i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(V4, 8000), 1000);
                    ok.incrementAndGet();
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<PortResult> rs = new Scanner().scan(ScanRequest.builder(TargetSpec.parse(List.of(V4), List.of(), true),
                PortSpec.of(PortSet.all(), PortSet.empty())).build());  // the default template
        client.interrupt();
        client.join(5000);
        assertThat(rs).hasSize(65535);
        assertThat(Lab.listenCounters(NS)).isEqualTo(before);
        assertThat(ok.get()).isPositive();
        assertThat(failed.get()).isZero();
    }

    // ---- the shared lab's Armadillo-440 ----

    /** The pa-440 rules file, evaluated for one TCP port the way netfilter would (first match, policy DROP). */
    static PortState expected440(String rules, Set<Integer> listening, int port) {
        Pattern rule = Pattern.compile("^-A INPUT -p tcp -m tcp --dport (\\d+)(?::(\\d+))? -j (\\w+)", Pattern.MULTILINE);
        Matcher m = rule.matcher(rules);
        while (m.find()) {
            int from = Integer.parseInt(m.group(1)), to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (port < from || port > to) continue;
            return switch (m.group(3)) {
                case "ACCEPT" -> listening.contains(port) ? PortState.OPEN : PortState.CLOSED;
                case "REJECT" -> PortState.CLOSED;   // icmp-port-unreachable: conn-refused
                default -> PortState.FILTERED;       // DROP
            };
        }
        assertThat(rules).contains(":INPUT DROP");
        return PortState.FILTERED;
    }

    static Set<Integer> listeners(String ns, boolean v6) {
        Lab.Result r = Lab.run(T, "ip", "netns", "exec", ns, "ss", "-Hltn");
        Set<Integer> ports = new java.util.HashSet<>();
        Matcher m = Pattern.compile(v6 ? "\\[::\\]:(\\d+)" : "(?:0\\.0\\.0\\.0|\\*):(\\d+)").matcher(r.out());
        while (m.find()) ports.add(Integer.parseInt(m.group(1)));
        return ports;
    }

    @Test
    void pingScanFindsTheDeviceOnBothFamiliesAndNotAnAbsentOne() {
        // 10.77.30.99: nobody on the link answers ARP; the kernel reports the host unreachable
        ScanRequest req = ScanRequest.builder(TargetSpec.parse(List.of(V4, V6, "10.77.30.99"), List.of(), true),
                PortSpec.of(PortSet.empty(), PortSet.empty())).pingOnly(true).timing(TimingTemplate.of(4)).build();
        Collected c = new Collected();
        Scanner.Outcome o = new Scanner().run(req, c);
        List<HostReport> hosts = c.hosts;
        assertThat(c.ports).as("-sn scans no port").isEmpty();
        assertThat(o.hostsUp()).isEqualTo(2);
        assertThat(o.hostsDown()).isEqualTo(1);
        assertThat(hosts).filteredOn(HostReport::up).extracting(HostReport::address).containsExactlyInAnyOrder(V4, V6);
        assertThat(hosts).filteredOn(HostReport::up).allSatisfy(h -> assertThat(h.reason()).isIn("syn-ack", "conn-refused"));
        assertThat(hosts).filteredOn(h -> !h.up()).singleElement().satisfies(h -> assertThat(h.address()).isEqualTo("10.77.30.99"));
    }

    @Test
    void pa440Top1000ReproducesTheSeed() throws IOException {
        Lab.up();
        String rules = Files.readString(Lab.repo().resolve("lab/pa-440.rules"));
        PortSet top = PortFrequencies.load().top(Protocol.TCP, 1000);
        Set<Integer> listening = listeners("pa-440", false);
        Map<PortState, Integer> want = new java.util.EnumMap<>(PortState.class);
        for (int p : top) want.merge(expected440(rules, listening, p), 1, Integer::sum);
        Map<Integer, PortResult> got = byPort(new Scanner().scan(request("10.77.2.2", top, PortSet.empty(), 3)), Protocol.TCP);
        for (int p : top) assertThat(got.get(p).state()).as("tcp/" + p).isEqualTo(expected440(rules, listening, p));
        if (PortFrequencies.NMAP_SERVICES.toFile().canRead()) {
            // with nmap's top-1000 list, the seed's numbers exactly
            assertThat(want).containsEntry(PortState.OPEN, 3).containsEntry(PortState.CLOSED, 841).containsEntry(PortState.FILTERED, 156);
        }
        // IPv6: no ip6tables rules on the 440; only the [::] listeners are open
        Set<Integer> v6 = listeners("pa-440", true);
        Map<Integer, PortResult> got6 = byPort(new Scanner().scan(request("fd77:2::2", top, PortSet.empty(), 3)), Protocol.TCP);
        for (int p : top) assertThat(got6.get(p).state()).as("v6 tcp/" + p).isEqualTo(v6.contains(p) ? PortState.OPEN : PortState.CLOSED);
    }

    /** The pa-nft ruleset (inet: both families), evaluated for one TCP port: first match, policy drop. */
    static PortState expectedNft(String nft, Set<Integer> listening, int port) {
        Matcher m = Pattern.compile("tcp dport (\\{[^}]*\\}|[\\d-]+) (accept|drop|reject)[^\\n]*").matcher(nft);
        while (m.find()) {
            for (String item : m.group(1).replaceAll("[{}\\s]", "").split(",")) {
                String[] ab = item.split("-");
                int from = Integer.parseInt(ab[0]), to = ab.length > 1 ? Integer.parseInt(ab[1]) : from;
                if (port < from || port > to) continue;
                return switch (m.group(2)) {
                    case "accept" -> listening.contains(port) ? PortState.OPEN : PortState.CLOSED;
                    case "reject" -> PortState.CLOSED;
                    default -> PortState.FILTERED;
                };
            }
        }
        assertThat(nft).contains("policy drop");
        return PortState.FILTERED;
    }

    @Test
    void everyLabDeviceOnBothFamiliesMatchesItsRulesAndListeners() throws IOException {
        Lab.up();
        PortSet top = PortFrequencies.load().top(Protocol.TCP, 1000);
        String nft = Files.readString(Lab.repo().resolve("lab/pa-nft.nft"));
        record Device(String ns, String v4, String v6) {}
        for (Device d : List.of(new Device("pa-g3", "10.77.1.2", "fd77:1::2"), new Device("pa-nft", "10.77.3.2", "fd77:3::2"))) {
            for (boolean v6 : new boolean[] {false, true}) {
                Set<Integer> listening = listeners(d.ns(), v6);
                Map<Integer, PortResult> got = byPort(new Scanner().scan(request(v6 ? d.v6() : d.v4(), top, PortSet.empty(), 4)), Protocol.TCP);
                List<String> wrong = new ArrayList<>();
                for (int p : top) {
                    PortState want = d.ns().equals("pa-g3") ? (listening.contains(p) ? PortState.OPEN : PortState.CLOSED)
                            : expectedNft(nft, listening, p);
                    if (got.get(p).state() != want) wrong.add(p + ": want " + want.label() + ", got " + got.get(p).state().label());
                }
                assertThat(wrong).as(d.ns() + (v6 ? " v6" : " v4")).isEmpty();
            }
        }
    }
}
