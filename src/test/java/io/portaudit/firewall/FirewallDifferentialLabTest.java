package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads generated rulesets into a namespace of our own (pa-fw1, host link vpa-fw1, 10.77.10.1 ↔
 * 10.77.10.2), probes the listening ports from the host with real TCP connects, and compares what
 * the kernel did with what the evaluator predicts: connected ⇒ accept, refused/unreachable ⇒
 * reject, timeout ⇒ drop. Traffic goes only to 10.77.10.2.
 */
@LabTest
class FirewallDifferentialLabTest {
    static final String NS = Lab.unique("pa-fw1"), HOST_IF = Lab.uniqueLink("vpa-fw1"), NS_IF = "eth0", HOST = "10.77.10.1", DEV = "10.77.10.2";
    static final String HOST6 = "fd77:10::1", DEV6 = "fd77:10::2";
    static final Duration T = Duration.ofSeconds(20);
    static final int TIMEOUT_MS = 300;
    /**
     * Over IPv6 the ICMPv6 error for the first SYN arrives while connect() still holds the socket
     * (veth delivers synchronously) and the kernel drops it (TcpExtLockDroppedIcmps); the error
     * for the SYN retransmitted after 1 s gets through. So IPv6 probes wait past the first retransmit.
     */
    static final int TIMEOUT6_MS = 1300;
    static Process listener;
    static ExecutorService pool;

    @BeforeAll
    static void up() throws IOException {
        Lab.run(T, "ip", "route", "add", "blackhole", "10.77.0.0/16"); // "File exists" is fine
        Lab.run(T, "ip", "-6", "route", "add", "blackhole", "fd77::/16");
        down();
        Lab.run(T, "ip", "netns", "add", NS).requireOk("ip netns add");
        // the device end is made on the host under a name of this run's own, then moved in and renamed
        String peer = Lab.uniqueLink("vpa-fw1p");
        Lab.run(T, "ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", peer).requireOk("veth");
        Lab.run(T, "ip", "link", "set", peer, "netns", NS).requireOk("move peer");
        Lab.inNs(NS, T, "ip", "link", "set", peer, "name", NS_IF).requireOk("rename");
        Lab.inNs(NS, T, "ip", "addr", "add", DEV + "/24", "dev", NS_IF).requireOk("addr");
        Lab.inNs(NS, T, "ip", "link", "set", NS_IF, "up").requireOk("up");
        Lab.inNs(NS, T, "ip", "link", "set", "lo", "up").requireOk("lo up");
        // the kernel rate-limits ICMP errors per peer: parallel probes of REJECTed ports would look like drops
        Lab.inNs(NS, T, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0").requireOk("icmp_ratelimit");
        Lab.inNs(NS, T, "sysctl", "-qw", "net.ipv4.icmp_msgs_per_sec=100000");
        Lab.run(T, "ip", "addr", "add", HOST + "/24", "dev", HOST_IF).requireOk("host addr");
        Lab.run(T, "ip", "link", "set", HOST_IF, "up").requireOk("host up");
        Lab.inNs(NS, T, "ip", "-6", "addr", "add", DEV6 + "/64", "dev", NS_IF, "nodad").requireOk("addr6");
        Lab.run(T, "ip", "-6", "addr", "add", HOST6 + "/64", "dev", HOST_IF, "nodad").requireOk("host addr6");
        Lab.inNs(NS, T, "sysctl", "-qw", "net.ipv6.icmp.ratelimit=0");
        // IPv6 neighbour discovery passes through the rules under test (a DROP policy would starve it):
        // permanent neighbour entries on both sides take it out of the experiment
        String hostMac = Files.readString(Path.of("/sys/class/net/" + HOST_IF + "/address")).strip();
        String devMac = Lab.inNs(NS, T, "cat", "/sys/class/net/" + NS_IF + "/address").requireOk("mac").out().strip();
        Lab.run(T, "ip", "-6", "neigh", "replace", DEV6, "lladdr", devMac, "dev", HOST_IF, "nud", "permanent").requireOk("neigh");
        Lab.inNs(NS, T, "ip", "-6", "neigh", "replace", HOST6, "lladdr", hostMac, "dev", NS_IF, "nud", "permanent").requireOk("neigh ns");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, java, "-cp", System.getProperty("java.class.path"),
                LabListener.class.getName(), "600"));
        for (int p : RulesetGenerator.PORTS) cmd.add(Integer.toString(p));
        listener = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        assertThat(first).as("listener inside " + NS).isEqualTo("listening");
        pool = Executors.newFixedThreadPool(RulesetGenerator.PORTS.length);
    }

    @AfterAll
    static void down() {
        if (pool != null) pool.shutdownNow();
        if (listener != null) {
            listener.destroy();
            try {
                if (!listener.waitFor(5, TimeUnit.SECONDS)) listener.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        Lab.run(T, "ip", "netns", "del", NS);
        Lab.run(T, "ip", "link", "del", HOST_IF);
    }

    /**
     * Every probe uses a source port of its own: a rejected or half-closed connection leaves an
     * ESTABLISHED conntrack entry in the namespace, and a SYN that reused its tuple would not be NEW.
     */
    static final java.util.concurrent.atomic.AtomicInteger SOURCE_PORT = new java.util.concurrent.atomic.AtomicInteger(20000);

    /** What a TCP connect from the host sees (non-blocking with a timeout, as nmap -sT does). */
    static Verdict probe(int port, boolean v6) {
        return probe(port, v6, v6 ? TIMEOUT6_MS : TIMEOUT_MS);
    }

    static Verdict probe(int port, boolean v6, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(v6 ? HOST6 : HOST, SOURCE_PORT.getAndIncrement()));
            s.connect(new InetSocketAddress(v6 ? DEV6 : DEV, port), timeoutMs);
            return Verdict.ACCEPT;
        } catch (java.net.SocketTimeoutException e) {
            return Verdict.DROP;
        } catch (IOException e) {
            return Verdict.REJECT; // refused (RST or ICMP port-unreachable) or host/net unreachable
        }
    }

    /** What a UDP datagram meets: an echo ⇒ accept, an ICMP error ⇒ reject, silence ⇒ drop. */
    static Verdict probeUdp(int port, boolean v6) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(v6 ? HOST6 : HOST, SOURCE_PORT.getAndIncrement()))) {
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(new InetSocketAddress(v6 ? DEV6 : DEV, port));
            s.send(new java.net.DatagramPacket(new byte[] {1}, 1));
            s.receive(new java.net.DatagramPacket(new byte[16], 16));
            return Verdict.ACCEPT;
        } catch (java.net.SocketTimeoutException e) {
            return Verdict.DROP;
        } catch (IOException e) {
            return Verdict.REJECT; // PortUnreachableException or another ICMP error on the connected socket
        }
    }

    /**
     * What a UDP socket can observe of a verdict: Linux reports only "hard" ICMP errors to a
     * connected UDP socket (port-unreachable, admin/host/net-prohibited...); net- and
     * host-unreachable are soft and look like silence (nmap -sU calls them filtered, too). Over IPv6
     * (icmpv6_err_convert) no-route and address-unreachable are the soft ones.
     */
    static Verdict udpObservation(io.portaudit.model.ExposureRange r) {
        if (r.verdict() != Verdict.REJECT) return r.verdict();
        String w = r.rejectWith() == null ? "" : r.rejectWith();
        return w.endsWith("net-unreachable") || w.endsWith("host-unreachable") || w.endsWith("no-route") || w.endsWith("addr-unreachable")
                ? Verdict.DROP : Verdict.REJECT;
    }

    static List<Verdict> probeAllUdp(boolean v6) throws Exception {
        List<Future<Verdict>> fs = new ArrayList<>();
        for (int p : RulesetGenerator.PORTS) fs.add(pool.submit(() -> probeUdp(p, v6)));
        List<Verdict> out = new ArrayList<>();
        for (Future<Verdict> f : fs) out.add(f.get(10, TimeUnit.SECONDS));
        return out;
    }

    static List<Verdict> probeAll(boolean v6) throws Exception {
        List<Future<Verdict>> fs = new ArrayList<>();
        for (int p : RulesetGenerator.PORTS) fs.add(pool.submit(() -> probe(p, v6)));
        List<Verdict> out = new ArrayList<>();
        for (Future<Verdict> f : fs) out.add(f.get(10, TimeUnit.SECONDS));
        return out;
    }

    static Packet packet(boolean v6) {
        return Packet.remote(v6 ? AddressFamily.IPV6 : AddressFamily.IPV4, Protocol.TCP).withIface(NS_IF)
                .withSource(AddrRange.literal(v6 ? HOST6 : HOST)).withDest(AddrRange.literal(v6 ? DEV6 : DEV));
    }

    /** Runs {@code count} rulesets; returns the disagreements, each with the ruleset. */
    /** UDP verdicts the kernel showed in the last {@link #run}: each kind must occur, or the UDP check proved nothing. */
    final java.util.Map<Verdict, Integer> udpSeen = new java.util.EnumMap<>(Verdict.class);

    /** Rules the analysis called shadowed in the last {@link #run} whose kernel counters were read. */
    int shadowedChecked;

    static final java.util.regex.Pattern COUNTED = java.util.regex.Pattern.compile("^\\[(\\d+):\\d+\\] -A (\\S+) ");
    static final java.util.regex.Pattern SHADOWED = java.util.regex.Pattern.compile("^(\\S+) rule (\\d+) never matches$");
    static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile(" -t (\\S+) ");

    static final java.util.regex.Pattern NFT_CHAIN = java.util.regex.Pattern.compile("(?:rule|chain) (\\S+) (\\S+) (\\S+)");
    static final java.util.regex.Pattern NFT_COUNTER = java.util.regex.Pattern.compile("counter packets (\\d+)");

    /** The kernel's ruleset as it reads it back, with each rule's counters ({@code iptables-save -c}; nft lists its counters). */
    static String dumpWithCounters(boolean nft, boolean v6) {
        return (nft ? Lab.inNs(NS, T, "nft", "list", "ruleset") : Lab.inNs(NS, T, v6 ? "ip6tables-save" : "iptables-save", "-c")).out();
    }

    /**
     * The shadowed-rule analysis against the kernel: after the probes, every rule it calls shadowed
     * must show no packet in the kernel's own counters ({@code iptables-save -c}; for nft
     * {@code counter packets N} — every generated nft rule carries a counter, the fixed ones do not and
     * are skipped); one that has matched a packet disproves the claim. Returns how many claims were checked.
     */
    int shadowedNeverHit(boolean nft, boolean v6, long seed, String dumpAfterProbes, List<String> bad) throws IOException {
        String dump = dumpAfterProbes != null ? dumpAfterProbes : dumpWithCounters(nft, v6);
        // per chain ("TABLE CHAIN" for iptables, "FAMILY TABLE CHAIN" for nft): each rule's packet count in order, null if none
        java.util.Map<String, List<Long>> packets = new java.util.HashMap<>();
        String table = "", chain = null;
        for (String raw : dump.split("\n")) {
            String l = raw.strip();
            if (!nft) {
                if (l.startsWith("*")) table = l.substring(1).trim();
                java.util.regex.Matcher m = COUNTED.matcher(l);
                if (m.find()) packets.computeIfAbsent(table + " " + m.group(2), k -> new ArrayList<>()).add(Long.parseLong(m.group(1)));
            } else if (l.startsWith("table ")) table = l.substring(6, l.length() - 2).strip();
            else if (l.startsWith("chain ")) chain = table + " " + l.substring(6, l.length() - 2).strip();
            else if (l.equals("}")) chain = null;
            else if (chain != null && !l.isEmpty() && !l.startsWith("type ") && !l.startsWith("policy ")) {
                java.util.regex.Matcher m = NFT_COUNTER.matcher(l);
                packets.computeIfAbsent(chain, k -> new ArrayList<>()).add(m.find() ? Long.parseLong(m.group(1)) : null);
            }
        }
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "seed-" + seed, dump)), ServiceNames.iana());
        int n = 0;
        for (io.portaudit.model.Finding f : v.findings()) {
            if (!f.id().equals("shadowed-rule")) continue;
            java.util.regex.Matcher m = SHADOWED.matcher(f.title());
            assertThat(m.matches()).as(f.title()).isTrue();
            String key;
            if (nft) {
                java.util.regex.Matcher c = NFT_CHAIN.matcher(f.remedy().get(0));
                assertThat(c.find()).as(f.remedy().get(0)).isTrue();
                key = c.group(1) + " " + c.group(2) + " " + c.group(3);
            } else {
                java.util.regex.Matcher t = TABLE.matcher(f.remedy().get(0));
                key = (t.find() ? t.group(1) : "filter") + " " + m.group(1);
            }
            List<Long> counts = packets.get(key);
            assertThat(counts).as("counters of %s (%s)", f.title(), key).isNotNull();
            Long hits = counts.get(Integer.parseInt(m.group(2)) - 1);
            if (hits == null) continue;
            if (hits != 0) bad.add("seed " + seed + ": " + f.title() + " says the analysis, but the kernel counted " + hits + " packet(s) on it\n" + dump);
            n++;
        }
        return n;
    }

    List<String> run(boolean nft, boolean v6, long seed0, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            RulesetGenerator g = new RulesetGenerator(seed0 + k, v6 ? HOST6 : HOST, NS_IF);
            texts.add(nft ? g.nft() : g.iptablesSave());
        }
        return run(nft, v6, seed0, texts);
    }

    /** Loads each ruleset text into the device in turn; "seed" in reports is {@code seed0} + its index. */
    List<String> run(boolean nft, boolean v6, long seed0, List<String> texts) throws Exception {
        udpSeen.clear();
        shadowedChecked = 0;
        List<String> bad = new ArrayList<>();
        Path file = Files.createTempFile("pa-fw", nft ? ".nft" : ".save");
        try {
            for (int k = 0; k < texts.size(); k++) {
                long seed = seed0 + k;
                String rules = texts.get(k);
                Files.writeString(file, rules);
                if (!nft) Lab.inNs(NS, T, "nft", "flush", "ruleset");
                Lab.Result load = nft ? Lab.inNs(NS, T, "nft", "-f", file.toString())
                        : Lab.inNs(NS, T, v6 ? "ip6tables-restore" : "iptables-restore", file.toString());
                if (load.exit() != 0) {
                    bad.add("seed " + seed + ": the kernel refused the generated ruleset: " + load.err() + "\n" + rules);
                    continue;
                }
                // the probes first (UDP too, for every IPv6 and every third IPv4 ruleset: each UDP round costs a 300 ms
                // timeout), then one read-back of what the kernel holds, in its own words and with its counters: it serves
                // the evaluation and the shadowed-rule check (the rules do not change, only their counters)
                List<Verdict> seen = probeAll(v6);
                List<Verdict> seenU = v6 || k % 3 == 0 ? probeAllUdp(v6) : null;
                String dump = dumpWithCounters(nft, v6);
                Problems problems = new Problems();
                Ruleset rs = FirewallFormat.parse(null, "seed-" + seed, dump, ServiceNames.iana(), problems);
                Exposure e = Evaluator.exposure(List.of(rs), packet(v6));
                boolean probedAgain = false;
                for (int i = 0; i < RulesetGenerator.PORTS.length; i++) {
                    int port = RulesetGenerator.PORTS[i];
                    Verdict want = e.at(port).verdict();
                    if (want != seen.get(i) && seen.get(i) == Verdict.DROP) {
                        // the ICMP error for a first SYN can be lost to the same race over IPv4 too, under load:
                        // ask once more, past the SYN retransmission
                        seen.set(i, probe(port, v6, TIMEOUT6_MS));
                        probedAgain = true;
                    }
                    if (want != seen.get(i)) {
                        bad.add("seed " + seed + " port " + port + ": kernel " + seen.get(i) + ", evaluator " + want + " (" + e.at(port).rule()
                                + ")\n" + dump + "\n" + String.join("\n", Evaluator.trace(List.of(rs), packet(v6), port)));
                    }
                }
                if (seenU != null) {
                    Packet udp = new Packet(v6 ? AddressFamily.IPV6 : AddressFamily.IPV4, Protocol.UDP, NS_IF,
                            AddrRange.literal(v6 ? HOST6 : HOST), AddrRange.literal(v6 ? DEV6 : DEV), "NEW");
                    Exposure eu = Evaluator.exposure(List.of(rs), udp);
                    for (Verdict v : seenU) udpSeen.merge(v, 1, Integer::sum);
                    for (int i = 0; i < RulesetGenerator.PORTS.length; i++) {
                        int port = RulesetGenerator.PORTS[i];
                        if (udpObservation(eu.at(port)) != seenU.get(i)) {
                            bad.add("seed " + seed + " udp/" + port + ": kernel " + seenU.get(i) + ", evaluator " + eu.at(port).verdict() + " ("
                                    + eu.at(port).rule() + ")\n" + dump + "\n" + String.join("\n", Evaluator.trace(List.of(rs), udp, port)));
                        }
                    }
                }
                assertThat(problems.hasErrors()).as("problems reading the kernel's dump: %s", problems.list()).isFalse();
                // a port probed again after the read-back: its packets are read again with the counters
                shadowedChecked += shadowedNeverHit(nft, v6, seed, probedAgain ? null : dump, bad);
            }
        } finally {
            Files.deleteIfExists(file);
            Lab.inNs(NS, T, "nft", "flush", "ruleset");
        }
        return bad;
    }

    @Test
    void iptablesRulesetsAgreeWithTheKernel() throws Exception {
        List<String> bad = run(false, false, Long.getLong("fw.seed", 1000), Integer.getInteger("fw.count", 110));
        assertThat(bad).as(bad.isEmpty() ? "" : bad.size() + " disagreements; first: " + bad.get(0)).isEmpty();
        assertThat(udpSeen.keySet()).as("UDP verdicts the kernel showed").contains(Verdict.ACCEPT, Verdict.DROP, Verdict.REJECT);
        assertThat(shadowedChecked).as("shadowed-rule claims checked against the kernel's counters").isGreaterThan(10);
    }

    @Test
    void nftRulesetsAgreeWithTheKernel() throws Exception {
        List<String> bad = run(true, false, Long.getLong("fw.nftseed", 5000), Integer.getInteger("fw.count", 100));
        assertThat(bad).as(bad.isEmpty() ? "" : bad.size() + " disagreements; first: " + bad.get(0)).isEmpty();
        assertThat(udpSeen.keySet()).as("UDP verdicts the kernel showed").contains(Verdict.ACCEPT, Verdict.DROP, Verdict.REJECT);
        assertThat(shadowedChecked).as("shadowed-rule claims checked against the kernel's counters").isGreaterThan(50);
    }

    @Test
    void ip6tablesRulesetsAgreeWithTheKernel() throws Exception {
        List<String> bad = run(false, true, Long.getLong("fw.seed6", 3000), Integer.getInteger("fw.count6", 25));
        assertThat(bad).as(bad.isEmpty() ? "" : bad.size() + " disagreements; first: " + bad.get(0)).isEmpty();
        assertThat(udpSeen.keySet()).as("UDP verdicts the kernel showed").contains(Verdict.ACCEPT, Verdict.DROP, Verdict.REJECT);
        assertThat(shadowedChecked).as("shadowed-rule claims checked against the kernel's counters").isGreaterThan(0);
    }

    @Test
    void udpRejectsOfEveryKindOverIpv6AgreeWithTheKernel() throws Exception {
        // the generated rulesets make UDP REJECTs rare over IPv6 (nft especially): every kind by hand,
        // hard (port-unreachable, admin-prohibited: an error on the socket) and soft (no-route,
        // address-unreachable: silence), in nft and in ip6tables
        String nft = """
                table inet filter {
                	chain input {
                		type filter hook input priority filter; policy accept;
                		udp dport 21 reject
                		udp dport 22 reject with icmpv6 type admin-prohibited
                		udp dport 23 reject with icmpv6 type no-route
                		udp dport 80 reject with icmpv6 type addr-unreachable
                		udp dport 443 drop
                		udp dport 1000 reject with icmpv6 type port-unreachable
                	}
                }
                """;
        String ipt = """
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                -A INPUT -p udp -m udp --dport 21 -j REJECT --reject-with icmp6-port-unreachable
                -A INPUT -p udp -m udp --dport 22 -j REJECT --reject-with icmp6-adm-prohibited
                -A INPUT -p udp -m udp --dport 23 -j REJECT --reject-with icmp6-no-route
                -A INPUT -p udp -m udp --dport 80 -j REJECT --reject-with icmp6-addr-unreachable
                -A INPUT -p udp -m udp --dport 443 -j DROP
                COMMIT
                """;
        List<String> bad = run(true, true, 90_000, List.of(nft));
        assertThat(udpSeen.keySet()).as("nft: UDP verdicts the kernel showed").contains(Verdict.ACCEPT, Verdict.DROP, Verdict.REJECT);
        bad.addAll(run(false, true, 91_000, List.of(ipt)));
        assertThat(udpSeen.keySet()).as("ip6tables: UDP verdicts the kernel showed").contains(Verdict.ACCEPT, Verdict.DROP, Verdict.REJECT);
        assertThat(bad).as(bad.isEmpty() ? "" : bad.size() + " disagreements; first: " + bad.get(0)).isEmpty();
    }

    @Test
    void nftRulesetsOverIpv6AgreeWithTheKernel() throws Exception {
        List<String> bad = run(true, true, Long.getLong("fw.nftseed6", 7000), Integer.getInteger("fw.count6", 25));
        assertThat(bad).as(bad.isEmpty() ? "" : bad.size() + " disagreements; first: " + bad.get(0)).isEmpty();
        assertThat(shadowedChecked).as("shadowed-rule claims checked against the kernel's counters").isGreaterThan(0);
        assertThat(udpSeen.keySet()).as("UDP verdicts the kernel showed (REJECT: see the handmade test)").contains(Verdict.ACCEPT, Verdict.DROP);
    }
}
