package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fix script run where it is meant to run: inside a network namespace that holds a copy of the
 * board's ruleset and real listeners on the board's ports. portaudit audits the board's outputs and
 * writes the script; {@code busybox sh fix.sh} runs in the namespace; then, from the host end of the
 * veth, connect() shows the failing ports closed and every other port that answered still answering;
 * a second run (under bash) changes nothing. Three boards: the seed's Armadillo-440 (iptables -L as
 * pasted, its iptables-save form loaded), a native nftables board (lab/pa-nft.nft), and an IPv6 board
 * whose ip6tables INPUT accepts everything (http on [::]:80, telnet on [::]:23).
 */
@LabTest
class FixScriptLabTest {
    static final Duration T = Duration.ofSeconds(30);
    static final String SEED = "src/test/resources/fixtures/seed/";

    private final List<String[]> devices = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (String[] d : devices) Lab.removeDevice(d[0], d[1]);
    }

    private String board(String ns, String link, int subnet) {
        devices.add(new String[] {ns, link});
        Lab.device(ns, link, "10.77." + subnet + ".1/24", "10.77." + subnet + ".2/24", "fd77:" + subnet + "::1/64",
                "fd77:" + subnet + "::2/64");
        return ns;
    }

    /** A listener on the board: socat answering every connection (TCP) or datagram (UDP) with a line. */
    private static void listen(String ns, String socatAddress, String ssFilterPort) throws InterruptedException {
        Lab.inNs(ns, T, "sh", "-c", "socat " + socatAddress + ",fork,reuseaddr SYSTEM:'echo hello' </dev/null >/dev/null 2>&1 &")
                .requireOk("listener " + socatAddress);
        for (int i = 0; i < 50 && !Lab.inNs(ns, T, "ss", "-Hltun", "sport = :" + ssFilterPort).out().contains(":" + ssFilterPort); i++) {
            Thread.sleep(100);
        }
    }

    /** Which of these ports accept a TCP connection from the host (a dropped SYN times out: not open). */
    private static Map<Integer, Boolean> probe(String address, int... ports) {
        Map<Integer, Boolean> out = new LinkedHashMap<>();
        for (int p : ports) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, p), 1500);
                out.put(p, true);
            } catch (Exception e) {
                out.put(p, false);
            }
        }
        return out;
    }

    private static String capture(String ns, String cmd, Path to) throws Exception {
        Lab.Result r = Lab.inNs(ns, T, "sh", "-c", cmd);
        assertThat(r.exit()).as(cmd + ": " + r.err()).isZero();
        Files.writeString(to, r.out());
        return to.toString();
    }

    /** The live firewall, without comments and counters, for "the second run changed nothing". */
    private static String firewallState(String ns) {
        String out = Lab.inNs(ns, T, "sh", "-c", "iptables-save; ip6tables-save; nft list ruleset").out();
        return out.replaceAll("(?m)^#.*\\n", "").replaceAll("\\[\\d+:\\d+\\]", "[0:0]")
                .replaceAll("packets \\d+ bytes \\d+", "packets 0 bytes 0");
    }

    private static Path fixScript(Path dir, String... auditArgs) {
        Path fix = dir.resolve("fix.sh");
        List<String> args = new ArrayList<>(List.of("audit", "-q", "--fix-script", fix.toString()));
        args.addAll(List.of(auditArgs));
        Lab.Result r = Lab.run(Duration.ofSeconds(120), Lab.portaudit(args.toArray(String[]::new)));
        assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(1);
        return fix;
    }

    /** Runs the script twice (busybox sh, then bash); returns the first run's output. */
    private static String runTwice(String ns, Path fix) throws Exception {
        String script = Files.readString(fix);
        assertThat(script).doesNotContain("PORT ", "<N>", "nft insert", "-P INPUT DROP", "rc-update del");
        Lab.Result first = Lab.inNs(ns, T, "busybox", "sh", fix.toString());
        assertThat(first.exit()).as(first.err() + first.out()).isZero();
        String after = firewallState(ns);
        Lab.Result second = Lab.inNs(ns, T, "bash", fix.toString());
        assertThat(second.exit()).as(second.err() + second.out()).isZero();
        assertThat(second.out()).contains("0 change(s) applied").doesNotContain("closed");
        assertThat(firewallState(ns)).as("a second run changes nothing").isEqualTo(after);
        return first.out();
    }

    @Test
    void seed440IptablesClosesFtpAndTelnetOnly(@TempDir Path dir) throws Exception {
        String ns = board("pa-h2-440", "pa-h2-440h", 72);
        Lab.inNs(ns, T, "sh", "-c", "iptables-restore < " + Lab.repo().resolve("lab/pa-440.rules")).requireOk("iptables-restore");
        // the seed's netstat -a: x11, http, ftp, telnet on 0.0.0.0, x11 on [::]
        for (int p : new int[] {21, 23, 80, 6000}) listen(ns, "TCP4-LISTEN:" + p, String.valueOf(p));
        listen(ns, "TCP6-LISTEN:6000,ipv6only=1", "6000");
        Map<Integer, Boolean> before4 = probe("10.77.72.2", 21, 23, 80, 6000);
        Map<Integer, Boolean> before6 = probe("fd77:72::2", 6000);
        assertThat(before4).containsEntry(21, true).containsEntry(23, true).containsEntry(80, true).containsEntry(6000, false);
        assertThat(before6).containsEntry(6000, true);

        Path fix = fixScript(dir, "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        String out = runTwice(ns, fix);
        assertThat(out).contains("IPv4", "closed tcp/21,23");
        assertThat(probe("10.77.72.2", 21, 23, 80)).containsEntry(21, false).containsEntry(23, false).containsEntry(80, true);
        assertThat(probe("fd77:72::2", 6000)).containsEntry(6000, false);
        // deleted by specification, not by number: the ftp and telnet ACCEPT rules are gone, their neighbours stay
        String rules = Lab.inNs(ns, T, "iptables-save", "-t", "filter").out();
        assertThat(rules).doesNotContain("-A INPUT -p tcp -m tcp --dport 21 -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT")
                .contains("-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 161 -j ACCEPT",
                        "-A INPUT -p tcp -m tcp --dport 20 -j ACCEPT", "-A INPUT -i lo -j ACCEPT", ":INPUT DROP");
        // loopback still reaches telnet on the board
        assertThat(Lab.inNs(ns, T, "sh", "-c", "socat -t5 -T5 - TCP4:127.0.0.1:23 </dev/null").out()).contains("hello");
    }

    @Test
    void seed440WithFailOnMediumStillCorrect(@TempDir Path dir) throws Exception {
        String ns = board("pa-h2-440m", "pa-h2-440mh", 72);
        Lab.inNs(ns, T, "sh", "-c", "iptables-restore < " + Lab.repo().resolve("lab/pa-440.rules")).requireOk("iptables-restore");
        for (int p : new int[] {21, 23, 80}) listen(ns, "TCP4-LISTEN:" + p, String.valueOf(p));
        Path fix = fixScript(dir, "--fail-on", "medium", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        runTwice(ns, fix);
        // at medium every exposed service fails the gate, http included
        assertThat(probe("10.77.72.2", 21, 23, 80)).containsEntry(21, false).containsEntry(23, false).containsEntry(80, false);
        assertThat(Lab.inNs(ns, T, "sh", "-c", "socat -t5 -T5 - TCP4:127.0.0.1:80 </dev/null").out()).contains("hello");
    }

    @Test
    void nativeNftablesBoard(@TempDir Path dir) throws Exception {
        String ns = board("pa-h2-nft", "pa-h2-nfth", 73);
        Lab.inNs(ns, T, "sh", "-c", "nft flush ruleset && nft -f " + Lab.repo().resolve("lab/pa-nft.nft")).requireOk("nft -f");
        listen(ns, "TCP4-LISTEN:21", "21");
        listen(ns, "TCP4-LISTEN:23", "23");
        listen(ns, "TCP6-LISTEN:23,ipv6only=1", "23");
        listen(ns, "TCP4-LISTEN:80", "80");
        listen(ns, "TCP6-LISTEN:80,ipv6only=1", "80");
        assertThat(probe("10.77.73.2", 21, 23, 80)).containsValues(true).doesNotContainValue(false);
        assertThat(probe("fd77:73::2", 23, 80)).doesNotContainValue(false);

        String fw = capture(ns, "nft list ruleset", dir.resolve("nft-list-ruleset.txt"));
        String ss = capture(ns, "ss -ltun", dir.resolve("ss-ltun.txt"));
        Path fix = fixScript(dir, "--input", "nft:" + fw, ss);
        assertThat(Files.readString(fix)).contains("table inet portaudit_fix").doesNotContain("$iptables", "ip6tables-restore\" <");
        runTwice(ns, fix);
        assertThat(probe("10.77.73.2", 21, 23, 80)).containsEntry(21, false).containsEntry(23, false).containsEntry(80, true);
        assertThat(probe("fd77:73::2", 23, 80)).containsEntry(23, false).containsEntry(80, true);
        // the board's own table is untouched
        assertThat(Lab.inNs(ns, T, "nft", "list", "table", "inet", "filter").out()).contains("tcp dport { 20-23, 80, 161 } accept");
    }

    @Test
    void ipv6BoardWithAcceptAllPolicyKeepsNeighbourDiscoveryAndHttp(@TempDir Path dir) throws Exception {
        String ns = board("pa-h2-v6", "pa-h2-v6h", 74);
        String v4 = """
                *filter
                :INPUT DROP [0:0]
                :FORWARD DROP [0:0]
                :OUTPUT ACCEPT [0:0]
                -A INPUT -i lo -j ACCEPT
                -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A INPUT -p icmp -j ACCEPT
                -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT
                COMMIT
                """;
        Path rules = dir.resolve("v4.rules");
        Files.writeString(rules, v4);
        Lab.inNs(ns, T, "sh", "-c", "iptables-restore < " + rules + " && ip6tables -L -n >/dev/null").requireOk("rules");
        listen(ns, "TCP4-LISTEN:80", "80");
        listen(ns, "TCP6-LISTEN:80,ipv6only=1", "80");
        listen(ns, "TCP6-LISTEN:23,ipv6only=1", "23");
        listen(ns, "TCP6-LISTEN:8080,ipv6only=1,bind=::1", "8080");
        assertThat(probe("fd77:74::2", 23, 80)).doesNotContainValue(false);

        String save4 = capture(ns, "iptables-save", dir.resolve("iptables-save.txt"));
        String save6 = capture(ns, "ip6tables-save", dir.resolve("ip6tables-save.txt"));
        String ss = capture(ns, "ss -ltun", dir.resolve("ss-ltun.txt"));
        Path fix = fixScript(dir, "--input", save4, "ip6tables-save:" + save6, ss);
        assertThat(Files.readString(fix)).contains("-A portaudit-fix -p ipv6-icmp -j RETURN", "-A portaudit-fix -p tcp -m tcp --dport 80 -j RETURN");
        runTwice(ns, fix);
        assertThat(probe("fd77:74::2", 23, 80)).containsEntry(23, false).containsEntry(80, true);
        assertThat(probe("10.77.74.2", 80)).containsEntry(80, true);
        // neighbour discovery still works: forget the board's link-layer address and connect again
        Lab.run(T, "ip", "-6", "neigh", "flush", "dev", "pa-h2-v6h");
        assertThat(probe("fd77:74::2", 80)).containsEntry(80, true);
        assertThat(Lab.run(T, "ip", "-6", "neigh", "show", "dev", "pa-h2-v6h").out()).contains("fd77:74::2");
        // and the policy itself was not changed
        assertThat(Lab.inNs(ns, T, "ip6tables-save").out()).contains(":INPUT ACCEPT");
    }

    @Test
    void legacyBackendBoardIsChangedWithIptablesLegacy(@TempDir Path dir) throws Exception {
        String ns = board("pa-h2-leg", "pa-h2-legh", 73);
        Lab.inNs(ns, T, "sh", "-c", "iptables-legacy-restore < " + Lab.repo().resolve("lab/pa-440.rules")).requireOk("iptables-legacy-restore");
        for (int p : new int[] {21, 23, 80}) listen(ns, "TCP4-LISTEN:" + p, String.valueOf(p));
        String save = capture(ns, "iptables-legacy-save", dir.resolve("iptables-save.txt"));
        assertThat(Files.readString(Path.of(save))).startsWith("# Generated by iptables-save v").doesNotContain("nf_tables");
        String ss = capture(ns, "ss -ltun", dir.resolve("ss-ltun.txt"));
        Path fix = fixScript(dir, "--input", save, ss);
        assertThat(Files.readString(fix)).contains("pa_tool iptables legacy");
        Lab.Result first = Lab.inNs(ns, T, "busybox", "sh", fix.toString());
        assertThat(first.exit()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("(iptables-legacy): closed tcp/21,23");
        assertThat(probe("10.77.73.2", 21, 23, 80)).containsEntry(21, false).containsEntry(23, false).containsEntry(80, true);
        assertThat(Lab.inNs(ns, T, "iptables-legacy-save").out()).contains("-A INPUT -j portaudit-fix")
                .doesNotContain("--dport 23 -j ACCEPT");
        // nothing went to the other backend
        assertThat(Lab.inNs(ns, T, "iptables-nft-save").out()).doesNotContain("portaudit-fix");
        Lab.Result second = Lab.inNs(ns, T, "bash", fix.toString());
        assertThat(second.out()).contains("already applied", "0 change(s) applied");
    }

    @Test
    void aFailedCheckAppliesNothing(@TempDir Path dir) throws Exception {
        String ns = board("pa-h2-chk", "pa-h2-chkh", 74);
        Lab.inNs(ns, T, "sh", "-c", "iptables-restore < " + Lab.repo().resolve("lab/pa-440.rules")).requireOk("iptables-restore");
        listen(ns, "TCP4-LISTEN:23", "23");
        Path fix = fixScript(dir, "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        // the IPv6 change (x11) is checked after the IPv4 one: make its check fail, as a kernel without ip6tables would
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : new String[] {"ip6tables-restore", "ip6tables-nft-restore"}) {
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"ip6tables-restore: line 2 failed\" >&2\nexit 1\n");
            assertThat(stub.toFile().setExecutable(true)).isTrue();
        }
        String before = firewallState(ns);
        Lab.Result r = Lab.inNs(ns, T, "env", "PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin", "busybox", "sh", fix.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("does not load", "nothing was applied");
        assertThat(firewallState(ns)).isEqualTo(before);
        assertThat(probe("10.77.74.2", 23)).containsEntry(23, true);
    }
}
