package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.firewall.Firewall;
import io.portaudit.firewall.FirewallView;
import io.portaudit.firewall.LabeledText;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.Finding;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.PortRange;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.ShellWord;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 9: every device-derived string placed in a suggested command is shell-quoted. Each
 * remedy builder gets hostile names (command substitution, pipes, quotes, newlines, ESC); every
 * suggested command is then run by a real {@code sh} with stub commands: nothing in a name may run,
 * and a name reaches its command as one argument.
 */
class RemedyQuotingTest {
    static final List<String> COMMAND_WORDS = List.of("iptables", "ip6tables", "nft", "systemctl", "rc-update", "rc-service");

    /** Hostile names; MARK is replaced by a file that exists afterwards only if something in a name ran. */
    static List<String> hostile(Path mark) {
        String m = mark.toString();
        String touch = "/usr/bin/touch ";
        return List.of("a|b`id`$(id)", "x$(" + touch + m + ")y", "`" + touch + m + "`", "it's \"quoted\"; " + touch + m,
                "line1\n" + touch + m, "esc\u001b[31mred && " + touch + m, "-rf", "a b\ttab", "ok\r\n" + touch + m);
    }

    private static Listener listener(String comm, String unit, String container) {
        return new Listener(Protocol.TCP, AddressFamily.IPV4, "0.0.0.0", 23, BindScope.ALL, null, "LISTEN", 1, null,
                List.of(new Owner(123, comm, comm, "root", unit, container, null)), "netstat.txt:3");
    }

    /** Every remedy the builders make for these names. */
    static List<String> remedies(String name) {
        List<String> out = new ArrayList<>();
        for (String backend : new String[] {"iptables", "nft"}) {
            for (AddressFamily fam : AddressFamily.values()) {
                out.addAll(Remedies.deleteRule(new RuleRef(name, name, 3, name, "f:1"), fam, backend));
                out.addAll(Remedies.deleteRule(new RuleRef(name, name, 0, name, "f:1"), fam, backend));
                out.add(Remedies.dropPorts(Protocol.TCP, new PortRange(20, 23), fam, backend));
            }
        }
        out.addAll(Remedies.stopService(List.of(listener(name, null, null))));
        out.addAll(Remedies.stopService(List.of(listener("telnetd", name + ".service", null))));
        out.addAll(Remedies.stopService(List.of(listener("telnetd", "openrc:" + name, null))));
        out.addAll(Remedies.stopService(List.of(listener("telnetd", null, "docker:" + name))));
        out.add(Remedies.bindLoopback(listener(name, null, null)));
        return out;
    }

    /** The firewall analyses' remedies for a ruleset whose user chain carries the name. */
    static List<String> analysesRemedies(String name) {
        String chain = name.replaceAll("\\s", "_");
        String save = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:" + chain + " - [0:0]\n"
                + "-A INPUT -j " + chain + "\n-A " + chain + " -p tcp -m tcp --dport 1000:65535 -j ACCEPT\n"
                + "-A " + chain + " -p tcp -m tcp --dport 2000 -j ACCEPT\nCOMMIT\n";
        FirewallView v = Firewall.analyze(List.of(new LabeledText("iptables-save", "save.txt", save, null)), ServiceNames.iana());
        List<String> out = new ArrayList<>();
        for (Finding f : v.findings()) out.addAll(f.remedy());
        return out;
    }

    @Test
    void everyRemedyBuilderQuotesHostileNames(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("argv.log");
        for (String c : COMMAND_WORDS) {
            Path stub = bin.resolve(c);
            Files.writeString(stub, "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\n--\\n' \"$a\"; done >> '" + log + "'\n");
            assertThat(stub.toFile().setExecutable(true)).isTrue();
        }
        Path mark = dir.resolve("MARK");
        int commandsRun = 0;
        for (String name : hostile(mark)) {
            List<String> all = new ArrayList<>(remedies(name));
            all.addAll(analysesRemedies(name));
            for (String remedy : all) {
                String first = remedy.split(" ", 2)[0];
                if (!COMMAND_WORDS.contains(first)) {
                    // prose: a name appears only quoted
                    if (!name.matches("[A-Za-z0-9_./:@%+=,-]+")) {
                        String unquoted = remedy.replaceAll("'[^']*'(?:\\\\''[^']*')*", "");
                        assertThat(unquoted).as(remedy).doesNotContain(name).doesNotContain("\u001b").doesNotContain("\n");
                    }
                    continue;
                }
                Files.deleteIfExists(log);
                ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", remedy).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                // only the stubs can be found: no real firewall or service tool is ever reached
                pb.environment().put("PATH", bin.toString());
                Process p = pb.start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // PATH has the stubs first: a real firewall tool is never reached
                assertThat(p.exitValue()).as(remedy + "\n" + output).isZero();
                assertThat(mark).as("something in the name ran: " + remedy).doesNotExist();
                assertThat(output).as(remedy).doesNotContain("uid=");
                if (remedy.contains(ShellWord.quote(name)) && !remedy.startsWith("nft ")) {
                    List<String> args = List.of(Files.readString(log).split("\n--\n", -1));
                    assertThat(args).as(remedy).contains(name);
                }
                commandsRun++;
            }
        }
        assertThat(commandsRun).isGreaterThan(50);
    }

    @Test
    void theFixScriptCarriesHostileProgramNamesOnlyInComments(@TempDir Path dir) throws Exception {
        Path mark = dir.resolve("MARK");
        for (String name : hostile(mark)) {
            String comm = name.replaceAll("\\s", "_");
            if (comm.equals("-rf")) continue; // as a program name it is harmless text, and "rm -rf" is the script's own clean-up
            Path netstat = dir.resolve("netstat.txt");
            Files.writeString(netstat, """
                    Active Internet connections (only servers)
                    Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
                    tcp        0      0 0.0.0.0:23              0.0.0.0:*               LISTEN      123/%s
                    """.formatted(comm));
            String s = FixScriptTest.script(null, FixScriptTest.SEED + "440-iptables-L.txt", netstat.toString());
            for (String l : FixScriptTest.commands(s)) assertThat(l).as(s).doesNotContain(comm);
            assertThat(s).doesNotContain("\u001b", "\r");
            FixScriptTest.assertNeverUnsafe(s);
        }
    }

    @Test
    void aServiceIsStoppedOnlyByItsKnownName() {
        assertThat(Remedies.stopService(List.of(listener("in.telnetd", "telnet.socket", null)))).containsExactly("systemctl disable --now telnet.socket");
        assertThat(Remedies.stopService(List.of(listener("vsftpd", "openrc:vsftpd", null))))
                .containsExactly("rc-update del vsftpd default && rc-service vsftpd stop");
        assertThat(Remedies.stopService(List.of(listener("python3", null, null)))).singleElement().asString()
                .startsWith("stop python3 (pid 123)").doesNotContain("rc-update", "systemctl disable");
        assertThat(Remedies.stopService(List.of(listener("sshd", "session-3.scope", null)))).singleElement().asString()
                .doesNotContain("systemctl disable");
    }
}
