package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fix script's content for the seed's 440, an nftables board, an IPv6 board with an accept-all
 * policy and a board without a ruleset. {@link FixScriptLabTest} runs these scripts on real rulesets.
 */
class FixScriptTest {
    static final String SEED = "src/test/resources/fixtures/seed/";
    static final String FIX = "src/test/resources/fixtures/fixscript/";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    static String script(Severity failOn, String... kindAndFile) throws Exception {
        List<InputSniffer.Labeled> in = new ArrayList<>();
        for (String kf : kindAndFile) {
            int colon = kf.indexOf(':');
            String kind = colon > 0 ? kf.substring(0, colon) : null;
            String file = colon > 0 ? kf.substring(colon + 1) : kf;
            in.add(new InputSniffer.Labeled(file, kind, Files.readString(Path.of(file), StandardCharsets.UTF_8)));
        }
        AuditInput input = InputSniffer.read(in, ServiceNames.iana(), java.time.Clock.systemUTC());
        AuditResult r = Auditor.audit(input, Policy.none(), failOn, ServiceNames.iana(), CLOCK);
        return FixScript.render(r);
    }

    /** Lines the shell executes (not comments, not here-document bodies). */
    static List<String> commands(String script) {
        List<String> out = new ArrayList<>();
        boolean here = false;
        for (String l : script.split("\n")) {
            if (here) {
                if (l.equals("PORTAUDIT_FIX_EOF")) here = false;
                continue;
            }
            if (l.contains("<<'PORTAUDIT_FIX_EOF'")) here = true;
            if (!l.strip().startsWith("#")) out.add(l);
        }
        return out;
    }

    static void assertNeverUnsafe(String script) throws Exception {
        assertThat(script).doesNotContain("PORT ", "<N>", "nft insert", "-P INPUT DROP", "policy drop")
                .doesNotContain("-D INPUT 1", "-D INPUT 2", "-D INPUT 3", "-D INPUT 4", "-D INPUT 5");
        // loopback and established traffic pass the script's own chain/table before any drop
        if (script.contains("-A portaudit-fix ")) {
            assertThat(script.indexOf("-A portaudit-fix -i lo -j RETURN")).isLessThan(script.indexOf("-j DROP"));
            assertThat(script.indexOf("-A portaudit-fix -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN"))
                    .isLessThan(script.indexOf("-j DROP"));
        }
        if (script.contains("table inet portaudit_fix {")) {
            assertThat(script.indexOf("iifname \"lo\" accept")).isLessThan(script.indexOf(" drop\n"));
            assertThat(script.indexOf("ct state established,related accept")).isLessThan(script.indexOf(" drop\n"));
        }
        for (String sh : new String[] {"/bin/sh", "/usr/bin/busybox", "/bin/bash"}) {
            if (!new File(sh).canExecute()) continue;
            Path f = Files.createTempFile("fix", ".sh");
            try {
                Files.writeString(f, script);
                List<String> cmd = sh.endsWith("busybox") ? List.of(sh, "sh", "-n", f.toString()) : List.of(sh, "-n", f.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(sh + " -n: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
            } finally {
                Files.delete(f);
            }
        }
    }

    @Test
    void seed440DefaultGateClosesFtpAndTelnetDeletingTheirRulesBySpecification() throws Exception {
        String s = script(null, SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        assertNeverUnsafe(s);
        assertThat(s).contains("iptables=$(pa_tool iptables any)", "\"$iptables-restore\" --test < \"$tmp/iptables.new\"",
                "-A INPUT -p tcp -m tcp --dport 21 -j ACCEPT\n", "-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT\n",
                "-A portaudit-fix -p tcp -m tcp --dport 21 -j DROP", "-A portaudit-fix -p tcp -m tcp --dport 23 -j DROP",
                // x11 on [::]:6000 with no IPv6 ruleset: closed on IPv6 with ip6tables, the board's tool
                "ip6tables=$(pa_tool ip6tables any)", "-A portaudit-fix -p tcp -m tcp --dport 6000 -j DROP");
        assertThat(s).doesNotContain("--dport 80 -j ACCEPT\n", "--dport 80 -j DROP", "--dport 20 -j ACCEPT\n");
        // the check comes before any apply
        assertThat(s.indexOf("--test <")).isLessThan(s.indexOf("\"$iptables-restore\" < "));
        assertThat(s.indexOf("\"$ip6tables-restore\" --test")).isLessThan(s.indexOf("\"$iptables-restore\" < "));
    }

    @Test
    void failOnMediumClosesWithoutPlaceholdersAndKeepsNothingItFails() throws Exception {
        String s = script(Severity.MEDIUM, SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        assertNeverUnsafe(s);
        assertThat(s).contains("-A portaudit-fix -p tcp -m tcp --dport 80 -j DROP", "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\n",
                "-A portaudit-fix -p tcp -m tcp --dport 1024:5999 -j DROP", "-A portaudit-fix -p udp -m udp --dport 1024:65535 -j DROP",
                "-A INPUT -p udp -m udp --dport 1024:65535 -j ACCEPT\n");
        // the tcp range rule also accepts x11's dropped ports' neighbours: it is never deleted as a whole
        assertThat(s).doesNotContain("-A INPUT -p tcp -m tcp --dport 1024:65535 -j ACCEPT\n");
        assertThat(s).contains("NOT CLOSED by this script: [medium] ambiguous-listing");
    }

    @Test
    void nftablesBoardGetsATableOfItsOwnNeverAnInsertIntoAMissingTable() throws Exception {
        String s = script(null, "nft:lab/pa-nft.nft", FIX + "nft-board-ss.txt");
        assertNeverUnsafe(s);
        assertThat(s).contains("table inet portaudit_fix\ndelete table inet portaudit_fix\ntable inet portaudit_fix {",
                "meta nfproto ipv4 tcp dport { 21, 23 } drop", "meta nfproto ipv6 tcp dport { 23 } drop",
                "nft -c -f \"$tmp/nft.new\" || pa_fail");
        assertThat(commands(s)).noneMatch(l -> l.contains("$iptables") || l.contains("ip6tables"));
        assertThat(s.indexOf("nft -c -f")).isLessThan(s.indexOf("nft -f \"$tmp/nft.new\""));
    }

    @Test
    void ipv6AcceptAllKeepsLoopbackEstablishedIcmpv6AndTheRealListenersOnly(@TempDir Path dir) throws Exception {
        Path v6 = dir.resolve("ip6tables-save.txt");
        Files.writeString(v6, """
                # Generated by ip6tables-save v1.8.9 (nf_tables) on Thu Dec  3 09:20:00 2026
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                COMMIT
                """);
        String s = script(null, "ip6tables-save:" + v6, FIX + "v6-board-ss.txt");
        assertNeverUnsafe(s);
        assertThat(s).contains("ip6tables=$(pa_tool ip6tables nf_tables)", "-A portaudit-fix -p tcp -m tcp --dport 23 -j DROP",
                "-A portaudit-fix -p ipv6-icmp -j RETURN", "-A portaudit-fix -p tcp -m tcp --dport 80 -j RETURN", "-A portaudit-fix -j DROP");
        // no example port nothing listens on
        assertThat(s).doesNotContain("--dport 22 -j RETURN", "--dport 443");
        assertThat(s.indexOf("-p ipv6-icmp -j RETURN")).isLessThan(s.indexOf("-A portaudit-fix -j DROP"));
    }

    @Test
    void withoutARulesetNothingIsGuessedAndTheScriptSaysWhatItCannotClose() throws Exception {
        String s = script(null, SEED + "440-netstat-a.txt");
        assertNeverUnsafe(s);
        assertThat(commands(s)).noneMatch(l -> l.contains("iptables") || l.contains("nft "));
        assertThat(s).contains("NOT CLOSED by this script", "backend (iptables legacy, iptables-nft or nftables) is unknown", "exit 1",
                "# NOT CLOSED (see below); the plan was: closes tcp/23 on IPv4");
        assertThat(s).doesNotContain("\n# closes ");
    }

    @Test
    void aServiceStopIsACommentAndOnlyForAServiceWhoseNameIsKnown() throws Exception {
        String rules = Files.readString(Path.of("lab/pa-440.rules"));
        FirewallFacts fw = FirewallAdapter.fromTexts(List.of(new io.portaudit.model.Capture("iptables-save", "iptables-save", 0, rules, "",
                Scenarios.AT, "pa-440.rules", false)), ServiceNames.iana());
        List<io.portaudit.model.Listener> ls = List.of(
                new io.portaudit.model.Listener(io.portaudit.model.Protocol.TCP, io.portaudit.model.AddressFamily.IPV4, "0.0.0.0", 21,
                        io.portaudit.model.BindScope.ALL, null, "LISTEN", 1, null,
                        List.of(new io.portaudit.model.Owner(700, "vsftpd", "/usr/sbin/vsftpd", "root", "openrc:vsftpd", null, null)),
                        "proc"),
                new io.portaudit.model.Listener(io.portaudit.model.Protocol.TCP, io.portaudit.model.AddressFamily.IPV4, "0.0.0.0", 23,
                        io.portaudit.model.BindScope.ALL, null, "LISTEN", 2, null,
                        List.of(new io.portaudit.model.Owner(701, "python3", "python3 telnet.py", "root", null, null, null)), "proc"));
        AuditInput in = new AuditInput(Scenarios.snapshot(), fw, ls, null, List.of(), List.of());
        String s = FixScript.render(Auditor.audit(in, Policy.none(), null, ServiceNames.iana(), CLOCK));
        assertNeverUnsafe(s);
        assertThat(s).contains("# closes tcp/21 on IPv4", "#   and, if the product does not need it: rc-update del vsftpd default && rc-service vsftpd stop",
                "-A portaudit-fix -p tcp -m tcp --dport 23 -j DROP");
        assertThat(s).doesNotContain("python3 default", "systemctl disable --now python3");
        assertThat(commands(s)).noneMatch(l -> l.contains("rc-update") || l.contains("rc-service"));
    }
}
