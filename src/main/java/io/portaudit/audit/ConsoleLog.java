package io.portaudit.audit;

import io.portaudit.model.InputText;
import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A paste that holds shell prompt lines ({@code [armadillo ~]# iptables -L}, {@code root@armadillo:~# netstat -a},
 * {@code $ ss -tulpn}, busybox {@code ~ # }), up to a whole serial-console log with several commands, boot
 * messages and kernel lines: split into the outputs of the commands, each read as its command says.
 *
 * <p>Every line ends up in exactly one of these: a part that is read (by the parser of its command's kind,
 * with the file's own line numbers), knowingly skipped and named in the one note this returns (prompt
 * lines, kernel {@code printk} lines, terminal control sequences, login prompts, console output before the
 * first prompt, the output of commands portaudit does not read), or a {@link ParseProblem} naming its lines
 * (the output of a command portaudit reads that is not that command's listing, such as
 * {@code -sh: ss: not found}; text that looks like a listing but no prompt says which command printed it).
 */
public final class ConsoleLog {
    /**
     * One command's output that is read.
     *
     * @param command    the command as typed, or null when no prompt line names it (read by its content)
     * @param promptLine the prompt line's number (0 when none)
     * @param firstLine  first line of the output (1-based, in the file)
     * @param lastLine   last line of the output
     * @param kind       the {@link InputSniffer#KINDS} kind it is read as
     * @param text       the output with every other line of the file left empty, so parsers number lines as the file does
     * @param own        the output's lines alone (for content detection)
     */
    public record Part(String command, int promptLine, int firstLine, int lastLine, String kind, String text, String own) {}

    /** The parts to read, the problems found while splitting, one note saying what was read and one what was skipped. */
    public record Split(List<Part> parts, List<ParseProblem> problems, List<String> notes, int commands) {}

    /** ANSI control sequences (colour, bracketed paste, window title) a prompt carries on a serial console. */
    private static final Pattern ESCAPES = Pattern.compile("\u001b(?:\\[[0-9;?<=>]*[ -/]*[@-~]|\\][^\u0007\u001b]*(?:\u0007|\u001b\\\\)|[()][0-9A-Za-z]|[=>78])");
    /** A prompt with a host, user or directory: {@code [armadillo ~]#}, {@code root@armadillo:~#}, {@code armadillo:~#}, {@code ~ #}. */
    private static final Pattern RICH_PROMPT = Pattern.compile(
            "^(?:\\[[^\\]]{1,80}\\]|[^\\s@#$\\[\\]]{1,64}@[^\\s:#$]{1,64}(?::[^\\s#$]{0,200})?|[\\w.-]{1,64}:[~/][^\\s#$]{0,200}|[~/][^\\s#$]{0,200})"
                    + " ?[#$%\uFF03\uFF04](?: (.*))?$");
    /**
     * A bare prompt, {@code # cmd}, {@code $ cmd}, or one word and the sign, {@code bash-5.2# cmd}: a prompt only
     * when its command's first word is a known command (or, after a word, when nothing was typed).
     */
    private static final Pattern BARE_PROMPT = Pattern.compile("^([\\w.-]{1,64})?[#$>%\uFF03\uFF04](?: (.*))?$");
    private static final Pattern KERNEL = Pattern.compile("^(?:<\\d>)?\\[\\s*\\d+\\.\\d+\\]");
    private static final Pattern LOGIN = Pattern.compile(
            "^(?:\\S+ login:.*|Password:.*|Last login:.*|Login incorrect.*|\\[sudo\\] password for .*|Welcome to .*)$");
    private static final Pattern PROC_NET = Pattern.compile("^/proc(?:/(?:\\d+|self))?/net/(?:tcp|tcp6|udp|udp6)$");
    private static final Pattern SAVE_TABLE = Pattern.compile("\\*(filter|nat|mangle|raw|security)\\s*");
    private static final Pattern NFT_TABLE = Pattern.compile("table (ip|ip6|inet|arp|bridge|netdev) \\S+ \\{.*");
    private static final Pattern SS_HEADER = Pattern.compile("State\\s+Recv-Q\\s+Send-Q.*");
    private static final Pattern PROC_HEADER = Pattern.compile("\\s*sl\\s+local_address.*");
    private static final Set<String> WRAPPERS = Set.of("sudo", "doas", "env", "busybox", "time", "command", "exec", "nice", "nohup");
    /** Commands a bare {@code # }/{@code $ } line must start with to count as a prompt. */
    private static final Set<String> KNOWN = Set.of("iptables", "ip6tables", "iptables-save", "ip6tables-save", "iptables-legacy",
            "ip6tables-legacy", "iptables-nft", "ip6tables-nft", "iptables-legacy-save", "ip6tables-legacy-save", "iptables-nft-save",
            "ip6tables-nft-save", "iptables-restore", "ip6tables-restore", "nft", "netstat", "ss", "nmap", "cat", "ls", "cd", "pwd",
            "uname", "hostname", "ip", "ifconfig", "route", "ps", "top", "free", "df", "du", "mount", "dmesg", "uptime", "date", "echo",
            "grep", "which", "id", "whoami", "lsmod", "modprobe", "sysctl", "systemctl", "service", "rc-service", "rc-status",
            "rc-update", "sudo", "doas", "su", "exit", "logout", "clear", "history", "less", "more", "head", "tail", "reboot", "ping",
            "podman", "docker", "journalctl", "logread", "apk", "apt", "opkg", "env", "sh", "bash", "ash", "lsof", "busybox", "export",
            "tcpdump", "wget", "curl", "portaudit", "abos-ctrl", "persist_file");

    private static final Pattern SCAN_COMMENT = Pattern.compile("# portaudit (\\S+ scan initiated |done at ).*");

    private ConsoleLog() {}

    /** The command a prompt line shows ("" for a prompt without a command), or null when the line is no prompt. */
    static String promptCommand(String line) {
        if (line.isEmpty() || line.length() > 4000) return null;
        // the header and footer of portaudit's own -oN output look like a root prompt running "portaudit"
        if (line.startsWith("# portaudit ") && SCAN_COMMENT.matcher(line).matches()) return null;
        boolean sign = false;
        for (int i = 0; i < line.length() && !sign; i++) {
            char c = line.charAt(i);
            sign = c == '#' || c == '$' || c == '%' || c == '>' || c == '\uFF03' || c == '\uFF04';
        }
        if (!sign) return null;
        String l = line.indexOf('\u001b') >= 0 ? ESCAPES.matcher(line).replaceAll("") : line;
        // bracketed-paste markers whose ESC a terminal logger dropped
        if (l.startsWith("[?2004")) l = l.replaceAll("\\[\\?2004[hl]", "");
        Matcher m = RICH_PROMPT.matcher(l);
        if (m.matches()) return m.group(1) == null ? "" : m.group(1).strip();
        m = BARE_PROMPT.matcher(l);
        if (m.matches()) {
            String cmd = m.group(2) == null ? "" : m.group(2).strip();
            if (cmd.isEmpty()) return m.group(1) != null ? "" : null;
            String w = firstWord(cmd);
            if (w != null && (KNOWN.contains(w) || (m.group(1) != null && cmd.matches("[A-Za-z_][A-Za-z0-9_]*=.*")))) return cmd;
        }
        return null;
    }

    /** The command's words after wrappers ({@code sudo -E}, {@code busybox}, {@code LANG=C}) and a directory. */
    private static List<String> words(String command) {
        String first = command;
        int pipe = first.indexOf('|');
        if (pipe >= 0) first = first.substring(0, pipe);
        List<String> w = new ArrayList<>(List.of(Text.fields(first)));
        while (!w.isEmpty()) {
            String x = w.get(0);
            String base = x.substring(x.lastIndexOf('/') + 1);
            if (WRAPPERS.contains(base) || x.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                w.remove(0);
                while (!w.isEmpty() && w.get(0).startsWith("-") && WRAPPERS.contains(base)) {
                    String opt = w.remove(0);
                    if ((opt.equals("-u") || opt.equals("-g")) && !w.isEmpty()) w.remove(0);
                }
                continue;
            }
            w.set(0, base);
            break;
        }
        return w;
    }

    private static String firstWord(String command) {
        List<String> w = words(command);
        return w.isEmpty() ? null : w.get(0).replaceAll("[;&|]+$", "");
    }

    /** The input kind a command's output is, or null when portaudit does not read it as a device's state. */
    static String kindOfCommand(String command) {
        List<String> w = words(command);
        if (w.isEmpty()) return null;
        String c = w.get(0);
        List<String> args = w.subList(1, w.size());
        return switch (c) {
            case "iptables", "iptables-legacy", "iptables-nft" -> listKind(args, false);
            case "ip6tables", "ip6tables-legacy", "ip6tables-nft" -> listKind(args, true);
            case "iptables-save", "iptables-legacy-save", "iptables-nft-save" -> "iptables-save";
            case "ip6tables-save", "ip6tables-legacy-save", "ip6tables-nft-save" -> "ip6tables-save";
            case "nft" -> args.contains("list") && (args.contains("ruleset") || args.contains("table"))
                    ? (args.contains("-j") || args.contains("--json") || args.stream().anyMatch(a -> a.matches("-[a-z]*j[a-z]*"))
                            ? "nft-json" : "nft")
                    : null;
            case "netstat" -> "netstat";
            case "ss" -> "ss";
            case "cat" -> !args.isEmpty() && args.stream().allMatch(a -> PROC_NET.matcher(a).matches()) ? "proc-net" : null;
            case "nmap" -> {
                int x = args.indexOf("-oX");
                yield x >= 0 && x + 1 < args.size() && args.get(x + 1).equals("-") ? "nmap-xml" : "nmap-normal";
            }
            default -> null;
        };
    }

    private static String listKind(List<String> args, boolean v6) {
        String kind = null;
        for (String a : args) {
            if (a.equals("--list-rules")) kind = "S";
            else if (a.equals("--list")) kind = "L";
            else if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1 && a.substring(1).chars().allMatch(Character::isLetter)) {
                if (a.indexOf('S') > 0) kind = "S";
                else if (a.indexOf('L') > 0) kind = "L";
            }
        }
        if (kind == null) return null;
        return (v6 ? "ip6tables-" : "iptables-") + kind;
    }

    /** True for a command that changes the firewall (so a listing printed before it may not be the state after). */
    static boolean changesFirewall(String command) {
        List<String> w = words(command);
        if (w.isEmpty()) return false;
        String c = w.get(0);
        List<String> args = w.subList(1, w.size());
        if (c.matches("ip6?tables(-legacy|-nft)?")) {
            return args.stream().anyMatch(a -> a.matches("-[AIDRFPXNE]|--(append|insert|delete|replace|flush|policy|delete-chain|new-chain|rename-chain)"));
        }
        if (c.matches("ip6?tables(-legacy|-nft)?-restore")) return true;
        if (c.equals("nft")) return args.stream().anyMatch(a -> Set.of("add", "insert", "delete", "flush", "replace", "create", "-f", "destroy").contains(a));
        if (c.equals("rc-service") || c.equals("service") || c.equals("systemctl")) {
            return args.stream().anyMatch(a -> a.matches("(ip6?tables|nftables|firewalld|ufw)(\\.service)?"))
                    && args.stream().anyMatch(a -> Set.of("start", "stop", "restart", "reload").contains(a));
        }
        return c.equals("ufw") || c.equals("firewall-cmd");
    }

    private static String group(String kind) {
        return InputSniffer.view(kind);
    }

    private static boolean emptyMeansNoRules(String kind) {
        return kind.equals("iptables-save") || kind.equals("ip6tables-save") || kind.equals("nft");
    }

    private enum Skip { PROMPT, KERNEL, CONTROL, LOGIN }

    private static Skip noise(String line) {
        if (KERNEL.matcher(line).find()) return Skip.KERNEL;
        if (line.indexOf('\u001b') >= 0 && ESCAPES.matcher(line).replaceAll("").isBlank()) return Skip.CONTROL;
        if (LOGIN.matcher(line).matches()) return Skip.LOGIN;
        return null;
    }

    /** Splits a normalised text at its prompt lines; empty when it has none (a plain listing). */
    public static Optional<Split> split(String source, String text) {
        String[] lines = Text.lines(text);
        List<Integer> prompts = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String cmd = promptCommand(lines[i]);
            if (cmd != null) {
                prompts.add(i);
                commands.add(cmd);
            }
        }
        if (prompts.isEmpty()) return byHeaders(source, lines);

        List<ParseProblem> problems = new ArrayList<>();
        Map<Skip, List<Integer>> skipped = new LinkedHashMap<>();
        for (int p : prompts) skipped.computeIfAbsent(Skip.PROMPT, k -> new ArrayList<>()).add(p + 1);
        List<String> readNotes = new ArrayList<>();
        List<String> skipNotes = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        int realCommands = 0;
        for (int r = -1; r < prompts.size(); r++) {
            int from = r < 0 ? 0 : prompts.get(r) + 1;
            int to = r + 1 < prompts.size() ? prompts.get(r + 1) : lines.length; // exclusive
            String cmd = r < 0 ? null : commands.get(r);
            if (cmd != null && !cmd.isEmpty()) realCommands++;
            List<Integer> content = new ArrayList<>();
            List<Integer> preamble = new ArrayList<>();
            for (int i = from; i < to; i++) {
                if (lines[i].isBlank()) continue;
                Skip s = noise(lines[i]);
                // after a command, only its own password prompt is login noise ("Welcome to" may be what it printed)
                if (s == Skip.LOGIN && r >= 0 && !lines[i].startsWith("[sudo]") && !lines[i].startsWith("Password:")) s = null;
                if (s != null && r < 0) {
                    preamble.add(i); // counted with the console output before the first prompt
                } else if (s != null) {
                    skipped.computeIfAbsent(s, k -> new ArrayList<>()).add(i + 1);
                } else {
                    content.add(i);
                }
            }
            String promptAt = r < 0 ? null : L10n.t("cl.line", prompts.get(r) + 1);
            String cmdKind = cmd == null || cmd.isEmpty() ? null : kindOfCommand(cmd);
            String own = join(lines, content, false);
            String range = content.isEmpty() ? "" : range(content);
            if (r < 0 && !preamble.isEmpty() && (content.isEmpty() || InputSniffer.sniff(own).isEmpty())) {
                List<Integer> all = new ArrayList<>(preamble);
                all.addAll(content);
                all.sort(null);
                skipNotes.add(L10n.t("cl.skip.preamble", range(all)));
                continue;
            }
            if (r < 0 && !preamble.isEmpty()) {
                for (int i : preamble) skipped.computeIfAbsent(noise(lines[i]), k -> new ArrayList<>()).add(i + 1);
            }
            if (cmdKind == null) {
                if (content.isEmpty()) continue;
                Optional<String> sniffed = InputSniffer.sniff(own);
                if (sniffed.isPresent() && (cmd == null || cmd.isEmpty())) {
                    // a listing no prompt line names (the top of a log cut by the scrollback, a paste without its prompt)
                    parts.add(part(null, 0, lines, content, sniffed.get(), own));
                    readNotes.add(L10n.t("cl.read.nameless", range, sniffed.get()));
                } else if (sniffed.isPresent()) {
                    problems.add(ParseProblem.warning(source, content.get(0) + 1, 1, lines[content.get(0)],
                            L10n.t("cl.pp.otheroutput", range, Text.printable(cmd, 80), promptAt, sniffed.get())));
                } else if (cmd == null) {
                    skipNotes.add(L10n.t("cl.skip.preamble", range));
                } else if (cmd.isEmpty()) {
                    skipNotes.add(L10n.t("cl.skip.emptyprompt", range, promptAt));
                } else {
                    skipNotes.add(L10n.t("cl.skip.command", range, Text.printable(cmd, 60)));
                }
                continue;
            }
            boolean onlyComments = content.stream().allMatch(i -> lines[i].strip().startsWith("#"));
            if (content.isEmpty() || (onlyComments && emptyMeansNoRules(cmdKind))) {
                if (emptyMeansNoRules(cmdKind)) {
                    parts.add(content.isEmpty()
                            ? new Part(cmd, prompts.get(r) + 1, prompts.get(r) + 1, prompts.get(r) + 1, cmdKind, "", "")
                            : part(cmd, prompts.get(r) + 1, lines, content, cmdKind, own));
                    readNotes.add(L10n.t("cl.read.notable", Text.printable(cmd, 60), promptAt, InputSniffer.noRules(cmdKind)));
                } else {
                    problems.add(ParseProblem.error(source, prompts.get(r) + 1, 1, lines[prompts.get(r)],
                            L10n.t("cl.pp.nothing", Text.printable(cmd, 80), cmdKind)));
                }
                continue;
            }
            Optional<String> sniffed = InputSniffer.sniff(own);
            String kind = cmdKind;
            if (sniffed.isEmpty() || !group(sniffed.get()).equals(group(cmdKind))) {
                problems.add(ParseProblem.error(source, content.get(0) + 1, 1, lines[content.get(0)],
                        L10n.t("cl.pp.notkind", range, Text.printable(cmd, 80), promptAt, cmdKind)));
                continue;
            }
            parts.add(part(cmd, prompts.get(r) + 1, lines, content, kind, own));
            readNotes.add(L10n.t(cmd.contains("|") ? "cl.read.aspipe" : "cl.read.as", range, Text.printable(cmd, 60), kind));
        }

        // the same listing twice: the later one is the device's state (evaluating both would count one table twice)
        List<Part> kept = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            String key = key(p);
            boolean later = false;
            for (int j = i + 1; j < parts.size(); j++) if (group(p.kind()).equals("firewall") && key(parts.get(j)).equals(key)) later = true;
            if (later) {
                skipNotes.add(L10n.t("cl.skip.earlier", rangeOf(p), p.kind()));
                continue;
            }
            kept.add(p);
        }
        // a firewall change after the listing that is read: the listing may no longer be the state
        for (Part p : kept) {
            if (!group(p.kind()).equals("firewall")) continue;
            for (int k = 0; k < prompts.size(); k++) {
                if (prompts.get(k) + 1 > p.lastLine() && changesFirewall(commands.get(k))) {
                    problems.add(ParseProblem.warning(source, prompts.get(k) + 1, 1, lines[prompts.get(k)],
                            L10n.t("cl.pp.changed", Text.printable(commands.get(k), 80), p.kind(), rangeOf(p))));
                    break;
                }
            }
        }

        List<String> notes = new ArrayList<>();
        notes.add(L10n.t(realCommands == 1 ? "cl.note.paste1" : "cl.note.paste", source, realCommands,
                readNotes.isEmpty() ? L10n.t("cl.note.nothing") : String.join("; ", readNotes)));
        List<String> skips = new ArrayList<>(skipNotes);
        for (var e : skipped.entrySet()) {
            String what = switch (e.getKey()) {
                case PROMPT -> "cl.skip.prompt";
                case KERNEL -> "cl.skip.kernel";
                case CONTROL -> "cl.skip.control";
                case LOGIN -> "cl.skip.login";
            };
            skips.add(L10n.t(what, InputText.lines(e.getValue())));
        }
        notes.add(L10n.t("cl.note.skipped", source, String.join("; ", skips)));
        return Optional.of(new Split(kept, problems, notes, realCommands));
    }

    /** The kind of listing a header line starts, or null. */
    static String headerKind(String line) {
        if (line.startsWith("Chain ") && line.contains(" (")) return "iptables-L";
        if (line.startsWith("# Generated by iptables") || line.startsWith("# Generated by ip6tables")
                || (line.startsWith("*") && SAVE_TABLE.matcher(line).matches())) return "iptables-save";
        if (line.startsWith("table ") && NFT_TABLE.matcher(line).matches()) return "nft";
        if (line.startsWith("Active Internet connections") || line.startsWith("Active UNIX domain sockets")
                || line.startsWith("Proto Recv-Q Send-Q") || line.startsWith("稼働中のインターネット接続")
                || line.startsWith("Proto 受信-Q 送信-Q")) return "netstat";
        if ((line.startsWith("Netid ") && line.contains("State")) || (line.startsWith("State") && SS_HEADER.matcher(line).matches())) return "ss";
        if (line.contains("local_address") && PROC_HEADER.matcher(line).matches()) return "proc-net";
        if (line.startsWith("Starting Nmap") || line.startsWith("# Nmap ") || line.startsWith("Nmap scan report for")
                || (line.startsWith("# portaudit ") && SCAN_COMMENT.matcher(line).matches())) return "nmap";
        return null;
    }

    /**
     * A file without prompt lines that holds listings of several kinds one after another (issue: the sniffer
     * picked one format and the other's lines vanished): split where a header of another kind starts, each
     * block read by its content. Empty when the file holds one kind of listing (or none).
     */
    private static Optional<Split> byHeaders(String source, String[] lines) {
        List<Integer> starts = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        String current = null;
        for (int i = 0; i < lines.length && lines.length < 2_000_000; i++) {
            String k = headerKind(lines[i]);
            if (k == null || k.equals(current)) continue;
            if (current != null) starts.add(i);
            kinds.add(k);
            current = k;
        }
        if (starts.isEmpty()) return Optional.empty();
        List<Part> parts = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        List<String> read = new ArrayList<>();
        starts.add(0, 0);
        for (int b = 0; b < starts.size(); b++) {
            int from = starts.get(b), to = b + 1 < starts.size() ? starts.get(b + 1) : lines.length;
            List<Integer> content = new ArrayList<>();
            for (int i = from; i < to; i++) if (!lines[i].isBlank()) content.add(i);
            if (content.isEmpty()) continue;
            String own = join(lines, content, false);
            Optional<String> kind = InputSniffer.sniff(own);
            if (kind.isEmpty()) {
                problems.add(ParseProblem.error(source, content.get(0) + 1, 1, lines[content.get(0)],
                        L10n.t("cl.pp.startlike", range(content), kinds.get(b))));
                continue;
            }
            parts.add(part(null, 0, lines, content, kind.get(), own));
            read.add(L10n.t("cl.read.askind", range(content), kind.get()));
        }
        String note = L10n.t("cl.note.byheaders", source, starts.size(), String.join("; ", read));
        return Optional.of(new Split(parts, problems, List.of(note), 0));
    }

    private static String key(Part p) {
        String t = "filter";
        if (p.command() != null && p.kind().startsWith("nft")) {
            // nft list ruleset / nft list table inet filter: what follows "list" says what was listed
            List<String> w = words(p.command());
            int x = w.indexOf("list");
            return p.kind() + " " + (x < 0 ? "" : String.join(" ", w.subList(x + 1, w.size())));
        }
        if (p.command() != null) {
            List<String> w = words(p.command());
            int x = w.indexOf("-t");
            if (x < 0) x = w.indexOf("--table");
            if (x >= 0 && x + 1 < w.size()) t = w.get(x + 1);
        }
        return p.kind() + " " + t;
    }

    private static Part part(String cmd, int promptLine, String[] lines, List<Integer> content, String kind, String own) {
        int first = content.get(0), last = content.get(content.size() - 1);
        String text = pad(first) + join(lines, content.stream().filter(i -> i >= first).toList(), true);
        if (kind.equals("nmap-xml") && first > 0) {
            // an XML declaration is allowed only at the very start: blank it (same length: columns stay)
            Matcher m = Pattern.compile("<\\?xml[^?]*\\?>").matcher(text);
            if (m.find()) text = text.substring(0, m.start()) + " ".repeat(m.end() - m.start()) + text.substring(m.end());
        }
        return new Part(cmd, promptLine, first + 1, last + 1, kind, text, own);
    }

    private static String pad(int n) {
        return "\n".repeat(n);
    }

    /** The content lines joined; with {@code keepNumbers} the skipped lines between them stay as empty lines. */
    private static String join(String[] lines, List<Integer> content, boolean keepNumbers) {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        for (int i : content) {
            if (prev >= 0) sb.append(keepNumbers ? "\n".repeat(i - prev) : "\n");
            sb.append(lines[i]);
            prev = i;
        }
        return sb.toString();
    }

    private static String range(List<Integer> zeroBased) {
        int a = zeroBased.get(0) + 1, b = zeroBased.get(zeroBased.size() - 1) + 1;
        return a == b ? L10n.t("cl.line", a) : L10n.t("cl.lines", a + "-" + b);
    }

    private static String rangeOf(Part p) {
        return p.firstLine() == p.lastLine() ? L10n.t("cl.line", p.firstLine()) : L10n.t("cl.lines", p.firstLine() + "-" + p.lastLine());
    }
}
