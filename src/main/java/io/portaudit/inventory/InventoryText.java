package io.portaudit.inventory;

import io.portaudit.model.L10n;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.InputText;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Text;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads listening sockets from text a person pasted: GNU and busybox {@code netstat}, {@code ss}
 * (with or without header, {@code -p}, {@code -e}), {@code /proc/net} dumps. Every line it cannot
 * read is reported with its number; truncated columns are detected and said, never read as if whole.
 * Listeners come out with their scope before dual-stack resolution ({@link ScopeResolver} does that).
 */
public final class InventoryText {
    /** net-tools and busybox print the local address column 23 wide without -W. */
    static final int NARROW_ADDRESS = 23;
    /** net-tools and busybox cut "PID/Program name" at 20 columns (net-tools keeps 19 characters). */
    static final int PROGRAM_WIDTH = 19;

    private static final Set<String> TCP_STATES = Set.of("ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "UNKNOWN", "7");
    /** A shell prompt pasted along with the output: {@code [armadillo ~]# netstat -a}. */
    private static final Pattern PROMPT = Pattern.compile(".*[#$>]\\s*(busybox\\s+)?(netstat|ss)(\\s.*)?");
    private static final Pattern SS_USER = Pattern.compile("\\(\"((?:[^\"\\\\]|\\\\.)*)\",pid=(\\d+),fd=(\\d+)\\)");
    private static final Pattern SS_INO = Pattern.compile("(?:^|\\s)ino:(\\d+)");
    private static final Pattern SS_V6ONLY = Pattern.compile("(?:^|\\s)v6only:([01])");
    private static final Pattern SS_UID = Pattern.compile("(?:^|\\s)uid:(\\d+)");
    private static final Pattern SS_CGROUP = Pattern.compile("(?:^|\\s)cgroup:(\\S+)");

    /** ss states ({@code ss -a}); anything else in the state column is a damaged line. */
    private static final Set<String> SS_STATES = Set.of("LISTEN", "UNCONN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
            "TIME-WAIT", "CLOSE-WAIT", "LAST-ACK", "CLOSING", "CLOSED", "UNKNOWN", "BOUND", "CONNECTED");
    /** ss netids that carry no TCP/UDP port portaudit audits: knowingly ignored. */
    private static final Set<String> SS_OTHER_NETIDS = Set.of("raw", "sctp", "u_str", "u_dgr", "u_seq", "nl", "p_raw", "p_dgr", "mptcp",
            "tipc", "v_str", "v_dgr", "x_str", "x_dgr", "icmp6", "icmp", "dccp", "???");

    private InventoryText() {}

    /** The 0-based index of the first control character other than tab (a damaged line), or -1. */
    static int control(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return i;
        }
        return -1;
    }

    /**
     * A control byte inside a socket line: reported with its column (the audit is then incomplete), and the line read with
     * the byte as a column separator, so that what it may hold is not lost.
     */
    private static String controlled(String source, int ln, String line, Problems problems) {
        int at = control(line);
        if (at < 0) return line;
        problems.add(ParseProblem.error(source, ln, at + 1, line, L10n.t("pp.inv.control", String.format("0x%02x", (int) line.charAt(at)))));
        StringBuilder sb = new StringBuilder(line);
        for (int i = 0; i < sb.length(); i++) if ((sb.charAt(i) < 0x20 && sb.charAt(i) != '\t') || sb.charAt(i) == 0x7f) sb.setCharAt(i, ' ');
        return sb.toString();
    }

    /**
     * Lines of a netstat listing that are knowingly ignored besides blank lines and headers: the separator, net-tools'
     * note about processes it could not identify (two lines), busybox's messages, a pasted shell prompt.
     */
    private static boolean netstatNoise(String t) {
        return t.startsWith("-----") || t.startsWith("(") || t.startsWith("will not be shown") || t.startsWith("netstat: ")
                || PROMPT.matcher(t).matches();
    }

    /** Detects the format and parses; an unknown format is one problem on line 1. */
    public static List<Listener> parse(String source, String text, ServiceNames names, Problems problems) {
        text = InputText.normalize(text);
        Optional<String> kind = InventoryFormat.detect(text);
        if (kind.isEmpty()) {
            problems.add(ParseProblem.error(source, 1, 1, Text.lines(text)[0],
                    L10n.t("pp.inv.format")));
            return List.of();
        }
        return parse(kind.get(), source, text, names, problems);
    }

    /** Parses text of a known kind ({@link DeviceSnapshot} {@code KIND_*}). */
    public static List<Listener> parse(String kind, String source, String text, ServiceNames names, Problems problems) {
        text = InputText.normalize(text);
        if (!kind.equals(DeviceSnapshot.KIND_SOCKET_OWNERS)) {
            ParseProblem cut = Text.cutAtEnd(source, text);
            if (cut != null) problems.add(cut);
        }
        return switch (kind) {
            case DeviceSnapshot.KIND_NETSTAT -> netstat(source, text, names, problems);
            case DeviceSnapshot.KIND_SS -> ss(source, text, names, problems);
            case DeviceSnapshot.KIND_PROC_NET_TCP, DeviceSnapshot.KIND_PROC_NET_TCP6 -> procNet(source, text, Protocol.TCP, problems);
            case DeviceSnapshot.KIND_PROC_NET_UDP, DeviceSnapshot.KIND_PROC_NET_UDP6 -> procNet(source, text, Protocol.UDP, problems);
            case DeviceSnapshot.KIND_SOCKET_OWNERS -> List.of();
            default -> {
                problems.add(ParseProblem.error(source, 0, 0, null, L10n.t("pp.inv.kind", kind)));
                yield List.of();
            }
        };
    }

    /**
     * A {@code /proc/net} dump, possibly several tables concatenated: each header starts a table;
     * a header ending in {@code drops} is udp (or raw, when the source name says so).
     */
    static List<Listener> procNet(String source, String text, Protocol defaultProtocol, Problems problems) {
        String[] lines = Text.lines(text);
        List<Listener> out = new ArrayList<>();
        String lower = source == null ? "" : source.toLowerCase(Locale.ROOT);
        Protocol proto = lower.contains("udp") ? Protocol.UDP : lower.contains("tcp") ? Protocol.TCP : defaultProtocol;
        boolean raw = lower.contains("raw");
        int start = 0;
        for (int i = 0; i <= lines.length; i++) {
            boolean header = i < lines.length && lines[i].trim().startsWith("sl ") && lines[i].contains("local_address");
            if (header || i == lines.length) {
                if (i > start && !raw) out.addAll(offset(source, lines, start, i, proto, problems));
                if (header) {
                    proto = lines[i].contains("drops") ? Protocol.UDP : Protocol.TCP;
                    start = i + 1;
                }
            }
        }
        return out;
    }

    private static List<Listener> offset(String source, String[] lines, int from, int to, Protocol proto, Problems problems) {
        Problems local = new Problems();
        String chunk = String.join("\n", java.util.Arrays.copyOfRange(lines, from, to));
        List<Listener> ls = ProcNetParser.parse(source, chunk, proto, Map.of(), null, local);
        for (ParseProblem p : local.list()) {
            problems.add(new ParseProblem(p.source(), p.line() + from, p.column(), p.text(), p.message(), p.severity()));
        }
        List<Listener> out = new ArrayList<>(ls.size());
        for (Listener l : ls) {
            int colon = l.source().lastIndexOf(':');
            int n = Integer.parseInt(l.source().substring(colon + 1)) + from;
            out.add(new Listener(l.protocol(), l.family(), l.address(), l.port(), l.scope(), null, l.state(), l.inode(), null,
                    List.of(), source + ":" + n));
        }
        return out;
    }

    /** What a host column said, read without any lookup. */
    record Host(AddressFamily family, String address, BindScope scope, Boolean dualStack, String iface, String note) {}

    /**
     * Reads a host as netstat/ss print it: {@code 0.0.0.0}, {@code *}, {@code [::]}, {@code ::},
     * {@code [fe80::1]%eth0}, {@code 127.0.0.53%lo}, {@code localhost}, a DNS name (kept, not resolved).
     * @param v6hint the protocol column said tcp6/udp6 (null when it does not tell)
     */
    static Host host(String h, Boolean v6hint, boolean ssStar) {
        String iface = null;
        int pct = h.lastIndexOf('%');
        if (pct > 0) {
            iface = h.substring(pct + 1);
            h = h.substring(0, pct);
        }
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("*")) {
            if (ssStar) {
                return new Host(AddressFamily.IPV6, "::", BindScope.ALL_PLUS_IPV4, Boolean.TRUE, iface,
                        L10n.t("inv.note.ssstar"));
            }
            boolean v6 = Boolean.TRUE.equals(v6hint);
            return new Host(v6 ? AddressFamily.IPV6 : AddressFamily.IPV4, v6 ? "::" : "0.0.0.0", BindScope.ALL, null, iface, null);
        }
        if (h.equalsIgnoreCase("localhost") || h.equalsIgnoreCase("ip6-localhost") || h.equalsIgnoreCase("ip6-loopback")) {
            boolean v6 = Boolean.TRUE.equals(v6hint) || !h.equalsIgnoreCase("localhost");
            return new Host(v6 ? AddressFamily.IPV6 : AddressFamily.IPV4, v6 ? "::1" : "127.0.0.1", BindScope.LOOPBACK, null, iface,
                    L10n.t("inv.note.printedas", h));
        }
        Optional<InetAddress> a = AddressLiterals.literal(h);
        if (a.isPresent()) {
            InetAddress addr = a.get();
            return new Host(AddressFamily.of(addr), AddressLiterals.text(addr), AddressLiterals.scopeOf(addr), null, iface, null);
        }
        AddressFamily fam = Boolean.TRUE.equals(v6hint) ? AddressFamily.IPV6 : AddressFamily.IPV4;
        return new Host(fam, h, BindScope.SPECIFIC, null, iface,
                L10n.t("inv.note.hostname", h));
    }

    // ---------------------------------------------------------------- netstat

    static List<Listener> netstat(String source, String text, ServiceNames names, Problems problems) {
        List<Listener> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        boolean inInet = true;
        boolean wide = false;
        int unixHeader = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String t = line.trim();
            if (t.isEmpty()) continue;
            // net-tools' headers, also as a Japanese locale prints them (LANG=ja_JP: 稼働中のインターネット接続, 受信-Q)
            if (t.startsWith("Active Internet connections") || t.startsWith("稼働中のインターネット接続")) {
                inInet = true;
                continue;
            }
            if (t.startsWith("Active ") || t.startsWith("稼働中の") || t.startsWith("Proto RefCnt")) {
                inInet = false;
                unixHeader = i + 1;
                continue;
            }
            if (t.startsWith("Proto Recv-Q") || t.startsWith("Proto 受信-Q")) {
                // with -W the header's Local Address column is wider than 23
                int la = line.indexOf("Local Address"), fa = line.indexOf("Foreign Address");
                wide = la >= 0 && fa > la && fa - la > NARROW_ADDRESS + 1;
                inInet = true;
                continue;
            }
            if (netstatNoise(t)) continue;
            line = controlled(source, i + 1, line, problems);
            t = line.trim();
            String[] f = Text.fields(t);
            if (f.length == 0) continue;
            String proto = f[0].toLowerCase(Locale.ROOT);
            if (proto.equals("unix")) continue; // a UNIX domain socket: no port
            if (!proto.matches("(tcp|udp|raw|udpl|sctp)6?")) {
                problems.add(ParseProblem.error(source, i + 1, 1, line, L10n.t(inInet ? "pp.inv.netstat.line" : "pp.inv.netstat.unix")));
                continue;
            }
            if (!inInet) {
                problems.add(ParseProblem.warning(source, i + 1, 1, line, L10n.t("pp.inv.afterunix", unixHeader)));
            }
            if (proto.startsWith("raw") || proto.startsWith("sctp")) continue; // information only
            Protocol protocol = proto.startsWith("tcp") ? Protocol.TCP : Protocol.UDP;
            if (f.length < 5) {
                problems.add(ParseProblem.error(source, i + 1, 1, line, L10n.t("pp.inv.netstat.few")));
                continue;
            }
            int k = 5;
            String state = "";
            if (f.length > 5 && TCP_STATES.contains(f[5])) {
                state = f[5];
                k = 6;
            } else if (protocol == Protocol.TCP) {
                // a TCP line always has a state: a misspelt or missing one may be LISTEN
                problems.add(ParseProblem.error(source, i + 1, f.length > 5 ? line.indexOf(f[5], line.indexOf(f[4]) + f[4].length()) + 1
                        : line.length() + 1, line, f.length > 5 ? L10n.t("pp.inv.tcpstate", Text.printable(f[5], 20)) : L10n.t("pp.inv.nostate")));
                state = "LISTEN";
                k = f.length > 5 ? 6 : 5;
            }
            String program = k < f.length ? String.join(" ", java.util.Arrays.copyOfRange(f, k, f.length)) : null;
            String local = f[3];
            int col = line.indexOf(local) + 1;
            int colon = local.lastIndexOf(':');
            if (colon <= 0 || colon == local.length() - 1) {
                problems.add(ParseProblem.error(source, i + 1, col, line, L10n.t("pp.inv.noport", local)));
                continue;
            }
            String hostText = local.substring(0, colon);
            String portText = local.substring(colon + 1);
            Boolean v6hint = proto.endsWith("6") ? Boolean.TRUE : null;
            Host h = host(hostText, v6hint, false);
            String note = h.note();
            // net-tools without -W cuts the address so that address:port fits 23 columns; busybox may do likewise
            if (!wide && local.length() == NARROW_ADDRESS && hostText.contains(":")) {
                note = ScopeResolver.join(note, L10n.t("inv.note.truncated", local));
                problems.add(ParseProblem.warning(source, i + 1, col, line, L10n.t("pp.inv.fills", hostText)));
            } else if (h.note() != null && h.scope() == BindScope.SPECIFIC && hostText.contains(":") /* a host name, not an address */) {
                problems.add(ParseProblem.error(source, i + 1, col, line, L10n.t("pp.inv.address", hostText)));
            }
            OptionalInt port = names.resolve(portText, protocol, source, i + 1, col + colon + 1, line, problems);
            if (port.isEmpty()) continue;
            List<Owner> owners = List.of();
            if (program != null && !program.equals("-")) {
                int slash = program.indexOf('/');
                Integer pid = null;
                String comm = program;
                if (slash > 0) {
                    try {
                        pid = Integer.parseInt(program.substring(0, slash));
                        comm = program.substring(slash + 1);
                    } catch (NumberFormatException e) {
                        pid = null;
                    }
                }
                String ownerNote = null;
                if (program.length() >= PROGRAM_WIDTH) {
                    ownerNote = L10n.t("inv.note.programcut");
                    problems.add(ParseProblem.warning(source, i + 1, line.indexOf(program) + 1, line,
                            L10n.t("pp.inv.program", program)));
                }
                owners = List.of(new Owner(pid, comm, null, null, null, null, ownerNote));
            }
            out.add(new Listener(protocol, h.family(), h.address(), port.getAsInt(), h.scope(), h.dualStack(),
                    protocol == Protocol.TCP ? "LISTEN" : "UNCONN", 0, null, owners, source + ":" + (i + 1), h.iface(), note));
        }
        return out;
    }

    // ---------------------------------------------------------------- ss

    static List<Listener> ss(String source, String text, ServiceNames names, Problems problems) {
        List<Listener> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("Netid ") || t.matches("^State\\s+Recv-Q.*") || PROMPT.matcher(t).matches()) continue;
            line = controlled(source, i + 1, line, problems);
            // field-by-field with positions, so the process column (which may hold spaces) stays whole
            List<int[]> spans = new ArrayList<>();
            Matcher m = Pattern.compile("\\S+").matcher(line);
            while (m.find() && spans.size() < 6) spans.add(new int[] {m.start(), m.end()});
            if (spans.isEmpty()) continue;
            int k = 0;
            String first = line.substring(spans.get(0)[0], spans.get(0)[1]);
            String netid = null;
            if (!first.matches("[A-Z][A-Z0-9-]*")) {
                netid = first.toLowerCase(Locale.ROOT);
                k = 1;
                if (!netid.equals("tcp") && !netid.equals("udp")) {
                    if (!SS_OTHER_NETIDS.contains(netid)) {
                        problems.add(ParseProblem.error(source, i + 1, spans.get(0)[0] + 1, line, L10n.t("pp.inv.netid", Text.printable(first, 20))));
                    }
                    continue; // raw, sctp, unix...: not ports portaudit audits
                }
            }
            if (spans.size() < k + 5) {
                problems.add(ParseProblem.error(source, i + 1, 1, line, L10n.t("pp.inv.ss.few")));
                continue;
            }
            String state = line.substring(spans.get(k)[0], spans.get(k)[1]);
            if (!SS_STATES.contains(state)) {
                // a misspelt state may be LISTEN/UNCONN: read the line as a possible listener, and say so
                problems.add(ParseProblem.error(source, i + 1, spans.get(k)[0] + 1, line, L10n.t("pp.inv.ssstate", Text.printable(state, 20))));
                state = netid == null || netid.equals("tcp") ? "LISTEN" : "UNCONN";
            }
            String local = line.substring(spans.get(k + 3)[0], spans.get(k + 3)[1]);
            int col = spans.get(k + 3)[0] + 1;
            String rest = line.substring(spans.get(k + 4)[1]);
            Protocol protocol;
            if (netid == null) protocol = state.equals("UNCONN") ? Protocol.UDP : Protocol.TCP;
            else if (netid.equals("tcp")) protocol = Protocol.TCP;
            else if (netid.equals("udp")) protocol = Protocol.UDP;
            else continue; // not reached: other netids are handled above
            if (protocol == Protocol.TCP && !state.equals("LISTEN")) continue;
            if (protocol == Protocol.UDP && !state.equals("UNCONN")) continue;
            int colon = local.lastIndexOf(':');
            if (colon <= 0 || colon == local.length() - 1) {
                problems.add(ParseProblem.error(source, i + 1, col, line, L10n.t("pp.inv.noport", local)));
                continue;
            }
            Host h = host(local.substring(0, colon), null, true);
            String portText = local.substring(colon + 1);
            OptionalInt port = names.resolve(portText, protocol, source, i + 1, col + colon + 1, line, problems);
            if (port.isEmpty()) continue;
            Boolean dual = h.dualStack();
            String note = h.note();
            Matcher v6 = SS_V6ONLY.matcher(rest);
            if (v6.find() && h.family() == AddressFamily.IPV6 && h.address().equals("::")) {
                dual = v6.group(1).equals("0");
                note = "ss -e shows v6only:" + v6.group(1);
            }
            long inode = 0;
            Matcher ino = SS_INO.matcher(rest);
            if (ino.find()) inode = Long.parseLong(ino.group(1));
            Integer uid = null;
            Matcher um = SS_UID.matcher(rest);
            if (um.find()) uid = Integer.parseInt(um.group(1));
            String cgroup = null;
            Matcher cg = SS_CGROUP.matcher(rest);
            if (cg.find() && cg.group(1).startsWith("/")) cgroup = "0::" + cg.group(1);
            Cgroups.Info info = Cgroups.parse(cgroup);
            List<Owner> owners = new ArrayList<>();
            Matcher u = SS_USER.matcher(rest);
            while (u.find()) {
                int pid = Integer.parseInt(u.group(2));
                if (owners.stream().anyMatch(o -> o.pid() == pid)) continue;
                owners.add(new Owner(pid, u.group(1).replace("\\\"", "\""), null, null, info.unit(), info.container(), null,
                        null, uid, null));
            }
            out.add(new Listener(protocol, h.family(), h.address(), port.getAsInt(), h.scope(), dual,
                    protocol == Protocol.TCP ? "LISTEN" : "UNCONN", inode, null, owners, source + ":" + (i + 1), h.iface(), note));
        }
        return out;
    }
}
