package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option values out of range are usage errors, and strings from a policy never reach the terminal raw. */
class StrictOptionsTest {
    static final String SEED = SeedAuditTest.SEED;

    @Test
    void negativeOrUnreadableTimesAndRatesAreRejectedBeforeAnyScan() {
        String[][] bad = {
            {"--scan-delay", "-1s"}, {"--scan-delay", "-5"}, {"--host-timeout", "-1m"}, {"--scan-delay", "NaN"},
            {"--scan-delay", "Infinity"}, {"--host-timeout", "1e9h"}, {"--host-timeout", "99999h"},
            {"--initial-rtt-timeout", "0"}, {"--max-rtt-timeout", "-100ms"}, {"--version-timeout", "0s"},
            {"--min-rtt-timeout", "2s", "--max-rtt-timeout", "1s"},
            {"--min-rate", "-1"}, {"--max-rate", "NaN"}, {"--min-rate", "Infinity"}, {"--min-rate", "10", "--max-rate", "5"},
            {"--max-retries", "-1"}, {"--max-parallelism", "0"}, {"--hostgroup", "-3"}, {"-T", "9"}, {"--top-ports", "-5"},
            {"--stats-every", "-2s"},
        };
        for (String[] opts : bad) {
            List<String> args = new ArrayList<>(List.of("scan", "-p", "1"));
            args.addAll(List.of(opts));
            args.add("127.0.0.1");
            MainTest.Run r = MainTest.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", opts) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", opts)).startsWith("portaudit: ").contains(opts[opts.length - 2]);
            assertThat(r.out()).as("nothing scanned").isEmpty();
        }
    }

    @Test
    void sshTimeoutsMustBeFinitePositiveAndBounded() {
        for (String[] opts : new String[][] {{"--connect-timeout", "NaN"}, {"--command-timeout", "-1"}, {"--connect-timeout", "Infinity"},
                {"--command-timeout", "1e12"}, {"--connect-timeout", "0"}}) {
            MainTest.Run r = MainTest.run("audit", "--ssh", "root@127.0.0.1", opts[0], opts[1]);
            assertThat(r.exit()).as(String.join(" ", opts)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", opts)).contains("timeout");
        }
    }

    @Test
    void escapeSequencesFromAPolicyNeverReachTheTerminal(@TempDir Path dir) throws Exception {
        // ESC ] 0 ; title BEL (sets the window title), ESC [ 2 J (clears the screen), a C1 CSI (0x9b)
        String esc = "\u001b]0;owned\u0007\u001b[2J\u009b31m";
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, "product: \"board" + yaml(esc) + "\"\n"
                + "allow:\n  - {port: tcp/22, program: \"dropbear" + yaml(esc) + "\", comment: \"c" + yaml(esc) + "\"}\n"
                + "  - {port: tcp/4444, comment: \"never" + yaml(esc) + "\"}\n"
                + "exceptions:\n  - {finding: insecure-protocol, port: tcp/23, reason: \"lab" + yaml(esc) + "\"}\n");
        MainTest.Run r = MainTest.run("audit", "--color", "never", "--policy", policy.toString(), "--input", SEED + "440-iptables-L.txt",
                SEED + "440-netstat-a.txt", SEED + "440-nmap.txt");
        assertThat(r.exit()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
        assertThat(r.out()).contains("board\\x1b]0;owned\\x07", "compared with board").doesNotContain("\u001b", "\u0007", "\u009b");
        assertThat(r.err()).doesNotContain("\u001b", "\u0007", "\u009b");
        MainTest.Run md = MainTest.run("audit", "-o", "markdown", "--policy", policy.toString(), "--input", SEED + "440-iptables-L.txt");
        assertThat(md.out()).doesNotContain("\u001b", "\u0007", "\u009b");
        // an error message that quotes the policy's own text
        Files.writeString(policy, "\"prod\\e[2Juct\": x\n");
        MainTest.Run err = MainTest.run("audit", "--policy", policy.toString(), "--input", SEED + "440-iptables-L.txt");
        assertThat(err.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.err()).contains("unknown key 'prod\\x1b[2Juct'").doesNotContain("\u001b");
    }

    /** A YAML double-quoted string escape for each control character. */
    private static String yaml(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c < 0x20 || (c >= 0x7f && c < 0xa0) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        return b.toString();
    }
}
