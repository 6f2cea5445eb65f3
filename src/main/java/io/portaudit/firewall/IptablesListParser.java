package io.portaudit.firewall;

import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Text;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code iptables -L} / {@code ip6tables -L} in every shape: with or without {@code -n},
 * {@code -v}, {@code -x}, {@code --line-numbers}. Without {@code -v} the listing hides interfaces:
 * the first {@code ACCEPT all -- anywhere anywhere} of INPUT followed by more rules is read as
 * {@code -i lo} (an assumed match; the analysis reports the other reading).
 */
final class IptablesListParser {
    private static final Pattern CHAIN = Pattern.compile("^Chain\\s+(\\S+)\\s+\\((.*)\\)\\s*$");
    private static final Pattern POLICY = Pattern.compile("policy\\s+(\\S+)(.*)");

    private IptablesListParser() {}

    static Ruleset parse(String format, String source, String text, TableFamily family, ServiceNames names, Problems problems) {
        String[] lines = io.portaudit.model.Text.lines(text);
        List<ChainBuilder.TableBuilder> tables = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ChainBuilder.TableBuilder table = null;
        ChainBuilder chain = null;
        String[] columns = null;
        int targetCol = -1;
        boolean verbose = false, anyHeader = false;
        int prevHeader = -1, prevLine = 0;
        TableFamily fam = family;
        for (int ln = 1; ln <= lines.length; ln++) {
            String raw = lines[ln - 1];
            String line = raw.strip();
            if (line.isEmpty()) continue;
            String where = source + ":" + ln;
            if (line.startsWith("#") || line.startsWith("Warning:") || line.startsWith("iptables") || line.startsWith("ip6tables")) {
                warnings.add(line);
                continue;
            }
            Matcher m = CHAIN.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                Hook hook = Hook.ofBuiltin(name);
                if (table != null && chain != null && chain.name.equals(name) && columns == null && chain.rules.isEmpty()
                        && prevHeader == prevLine) {
                    // the same header twice in a row: a paste that repeated it, not a second table
                    problems.add(ParseProblem.error(source, ln, 1, raw, L10n.t("pp.list.headertwice", Text.printable(name, 30), prevHeader)));
                    chain.rules.add(ChainBuilder.unreadable(chain.rules.size() + 1, raw, where, ln));
                }
                boolean repeated = prevHeader == prevLine && chain != null && chain.name.equals(name) && columns == null;
                prevHeader = ln;
                prevLine = ln;
                if (repeated) continue;
                if (table == null || (hook != null && table.chains.containsKey(name))) {
                    table = new ChainBuilder.TableBuilder(null, "filter");
                    tables.add(table);
                }
                chain = table.chain(name);
                chain.declSource = where;
                columns = null;
                Matcher pm = POLICY.matcher(m.group(2));
                if (pm.lookingAt()) {
                    chain.hook = hook == null ? Hook.OTHER : hook;
                    chain.policy = ChainBuilder.policy(pm.group(1));
                    if (chain.policy == null) {
                        problems.add(ParseProblem.error(source, ln, raw.indexOf(pm.group(1)) + 1, raw,
                                L10n.t("pp.policy.accept", Text.printable(pm.group(1), 20))));
                        chain.policy = Verdict.ACCEPT;
                    }
                    chain.policyText = line;
                    chain.policySource = where;
                }
                continue;
            }
            prevLine = ln;
            if (line.startsWith("target") || line.startsWith("num") || line.startsWith("pkts")) {
                columns = line.split("\\s+");
                targetCol = raw.indexOf("target");
                verbose = Arrays.asList(columns).contains("in");
                anyHeader = true;
                continue;
            }
            if (chain == null || columns == null) {
                problems.add(ParseProblem.error(source, ln, 1, raw, chain == null ? L10n.t("pp.list.notpart")
                        : L10n.t("pp.list.notpart.rule", chain.name)));
                if (chain != null) chain.rules.add(ChainBuilder.unreadable(chain.rules.size() + 1, raw, where, ln));
                continue;
            }
            parseRow(raw, ln, where, source, chain, columns, targetCol, names, problems);
        }
        if (!anyHeader && tables.isEmpty()) problems.add(ParseProblem.error(source, 0, 0, "", L10n.t("pp.list.empty")));
        if (fam == null) fam = guessFamily(text);
        List<Table> out = new ArrayList<>();
        java.util.Map<String, ChainBuilder.TableBuilder> byName = new java.util.HashMap<>();
        for (ChainBuilder.TableBuilder tb : tables) {
            String tname = tableName(tb);
            ChainBuilder.TableBuilder earlier = byName.put(tname, tb);
            if (earlier != null) {
                // the same table listed twice (a chain header repeated further down, two listings joined): neither is whole
                ChainBuilder first = tb.chains.values().iterator().next();
                int at = first.declSource == null ? 0 : Integer.parseInt(first.declSource.substring(first.declSource.lastIndexOf(':') + 1));
                problems.add(ParseProblem.error(source, at, 1, at > 0 ? lines[at - 1] : "", L10n.t("pp.list.chaintwice", first.name, tname)));
                ChainBuilder.damageAll(earlier, at > 0 ? lines[at - 1] : "", where(source, at), at, false);
            }
            ChainBuilder.TableBuilder fixed = new ChainBuilder.TableBuilder(fam, tname);
            for (ChainBuilder cb : tb.chains.values()) {
                if (cb.hook != null) {
                    cb.priority = ChainBuilder.iptablesPriority(tname, cb.hook);
                    cb.type = tname.equals("nat") ? "nat" : "filter";
                }
                fixed.chains.put(cb.name, cb);
            }
            if (!verbose && tname.equals("filter")) assumeLoopback(fixed.chains.get("INPUT"));
            out.add(fixed.build(problems));
        }
        return new Ruleset(format, source, "iptables", out, warnings, !verbose);
    }

    private static String where(String source, int ln) {
        return source + ":" + ln;
    }

    static TableFamily guessFamily(String text) {
        return text.contains("::/0") || text.contains("ipv6-icmp") || text.contains("icmp6") || text.contains("  ::") ? TableFamily.IP6
                : TableFamily.IP;
    }

    private static String tableName(ChainBuilder.TableBuilder tb) {
        Set<String> k = tb.chains.keySet();
        boolean pre = k.contains("PREROUTING"), post = k.contains("POSTROUTING"), fwd = k.contains("FORWARD"), in = k.contains("INPUT");
        if (pre && post && fwd) return "mangle";
        if (pre && post) return "nat";
        if (pre && !in) return "raw";
        return "filter";
    }

    /** The -L reading: the first bare {@code ACCEPT all} of INPUT with more rules after it is {@code -i lo}. */
    private static void assumeLoopback(ChainBuilder input) {
        if (input == null) return;
        for (int i = 0; i < input.rules.size() - 1; i++) {
            Rule r = input.rules.get(i);
            if (r.target() instanceof Target.Accept && r.matches().isEmpty()) {
                List<Match> ms = new ArrayList<>();
                ms.add(new Match.Iface(true, "lo", false, true));
                input.rules.set(i, new Rule(r.index(), ms, r.target(), r.text(), r.source(), r.line(), r.handle()));
                return;
            }
        }
    }

    private static void parseRow(String raw, int ln, String where, String source, ChainBuilder chain, String[] columns,
                                 int targetCol, ServiceNames names, Problems problems) {
        List<Tok> toks = Tok.split(raw);
        // a rule without a target leaves the target column blank
        boolean hasTarget = targetCol < 0 || targetCol >= raw.length() || raw.charAt(targetCol) != ' ';
        int c = 0, t = 0;
        String target = null, prot = "all", in = "*", out = "*", src = "anywhere", dst = "anywhere";
        boolean ok = true;
        for (String col : columns) {
            if (col.equals("target") && !hasTarget) continue;
            if (t >= toks.size()) {
                ok = false;
                break;
            }
            String v = toks.get(t).text();
            switch (col) {
                case "num", "pkts", "bytes" -> { }
                case "target" -> target = v;
                case "prot" -> prot = v;
                case "opt" -> {
                    if (!(v.equals("--") || v.equals("-f") || v.equals("!f"))) {
                        c++;
                        continue; // legacy ip6tables leaves the opt column empty
                    }
                }
                case "in" -> in = v;
                case "out" -> out = v;
                case "source" -> src = v;
                case "destination" -> dst = v;
                default -> { }
            }
            t++;
            c++;
        }
        if (!ok) {
            problems.add(ParseProblem.error(source, ln, raw.length() + 1, raw, L10n.t("pp.list.short", String.join(" ", columns))));
            chain.rules.add(ChainBuilder.unreadable(chain.rules.size() + 1, raw.strip(), where, ln));
            return;
        }
        int extraCol = t < toks.size() ? toks.get(t).column() - 1 : raw.length();
        String extra = raw.substring(Math.min(extraCol, raw.length())).strip();
        List<Match> matches = new ArrayList<>();
        String p = IptablesArgs.protoName(prot);
        Protocol proto = Protocol.parse(p);
        boolean pneg = p.startsWith("!");
        if (pneg) p = p.substring(1);
        if (!IptablesArgs.knownProtocol(p)) {
            // a damaged protocol column (tcp\x01, a stray byte): the rule may match any protocol
            problems.add(ParseProblem.error(source, ln, Math.max(1, raw.indexOf(prot) + 1), raw, L10n.t("pp.proto.unknown", Text.printable(prot, 20))));
            matches.add(new Match.Unknown("protocol " + prot));
        } else if (!p.equals("all") || pneg) matches.add(new Match.Proto(Set.of(p), pneg));
        // "*" with -n, "any" without it
        if (!in.equals("*") && !in.equals("any")) matches.add(iface(true, in));
        if (!out.equals("*") && !out.equals("any")) matches.add(iface(false, out));
        addr(true, src, matches, source, ln, raw, problems);
        addr(false, dst, matches, source, ln, raw, problems);
        Target tg = new Extras(source, ln, raw, extraCol + 1, names, problems, proto).read(extra, target, matches);
        chain.rules.add(new Rule(chain.rules.size() + 1, matches, tg, raw.strip(), where, ln, -1));
    }

    private static Match iface(boolean in, String v) {
        boolean neg = v.startsWith("!");
        return new Match.Iface(in, neg ? v.substring(1) : v, neg, false);
    }

    private static void addr(boolean src, String v, List<Match> matches, String source, int ln, String raw, Problems problems) {
        boolean neg = v.startsWith("!");
        String a = neg ? v.substring(1) : v;
        AddrRange r = AddrRange.parse(a);
        if (r.isAny() && !neg) return;
        if (!r.known()) {
            if (a.equals("localhost") || a.equals("ip6-localhost")) r = AddrRange.parse(a.equals("localhost") ? "127.0.0.1" : "::1");
            else problems.add(ParseProblem.warning(source, ln, raw.indexOf(v) + 1, raw, L10n.t("pp.list.hostname", Text.printable(a, 60))));
        }
        matches.add(new Match.Addr(src, List.of(r), neg));
    }

    /** The free text after the destination column. */
    private static final class Extras {
        final String source, raw;
        final int ln, col;
        final ServiceNames names;
        final Problems problems;
        final Protocol proto;

        Extras(String source, int ln, String raw, int col, ServiceNames names, Problems problems, Protocol proto) {
            this.source = source;
            this.ln = ln;
            this.raw = raw;
            this.col = col;
            this.names = names;
            this.problems = problems;
            this.proto = proto;
        }

        Target read(String extra, String target, List<Match> matches) {
            List<Tok> toks = Tok.split(extra);
            String rejectWith = null;
            int redirFrom = 0, redirTo = 0;
            String dnatAddr = null;
            int i = 0;
            boolean neg = false;
            while (i < toks.size()) {
                String w = toks.get(i).text();
                int wcol = col + toks.get(i).column() - 1;
                if (w.equals("!")) {
                    neg = true;
                    i++;
                    continue;
                }
                if (w.equals("/*")) { // comment: up to "*/"
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < toks.size() && !toks.get(i).text().equals("*/")) sb.append(sb.isEmpty() ? "" : " ").append(toks.get(i++).text());
                    matches.add(new Match.Comment(sb.toString()));
                    i++;
                    continue;
                }
                switch (w) {
                    case "tcp", "udp" -> {
                        Protocol mp = Protocol.parse(w);
                        i++;
                        // "tcp dpt:8080 to:10.88.0.2:80": DNAT's "to:" ends the tcp/udp options
                        while (i < toks.size() && toks.get(i).text().contains(":") && !toks.get(i).text().startsWith("to:")) {
                            String s = toks.get(i).text();
                            int scol = col + toks.get(i).column() - 1;
                            int colon = s.indexOf(':');
                            String key = s.substring(0, colon), val = s.substring(colon + 1);
                            boolean pn = val.startsWith("!");
                            if (pn) val = val.substring(1);
                            switch (key) {
                                case "dpt", "dpts", "spt", "spts" -> {
                                    PortSet ps = RulePorts.list(val, mp, ':', new RulePorts.Place(source, ln, scol, raw, problems, names));
                                    Match.PortField f = key.startsWith("d") ? Match.PortField.DPORT : Match.PortField.SPORT;
                                    matches.add(ps == null ? new Match.Unknown(s) : new Match.Ports(f, w, ps, pn));
                                }
                                case "flags" -> {
                                    if (!val.equals("0x17/0x02")) matches.add(new Match.Unknown(s)); // 0x17/0x02 is --syn
                                }
                                default -> matches.add(new Match.Unknown(s));
                            }
                            i++;
                        }
                        neg = false;
                        continue;
                    }
                    case "multiport" -> {
                        if (i + 2 < toks.size() + 0 && i + 2 <= toks.size() - 1) {
                            String kind = toks.get(i + 1).text();
                            int k = i + 2;
                            boolean pn = false;
                            if (toks.get(k).text().equals("!") && k + 1 < toks.size()) {
                                pn = true;
                                k++;
                            }
                            String val = toks.get(k).text();
                            PortSet ps = RulePorts.list(val, proto, ':', new RulePorts.Place(source, ln, col + toks.get(k).column() - 1, raw,
                                    problems, names));
                            Match.PortField f = kind.equals("dports") ? Match.PortField.DPORT
                                    : kind.equals("sports") ? Match.PortField.SPORT : Match.PortField.EITHER;
                            matches.add(ps == null ? new Match.Unknown("multiport " + kind + " " + val) : new Match.Ports(f, null, ps, pn || neg));
                            i = k + 1;
                        } else {
                            unknownRest(toks, i, matches, wcol);
                            i = toks.size();
                        }
                        neg = false;
                        continue;
                    }
                    case "state", "ctstate" -> {
                        if (i + 1 < toks.size()) {
                            Set<String> st = new LinkedHashSet<>(Arrays.asList(toks.get(i + 1).text().toUpperCase(Locale.ROOT).split(",")));
                            matches.add(new Match.CtState(st, neg));
                            i += 2;
                        } else {
                            problems.add(ParseProblem.error(source, ln, wcol, raw, L10n.t("pp.list.state")));
                            i++;
                        }
                        neg = false;
                        continue;
                    }
                    case "source", "destination" -> {
                        // "source IP range A-B"
                        if (i + 3 < toks.size() && toks.get(i + 1).text().equals("IP") && toks.get(i + 2).text().equals("range")) {
                            AddrRange r = AddrRange.parse(toks.get(i + 3).text());
                            matches.add(new Match.Addr(w.equals("source"), List.of(r), neg));
                            i += 4;
                            neg = false;
                            continue;
                        }
                    }
                    case "reject-with" -> {
                        if (i + 1 < toks.size()) rejectWith = toks.get(i + 1).text();
                        i += 2;
                        continue;
                    }
                    case "redir" -> {
                        // "redir ports 80" or "redir ports 8000-8010"
                        if (i + 2 < toks.size()) {
                            String v = toks.get(i + 2).text();
                            try {
                                int d = v.indexOf('-');
                                redirFrom = Integer.parseInt(d < 0 ? v : v.substring(0, d));
                                redirTo = d < 0 ? redirFrom : Integer.parseInt(v.substring(d + 1));
                            } catch (NumberFormatException e) {
                                redirFrom = -1;
                            }
                        }
                        i += 3;
                        continue;
                    }
                    case "icmptype", "ipv6-icmptype", "icmp", "ipv6-icmp" -> {
                        i += 2;
                        continue;
                    }
                    case "ADDRTYPE" -> {
                        // ADDRTYPE match dst-type LOCAL
                        String rest = extra.substring(toks.get(i).column() - 1);
                        if (!rest.matches("ADDRTYPE match dst-type LOCAL\\s*")) matches.add(new Match.Unknown(rest));
                        i = toks.size();
                        continue;
                    }
                    default -> { }
                }
                if (w.startsWith("to:") && "DNAT".equals(target)) {
                    dnatAddr = w.substring(3);
                    i++;
                    continue;
                }
                if (target != null && (target.equals("LOG") || target.equals("NFLOG") || target.equals("MARK") || target.equals("CONNMARK")
                        || target.equals("TCPMSS") || target.equals("CT") || target.equals("NFQUEUE") || target.equals("SNAT")
                        || target.equals("MASQUERADE") || target.equals("DNAT") || target.equals("REDIRECT"))
                        && w.equals(target)) {
                    // target options such as "LOG flags 0 level 4 prefix ..." end the match text
                    break;
                }
                unknownRest(toks, i, matches, wcol);
                break;
            }
            return target(target, rejectWith, redirFrom, redirTo, dnatAddr);
        }

        private void unknownRest(List<Tok> toks, int i, List<Match> matches, int wcol) {
            StringBuilder sb = new StringBuilder();
            for (int k = i; k < toks.size(); k++) sb.append(sb.isEmpty() ? "" : " ").append(toks.get(k).text());
            matches.add(new Match.Unknown(sb.toString()));
            problems.add(ParseProblem.warning(source, ln, wcol, raw, L10n.t("pp.match.noteval", Text.printable(sb.toString(), 60))));
        }

        private Target target(String t, String rejectWith, int redirFrom, int redirTo, String dnat) {
            if (t == null) return new Target.None();
            return switch (t) {
                case "ACCEPT" -> new Target.Accept();
                case "DROP" -> new Target.Drop();
                case "RETURN" -> new Target.Return();
                case "REJECT" -> new Target.Reject(rejectWith);
                case "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "TCPMSS", "CT", "NOTRACK", "TRACE", "SNAT", "MASQUERADE", "CLASSIFY",
                     "TOS", "DSCP", "TTL", "HL", "AUDIT", "CHECKSUM", "SET" -> new Target.Continue(t);
                case "REDIRECT" -> redirFrom < 0 ? new Target.Unknown("REDIRECT") : new Target.Nat("REDIRECT", redirFrom, redirTo, null);
                case "DNAT" -> dnatTarget(dnat);
                default -> new Target.Jump(t);
            };
        }

        private Target dnatTarget(String v) {
            if (v == null) return new Target.Unknown("DNAT");
            String addr = v, port = null;
            int c = v.lastIndexOf(':');
            if (c >= 0 && v.indexOf(':') == c) {
                addr = v.substring(0, c);
                port = v.substring(c + 1);
            }
            if (port == null) return new Target.Nat("DNAT", 0, 0, addr.isEmpty() ? null : addr);
            try {
                int d = port.indexOf('-');
                int a = Integer.parseInt(d < 0 ? port : port.substring(0, d));
                int b = d < 0 ? a : Integer.parseInt(port.substring(d + 1));
                return new Target.Nat("DNAT", a, b, addr.isEmpty() ? null : addr);
            } catch (NumberFormatException e) {
                return new Target.Unknown("DNAT " + v);
            }
        }
    }
}
