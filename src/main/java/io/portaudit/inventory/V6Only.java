package io.portaudit.inventory;

import io.portaudit.collect.CommandRunner;
import io.portaudit.model.Capture;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each socket's own IPV6_V6ONLY in portaudit's network namespace. {@code /proc/net/tcp6} does not
 * show it; only netlink sock_diag does, which portaudit (pure Java) cannot open, but {@code ss -e}
 * prints it ({@code v6only:0|1}, next to {@code ino:N}). So when {@code ss} is installed its answer is
 * the evidence; without it the scope falls back to {@code net.ipv6.bindv6only}, and says so.
 * {@code ss} sees only the namespace it runs in, so this is for the current namespace only.
 */
public final class V6Only {
    /** Socket inode → v6only, for the current namespace; an empty map when unknown. Remarks go to the list. */
    @FunctionalInterface
    public interface Source {
        Map<Long, Boolean> read(List<String> remarks);
    }

    /** No evidence (tests, a proc root that is not this machine's). */
    public static final Source NONE = remarks -> Map.of();

    private V6Only() {}

    /** Runs {@code ss -Htulne} (no {@code -p}: no second walk over every process's fds), bounded in time and size. */
    public static Source ss() {
        return remarks -> {
            String ss = CommandRunner.which("ss");
            if (ss == null) return Map.of();
            Capture c = new CommandRunner(Clock.systemUTC(), Duration.ofSeconds(10), 32 * 1024 * 1024)
                    .run("ss", List.of(ss, "-Htulne"), "local");
            if (c.exitStatus() == null || c.exitStatus() != 0 || c.truncated()) {
                remarks.add("ss -Htulne failed (" + (c.stderr().isBlank() ? "exit " + c.exitStatus() : c.stderr().strip())
                        + "): whether a :: socket also takes IPv4 falls back to net.ipv6.bindv6only");
                return Map.of();
            }
            return parse(c.stdout());
        };
    }

    /** {@code ino:N} and {@code v6only:B} of each {@code ss -e} line; lines without both are skipped. */
    static Map<Long, Boolean> parse(String ssOutput) {
        Map<Long, Boolean> out = new HashMap<>();
        int pos = 0, len = ssOutput.length();
        while (pos < len) {
            int eol = ssOutput.indexOf('\n', pos);
            if (eol < 0) eol = len;
            int v6 = ssOutput.indexOf(" v6only:", pos);
            if (v6 >= 0 && v6 < eol) {
                int ino = ssOutput.indexOf(" ino:", pos);
                long inode = ino >= 0 && ino < eol ? number(ssOutput, ino + 5, eol) : -1;
                long flag = number(ssOutput, v6 + 8, eol);
                if (inode > 0 && (flag == 0 || flag == 1)) out.put(inode, flag == 1);
            }
            pos = eol + 1;
        }
        return out;
    }

    private static long number(String s, int from, int limit) {
        long v = 0;
        int i = from;
        while (i < limit && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - from < 18) v = v * 10 + (s.charAt(i++) - '0');
        return i == from ? -1 : v;
    }
}
