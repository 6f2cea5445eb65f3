package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console session recorded now, as a person would save it: in a namespace of its own (pa-h4, loopback
 * only) holding the Armadillo-440 factory ruleset and telnet on {@code [::]:23} (dual-stack, as busybox/inetd
 * bind it), {@code iptables -L}, {@code netstat -a} and {@code ip6tables-save} are typed into bash on a
 * pseudo-terminal ({@code script}: the terminal's own prompts, echoes and CRLF). The log, read whole, gives
 * telnet as an insecure protocol reachable on IPv4 (the rule accepts it) and on IPv6 (no IPv6 rule at all).
 */
@LabTest
class PastesLabTest {
    private static final String NS = "pa-h4";
    private static final Duration T = Duration.ofSeconds(30);
    private static final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() throws Exception {
        Lab.run(T, "ip", "route", "replace", "blackhole", "10.77.0.0/16");
        Lab.run(T, "ip", "-6", "route", "replace", "blackhole", "fd77::/16");
        Lab.run(T, "ip", "netns", "del", NS);
        Lab.run(T, "ip", "netns", "add", NS).requireOk("ip netns add");
        Lab.inNs(NS, T, "ip", "link", "set", "lo", "up").requireOk("lo up");
        Lab.inNs(NS, T, "iptables-restore", Lab.repo().resolve("lab/pa-440.rules").toString()).requireOk("iptables-restore");
        started.add(new ProcessBuilder("ip", "netns", "exec", NS, "socat", "TCP6-LISTEN:23,ipv6only=0,reuseaddr,fork", "EXEC:/bin/true")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        for (int i = 0; i < 50 && !Lab.inNs(NS, T, "ss", "-Htln").out().contains(":23 "); i++) Thread.sleep(100);
    }

    @AfterAll
    static void down() throws Exception {
        for (Process p : started) Lab.stop(p);
        Lab.run(T, "ip", "netns", "del", NS);
    }

    @Test
    void aConsoleSessionRecordedNowIsReadCommandByCommand() throws Exception {
        Path log = tmp.resolve("console.log");
        String typed = "sleep 1; printf '%s\\n' \"PS1='[armadillo \\\\W]\\\\$ '; cd\"; sleep 1; printf 'iptables -L\\n'; sleep 1; "
                + "printf 'netstat -a\\n'; sleep 1; printf 'ip6tables-save\\n'; sleep 1; printf 'exit\\n'; sleep 1";
        Lab.run(T, "sh", "-c", "{ " + typed + "; } | script -q -e -c 'ip netns exec " + NS
                + " env -i HOME=/root TERM=dumb LANG=C.UTF-8 bash --norc --noprofile -i' " + log).requireOk("script");
        String text = Files.readString(log);
        assertThat(text).contains("[armadillo ~]# iptables -L\r\n", "[armadillo ~]# netstat -a\r\n", "Chain INPUT (policy DROP)");

        MainTest.Run r = MainTest.run("audit", "--json", "--input", log.toString());
        JsonNode root = PastesTest.json(r);
        assertThat(root.path("problems")).as(r.err()).isEmpty();
        assertThat(PastesTest.findings(root)).contains("insecure-protocol tcp/23-23/ipv4", "insecure-protocol tcp/23-23/ipv6");
        assertThat(root.path("notes").toString()).contains("`iptables -L` read as iptables-L", "`netstat -a` read as netstat",
                "`ip6tables-save` (line", "printed no table");
    }
}
