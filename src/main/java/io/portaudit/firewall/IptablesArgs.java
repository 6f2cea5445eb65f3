package io.portaudit.firewall;

import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the arguments of one iptables rule ({@code -p tcp -m tcp --dport 22 -j ACCEPT}) as
 * {@code iptables-save} and {@code iptables -S} print them. Unknown modules and options are kept
 * as {@link Match.Unknown}; unknown targets as {@link Target.Unknown}.
 */
final class IptablesArgs {
    record Parsed(List<Match> matches, Target target) {}

    private static final Set<String> NON_TERMINAL = Set.of("LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "TOS", "DSCP", "TTL",
            "HL", "TCPMSS", "CLASSIFY", "CT", "NOTRACK", "TRACE", "AUDIT", "SET", "CHECKSUM", "TEE", "SECMARK", "CONNSECMARK",
            "IDLETIMER", "LED", "RATEEST", "NETMAP_NONE", "ECN", "TCPOPTSTRIP");

    private final String source;
    private final int line;
    private final String lineText;
    private final Problems problems;
    private final ServiceNames names;

    IptablesArgs(String source, int line, String lineText, Problems problems, ServiceNames names) {
        this.source = source;
        this.line = line;
        this.lineText = lineText;
        this.problems = problems;
        this.names = names;
    }

    private void error(Tok at, String msg) {
        problems.add(ParseProblem.error(source, line, at == null ? 0 : at.column(), lineText, msg));
    }

    private void warn(Tok at, String msg) {
        problems.add(ParseProblem.warning(source, line, at == null ? 0 : at.column(), lineText, msg));
    }

    static boolean isOption(String s) {
        return s.startsWith("-") && s.length() > 1 && !Character.isDigit(s.charAt(1));
    }

    /** Parses {@code toks[from..]}. */
    Parsed parse(List<Tok> toks, int from) {
        List<Match> matches = new ArrayList<>();
        Target target = new Target.None();
        Protocol proto = null;
        String module = null;
        boolean neg = false;
        int i = from;
        while (i < toks.size()) {
            Tok t = toks.get(i);
            String s = t.text();
            if (s.equals("!")) {
                neg = true;
                i++;
                continue;
            }
            // value arguments of the current option
            int j = i + 1;
            List<Tok> args = new ArrayList<>();
            boolean postNeg = false;
            while (j < toks.size() && (!isOption(toks.get(j).text()) || toks.get(j).quoted())) {
                if (toks.get(j).text().equals("!") && !toks.get(j).quoted()) {
                    // "!" before the next option negates that one; only right after an option name is it the old "-s ! addr"
                    if (!args.isEmpty() || postNeg) break;
                    // old syntax "-s ! addr"; but "!" followed by an option belongs to the next option
                    if (j + 1 < toks.size() && isOption(toks.get(j + 1).text())) break;
                    postNeg = true;
                    j++;
                    continue;
                }
                args.add(toks.get(j));
                j++;
            }
            boolean n = neg || postNeg;
            neg = false;
            String a0 = args.isEmpty() ? null : args.get(0).text();
            switch (s) {
                case "-p", "--protocol" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.proto", "-p")); break; }
                    String p = protoName(a0);
                    proto = Protocol.parse(p);
                    if (!knownProtocol(p)) {
                        error(args.get(0), L10n.t("pp.proto.unknown", io.portaudit.model.Text.printable(a0, 20)));
                        matches.add(new Match.Unknown("-p " + a0));
                    } else if (!p.equals("all") || n) matches.add(new Match.Proto(Set.of(p), n));
                }
                case "-s", "--source", "--src", "-d", "--destination", "--dst" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.addr", s)); break; }
                    List<AddrRange> rs = new ArrayList<>();
                    for (String part : a0.split(",")) {
                        AddrRange r = AddrRange.parse(part);
                        if (!r.known()) warn(args.get(0), L10n.t("pp.args.addr", part));
                        rs.add(r);
                    }
                    matches.add(new Match.Addr(s.startsWith("-s") || s.startsWith("--s"), rs, n));
                }
                case "-i", "--in-interface", "-o", "--out-interface" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.iface", s)); break; }
                    matches.add(new Match.Iface(s.startsWith("-i") || s.startsWith("--in"), a0, n, false));
                }
                case "-m", "--match" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.module", "-m")); break; }
                    module = a0.toLowerCase(Locale.ROOT);
                    if (!knownModule(module)) {
                        StringBuilder sb = new StringBuilder("-m ").append(a0);
                        int k = j;
                        while (k < toks.size() && !isMatchEnd(toks.get(k).text())) sb.append(' ').append(toks.get(k++).text());
                        matches.add(new Match.Unknown(sb.toString()));
                        warn(t, L10n.t("pp.match.noteval", "-m " + a0));
                        j = k;
                    }
                }
                case "-j", "--jump", "-g", "--goto" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.target", s)); break; }
                    List<String> rest = new ArrayList<>();
                    int k = j;
                    while (k < toks.size()) {
                        if ((toks.get(k).text().equals("-c") || toks.get(k).text().equals("--set-counters")) && !toks.get(k).quoted()) {
                            k += 3;
                            continue;
                        }
                        rest.add(toks.get(k++).text());
                    }
                    target = target(s.startsWith("-g") || s.startsWith("--g"), a0, rest, t);
                    j = toks.size();
                }
                case "-c", "--set-counters" -> { /* counters: -c PKTS BYTES */ }
                case "-f", "--fragment" -> matches.add(new Match.Unknown((n ? "! " : "") + "-f"));
                case "--dport", "--destination-port", "--sport", "--source-port" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.port", s)); break; }
                    PortSet ps = RulePorts.list(a0, proto, ':', place(args.get(0)));
                    Match.PortField f = s.contains("d") ? Match.PortField.DPORT : Match.PortField.SPORT;
                    if (ps == null) matches.add(new Match.Unknown(s + " " + a0));
                    else matches.add(new Match.Ports(f, protoOf(module, proto), ps, n));
                }
                case "--dports", "--destination-ports", "--sports", "--source-ports", "--ports" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.ports", s)); break; }
                    PortSet ps = RulePorts.list(a0, proto, ':', place(args.get(0)));
                    Match.PortField f = s.equals("--ports") ? Match.PortField.EITHER
                            : s.contains("d") ? Match.PortField.DPORT : Match.PortField.SPORT;
                    if (ps == null) matches.add(new Match.Unknown(s + " " + a0));
                    else matches.add(new Match.Ports(f, null, ps, n));
                }
                case "--state", "--ctstate" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.states", s)); break; }
                    Set<String> st = new LinkedHashSet<>(Arrays.asList(a0.toUpperCase(Locale.ROOT).split(",")));
                    matches.add(new Match.CtState(st, n));
                }
                case "--src-range", "--dst-range" -> {
                    if (a0 == null) { error(t, L10n.t("pp.args.needs.range", s)); break; }
                    AddrRange r = AddrRange.parse(a0);
                    if (!r.known()) warn(args.get(0), L10n.t("pp.args.range", a0));
                    matches.add(new Match.Addr(s.startsWith("--src"), List.of(r), n));
                }
                case "--comment" -> matches.add(new Match.Comment(a0 == null ? "" : a0));
                case "--syn" -> {
                    if (n) matches.add(new Match.CtState(Set.of("NOT-SYN"), false));
                }
                case "--icmp-type", "--icmpv6-type" -> { /* only icmp packets: the -p match decides */ }
                case "--dst-type" -> {
                    if (!"LOCAL".equalsIgnoreCase(a0) || n) matches.add(new Match.Unknown("--dst-type " + a0));
                }
                default -> {
                    StringBuilder sb = new StringBuilder(n ? "! " : "").append(s);
                    for (Tok a : args) sb.append(' ').append(a.text());
                    matches.add(new Match.Unknown(sb.toString()));
                    if (s.startsWith("-")) warn(t, L10n.t("pp.args.option", s));
                    else error(t, L10n.t("pp.args.word", s));
                }
            }
            i = j;
        }
        return new Parsed(matches, target);
    }

    private static boolean isMatchEnd(String s) {
        return s.equals("-m") || s.equals("--match") || s.equals("-j") || s.equals("-g") || s.equals("--jump")
                || s.equals("--goto") || s.equals("-c") || s.equals("-p") || s.equals("-s") || s.equals("-d") || s.equals("-i")
                || s.equals("-o");
    }

    private RulePorts.Place place(Tok t) {
        return new RulePorts.Place(source, line, t.column(), lineText, problems, names);
    }

    private static String protoOf(String module, Protocol proto) {
        if ("tcp".equals(module) || "udp".equals(module)) return module;
        return proto == null ? null : proto.label();
    }

    static boolean knownModule(String m) {
        return switch (m) {
            case "tcp", "udp", "multiport", "state", "conntrack", "comment", "iprange", "icmp", "icmp6", "icmpv6", "addrtype" -> true;
            default -> false;
        };
    }

    /** Protocol names iptables prints or takes (/etc/protocols of a Debian/busybox board); numbers 0-255 are read too. */
    static final java.util.Set<String> PROTOCOLS = java.util.Set.copyOf(java.util.List.of("all", "tcp", "udp", "udplite", "icmp", "ipv6-icmp", "esp", "ah",
            "sctp", "mh", "gre", "igmp", "ipip", "ipencap", "ipv6", "ipv6-route", "ipv6-frag", "ipv6-nonxt", "ipv6-opts", "ospf", "vrrp",
            "pim", "l2tp", "dccp", "ip", "hopopt", "encap", "etherip", "ipcomp", "rsvp", "egp", "pup", "idp", "xns-idp", "ddp", "isis",
            "carp", "hip", "shim6", "wesp", "rohc", "ethernet", "mpls-in-ip", "manet", "st", "ggp", "cbt", "igp", "bbn-rcc-mon",
            "nvp-ii", "argus", "emcon", "xnet", "chaos", "mux", "dcn-meas", "hmp", "prm", "trunk-1", "trunk-2", "leaf-1", "leaf-2",
            "rdp", "irtp", "iso-tp4", "netblt", "mfe-nsp", "merit-inp", "3pc", "idpr", "xtp", "idpr-cmtp", "tp++", "il", "sdrp", "idrp",
            "gre", "dsr", "bna", "i-nlsp", "swipe", "narp", "mobile", "tlsp", "skip", "ipv6-icmp", "cftp", "sat-expak", "kryptolan",
            "rvd", "ippc", "sat-mon", "visa", "ipcv", "cpnx", "cphb", "wsn", "pvp", "br-sat-mon", "sun-nd", "wb-mon", "wb-expak",
            "iso-ip", "secure-vmtp", "vmtp", "vines", "ttp", "nsfnet-igp", "dgp", "tcf", "eigrp", "sprite-rpc", "larp", "mtp", "ax.25",
            "micp", "scc-sp", "aris", "a/n", "snp", "compaq-peer", "ipx-in-ip", "pgm", "ptp", "iatp", "stp", "srp", "uti", "smp", "sm",
            "crtp", "crudp", "sps", "pipe", "sscopmce", "iplt", "qnx", "fc", "rsvp-e2e-ignore", "mobility-header", "ipv6-mh"));

    /** A protocol as iptables prints it is one iptables knows: a name above or a number 0-255. */
    static boolean knownProtocol(String p) {
        String s = p.startsWith("!") ? p.substring(1) : p;
        if (PROTOCOLS.contains(s)) return true;
        if (s.isEmpty() || s.length() > 3) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return Integer.parseInt(s) <= 255;
    }

    static String protoName(String p) {
        String s = p.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            case "58", "icmpv6", "ipv6-icmp" -> "ipv6-icmp";
            case "0" -> "all";
            default -> s;
        };
    }

    private Target target(boolean isGoto, String name, List<String> rest, Tok at) {
        if (isGoto) return new Target.Goto(name);
        switch (name) {
            case "ACCEPT": return new Target.Accept();
            case "DROP": return new Target.Drop();
            case "RETURN": return new Target.Return();
            case "REJECT": {
                String with = null;
                for (int k = 0; k + 1 < rest.size(); k++) if (rest.get(k).equals("--reject-with")) with = rest.get(k + 1);
                return new Target.Reject(with);
            }
            case "REDIRECT": {
                for (int k = 0; k + 1 < rest.size(); k++) {
                    if (rest.get(k).equals("--to-ports") || rest.get(k).equals("--to-port")) return nat("REDIRECT", null, rest.get(k + 1), at);
                }
                return new Target.Nat("REDIRECT", 0, 0, null);
            }
            case "DNAT": {
                for (int k = 0; k + 1 < rest.size(); k++) {
                    if (rest.get(k).equals("--to-destination") || rest.get(k).equals("--to")) {
                        String v = rest.get(k + 1);
                        String addr = v, port = null;
                        int c = v.lastIndexOf(':');
                        if (c >= 0 && v.indexOf(':') == c) { // ipv4 a.b.c.d:port
                            addr = v.substring(0, c);
                            port = v.substring(c + 1);
                        } else if (v.startsWith("[")) {
                            int e = v.indexOf(']');
                            addr = v.substring(1, Math.max(1, e));
                            if (e >= 0 && e + 1 < v.length() && v.charAt(e + 1) == ':') port = v.substring(e + 2);
                        }
                        return nat("DNAT", addr.isEmpty() ? null : addr, port, at);
                    }
                }
                return new Target.Unknown("DNAT " + String.join(" ", rest));
            }
            default:
                if (NON_TERMINAL.contains(name) || name.equals("SNAT") || name.equals("MASQUERADE")) return new Target.Continue(name);
                if (name.equals(name.toUpperCase(Locale.ROOT)) && !name.isEmpty()) {
                    // an extension target we do not know (NFQUEUE, TPROXY, ...) or an all-caps user chain
                    return new Target.Jump(name);
                }
                return new Target.Jump(name);
        }
    }

    private Target nat(String kind, String addr, String ports, Tok at) {
        if (ports == null || ports.isEmpty()) return new Target.Nat(kind, 0, 0, addr);
        String p = ports.replace(':', '-');
        int d = p.indexOf('-');
        try {
            int a = Integer.parseInt(d < 0 ? p : p.substring(0, d));
            int b = d < 0 ? a : Integer.parseInt(p.substring(d + 1));
            if (a < 1 || b > 65535 || a > b) throw new NumberFormatException();
            return new Target.Nat(kind, a, b, addr);
        } catch (NumberFormatException e) {
            error(at, L10n.t("pp.args.natport", ports));
            return new Target.Unknown(kind + " " + ports);
        }
    }
}
