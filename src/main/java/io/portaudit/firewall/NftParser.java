package io.portaudit.firewall;

import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Text;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code nft list ruleset} text: tables of family ip/ip6/inet, base chains with
 * hook/priority/policy, named and anonymous sets, verdict maps on ports, and the rule
 * statements that decide INPUT; anything else is kept as an unknown match or target.
 */
final class NftParser {
    private NftParser() {}

    /** A lexical token; {@code set} holds the elements of a {@code { ... }} group. */
    record T(String text, int line, int col, List<String> set, boolean str) {
        boolean is(String s) {
            return set == null && !str && text.equals(s);
        }
    }

    static final Set<String> STARTS = Set.of("iifname", "oifname", "iif", "oif", "ip", "ip6", "tcp", "udp", "th", "meta", "ct", "fib",
            "counter", "log", "limit", "comment", "accept", "drop", "return", "continue", "jump", "goto", "reject", "queue", "redirect",
            "dnat", "snat", "masquerade", "notrack", "icmp", "icmpv6", "l4proto", "mark", "quota");

    static Ruleset parse(String format, String source, String text, ServiceNames names, Problems problems) {
        String[] lines = io.portaudit.model.Text.lines(text);
        List<ChainBuilder.TableBuilder> tables = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ChainBuilder.TableBuilder table = null;
        ChainBuilder chain = null;
        Map<String, List<String>> sets = new HashMap<>();
        String setName = null;
        StringBuilder setBody = null;
        int depth = 0;
        ChainBuilder lastChain = null;
        int pendingDepth = 0; // inside a set/map/flowtable/unknown block
        List<T> carry = null; // a rule whose { ... } continues on the next line
        int carryLine = 0;
        String carryText = null;
        boolean any = false;
        for (int ln = 1; ln <= lines.length; ln++) {
            String raw = lines[ln - 1];
            String full = raw.strip();
            if (full.isEmpty()) continue;
            if (full.startsWith("#")) {
                if (full.toLowerCase(Locale.ROOT).contains("warning")) warnings.add(full);
                continue;
            }
            int hc = full.lastIndexOf(" # handle ");
            String line = hc >= 0 ? full.substring(0, hc).strip() : full; // nft -a
            if (setBody != null) {
                setBody.append(' ').append(line);
                if (line.equals("}")) {
                    sets.put(setName, elements(setBody.toString()));
                    setBody = null;
                    depth--;
                }
                continue;
            }
            if (pendingDepth > 0) {
                pendingDepth += balance(line);
                if (pendingDepth <= 0) {
                    pendingDepth = 0;
                    depth--;
                }
                continue;
            }
            if (carry != null) {
                carryText = carryText + " " + line;
                if (balance(carryText) > 0) continue;
                line = carryText;
                raw = carryText;
                carry = null;
            }
            // (a rule's "file:line" is made by parseRule; the other lines' only where they are kept)
            if (line.startsWith("table ")) {
                if (table != null && depth > 0) {
                    // structural check: a table starts only after the previous one's closing brace
                    problems.add(ParseProblem.error(source, ln, 1, raw, L10n.t("pp.nft.tablebefore", table.name)));
                    ChainBuilder.damageAll(table, raw.strip(), source, ln, false);
                }
                String[] f = line.split("\\s+");
                if (f.length < 3) {
                    problems.add(ParseProblem.error(source, ln, 1, raw, L10n.t("pp.expected", "table FAMILY NAME {")));
                    continue;
                }
                String fam = f.length >= 4 || !f[f.length - 1].equals("{") ? f[1] : (f.length == 3 ? "ip" : f[1]);
                String name = f.length >= 4 ? f[2] : f[1];
                if (f.length == 3 && f[2].equals("{")) { fam = "ip"; name = f[1]; }
                table = new ChainBuilder.TableBuilder(TableFamily.parse(fam), name);
                if (table.family == TableFamily.OTHER) warnings.add("table " + fam + " " + name + " (family not on the IP input path)");
                tables.add(table);
                sets = new HashMap<>();
                depth = 1;
                any = true;
                continue;
            }
            if (table == null) {
                problems.add(ParseProblem.error(source, ln, 1, raw, L10n.t("pp.nft.notpart", Text.printable(line, 40))));
                continue;
            }
            if (line.equals("}")) {
                if (depth == 2) {
                    lastChain = chain;
                    chain = null;
                } else if (depth == 1) {
                    table = null;
                    lastChain = null;
                }
                depth--;
                continue;
            }
            if (depth == 1) {
                if (line.startsWith("chain ")) {
                    String name = line.substring(6).replace("{", "").strip();
                    if (name.startsWith("\"")) name = name.replace("\"", "");
                    chain = table.chain(name);
                    chain.declSource = (source + ":" + ln);
                    depth = 2;
                } else if (line.startsWith("set ") || line.startsWith("map ")) {
                    setName = line.substring(4).replace("{", "").strip();
                    if (line.startsWith("set ")) {
                        setBody = new StringBuilder();
                    } else {
                        pendingDepth = 1;
                    }
                    depth = 2;
                } else if (line.endsWith("{")) {
                    pendingDepth = 1;
                    depth = 2;
                } else if (!line.startsWith("flags") && !line.startsWith("comment")) {
                    // most likely a rule of the chain a stray '}' closed early: its verdict is unknown
                    problems.add(ParseProblem.error(source, ln, 1, raw, lastChain == null ? L10n.t("pp.nft.tablestmt")
                            : L10n.t("pp.nft.tablestmt.rule", lastChain.name)));
                    if (lastChain != null) lastChain.rules.add(ChainBuilder.unreadable(lastChain.rules.size() + 1, line, (source + ":" + ln), ln));
                }
                continue;
            }
            if (chain == null) continue;
            if (line.startsWith("chain ") && line.endsWith("{")) {
                // a chain inside a chain: a repeated line or a lost '}' (nft never prints one); unbalanced braces
                problems.add(ParseProblem.error(source, ln, 1, raw, L10n.t("pp.nft.chaininchain", chain.name)));
                chain.rules.add(ChainBuilder.unreadable(chain.rules.size() + 1, line, (source + ":" + ln), ln));
                pendingDepth = 1;
                depth++;
                continue;
            }
            if (balance(line) > 0) {
                carry = new ArrayList<>();
                carryText = line;
                carryLine = ln;
                continue;
            }
            if (line.startsWith("type ")) {
                chainHeader(chain, line, raw, (source + ":" + ln), source, ln, problems);
                continue;
            }
            if (line.startsWith("policy ")) {
                chain.policy = ChainBuilder.policy(line.substring(7).replace(";", "").strip());
                if (chain.policy == null) {
                    problems.add(ParseProblem.error(source, ln, 1, raw, L10n.t("pp.nft.policy")));
                    chain.policy = io.portaudit.model.Verdict.ACCEPT;
                }
                chain.policyText = line;
                chain.policySource = (source + ":" + ln);
                continue;
            }
            if (line.startsWith("comment ") && chain.rules.isEmpty()) continue;
            int ruleLine = carryText != null && line == carryText ? carryLine : ln;
            carryText = null;
            parseRule(chain, table, sets, hc >= 0 ? full : line, raw, source, ruleLine, names, problems);
        }
        if (any && (depth > 0 || carry != null)) {
            // structural check: every '{' is closed; an output cut short leaves the rest of the open table unknown
            problems.add(ParseProblem.error(source, lines.length, 1, lines[lines.length - 1], L10n.t("pp.nft.unbalanced", Math.max(depth, 1))));
            ChainBuilder.TableBuilder open = tables.get(tables.size() - 1);
            ChainBuilder.damageAll(open, lines[lines.length - 1], source, lines.length, false);
        }
        if (!any && text.isBlank()) {
            // an empty ruleset: nothing filters, for either family
            tables.add(new ChainBuilder.TableBuilder(TableFamily.INET, "(empty ruleset)"));
        } else if (!any) {
            problems.add(ParseProblem.error(source, 0, 0, "", L10n.t("pp.nft.empty")));
        }
        List<Table> out = new ArrayList<>();
        for (ChainBuilder.TableBuilder tb : tables) out.add(tb.build(problems));
        return new Ruleset(format, source, "nft", out, warnings, false);
    }

    /** The '{' minus the '}' of a line, outside quoted strings. */
    private static int balance(String s) {
        if (s.indexOf('{') < 0 && s.indexOf('}') < 0) return 0; // most rule lines
        int n = 0;
        boolean q = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') q = !q;
            else if (!q && c == '{') n++;
            else if (!q && c == '}') n--;
        }
        return n;
    }

    static List<String> elements(String body) {
        int e = body.indexOf("elements");
        if (e < 0) return List.of();
        int open = body.indexOf('{', e), close = body.lastIndexOf('}');
        if (open < 0) return List.of();
        String inner = body.substring(open + 1, close > open ? close : body.length());
        int inner2 = inner.indexOf('}');
        if (inner2 >= 0) inner = inner.substring(0, inner2);
        List<String> out = new ArrayList<>();
        for (String s : inner.split(",")) {
            s = s.strip().replace("\"", "");
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }

    static int namedPriority(String p) {
        String s = p.strip();
        int sign = 0, off = 0;
        int plus = s.indexOf('+'), minus = s.indexOf(" - ");
        try {
            if (plus > 0) {
                off = Integer.parseInt(s.substring(plus + 1).strip());
                s = s.substring(0, plus).strip();
            } else if (minus > 0) {
                off = -Integer.parseInt(s.substring(minus + 3).strip());
                s = s.substring(0, minus).strip();
            }
            return Integer.parseInt(s) + off;
        } catch (NumberFormatException e) {
            sign = switch (s) {
                case "raw" -> -300;
                case "mangle" -> -150;
                case "dstnat" -> -100;
                case "filter" -> 0;
                case "security" -> 50;
                case "srcnat" -> 100;
                default -> 0;
            };
            return sign + off;
        }
    }

    private static void chainHeader(ChainBuilder chain, String line, String raw, String where, String source, int ln, Problems problems) {
        for (String part : line.split(";")) {
            String p = part.strip();
            if (p.startsWith("type ")) {
                String[] f = p.split("\\s+");
                chain.type = f.length > 1 ? f[1] : "filter";
                for (int i = 2; i + 1 < f.length; i++) {
                    if (f[i].equals("hook")) chain.hook = Hook.parse(f[i + 1]);
                }
                int pi = p.indexOf("priority ");
                if (pi >= 0) chain.priority = namedPriority(p.substring(pi + 9));
                if (chain.hook == null) {
                    problems.add(ParseProblem.warning(source, ln, 1, raw, L10n.t("pp.nft.nohook")));
                    chain.hook = Hook.OTHER;
                }
                if (chain.policy == null) {
                    chain.policy = Verdict.ACCEPT;
                    chain.policyText = "policy accept (default)";
                    chain.policySource = where;
                }
            } else if (p.startsWith("policy ")) {
                Verdict v = ChainBuilder.policy(p.substring(7).strip());
                if (v == null) {
                    problems.add(ParseProblem.error(source, ln, raw.indexOf("policy") + 1, raw, L10n.t("pp.nft.policy")));
                    v = Verdict.ACCEPT;
                }
                chain.policy = v;
                chain.policyText = line;
                chain.policySource = where;
            }
        }
    }

    /** Splits a rule line into words, quoted strings and { } groups; strips a trailing "# handle N". */
    static List<T> lex(String line, int ln) {
        List<T> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == ';') {
                i++;
                continue;
            }
            if (c == '#') break;
            if (c == '"') {
                int j = line.indexOf('"', i + 1);
                if (j < 0) j = n;
                out.add(new T(line.substring(i + 1, j), ln, i + 1, null, true));
                i = j + 1;
                continue;
            }
            if (c == '{') {
                int depth = 0, j = i;
                for (; j < n; j++) {
                    if (line.charAt(j) == '{') depth++;
                    else if (line.charAt(j) == '}' && --depth == 0) break;
                }
                String inner = line.substring(i + 1, Math.min(j, n));
                List<String> els = new ArrayList<>();
                for (String s : inner.split(",")) {
                    s = s.strip().replace("\"", "");
                    if (!s.isEmpty()) els.add(s);
                }
                out.add(new T("{" + inner + "}", ln, i + 1, els, false));
                i = j + 1;
                continue;
            }
            int j = i;
            while (j < n && " \t;{\"".indexOf(line.charAt(j)) < 0) j++;
            out.add(new T(line.substring(i, j), ln, i + 1, null, false));
            i = j;
        }
        return out;
    }

    static long handle(String line) {
        int h = line.lastIndexOf("# handle ");
        if (h < 0) return -1;
        try {
            return Long.parseLong(line.substring(h + 9).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void parseRule(ChainBuilder chain, ChainBuilder.TableBuilder table, Map<String, List<String>> sets, String line,
                                  String raw, String source, int ln, ServiceNames names, Problems problems) {
        List<T> toks = lex(line, ln);
        String text = line.contains("# handle") ? line.substring(0, line.lastIndexOf("# handle")).strip() : line;
        long handle = handle(line);
        List<Match> matches = new ArrayList<>();
        Target target = new Target.None();
        List<Map.Entry<PortSet, Target>> vmap = null;
        String vmapProto = null;
        int i = 0;
        int indent = 0; // raw.length() - raw.stripLeading().length(), without the copy
        while (indent < raw.length() && Character.isWhitespace(raw.charAt(indent))) indent++;
        while (i < toks.size()) {
            T t = toks.get(i);
            String w = t.text();
            int col = indent + t.col();
            switch (w) {
                case "iifname", "oifname", "iif", "oif" -> {
                    i++;
                    boolean neg = i < toks.size() && toks.get(i).is("!=");
                    if (neg || (i < toks.size() && toks.get(i).is("=="))) i++;
                    if (i >= toks.size()) { err(problems, source, ln, col, raw, L10n.t("pp.needsvalue", w)); break; }
                    T v = toks.get(i++);
                    List<String> vals = values(v, sets);
                    boolean in = w.startsWith("i");
                    if (vals.size() == 1) matches.add(new Match.Iface(in, vals.get(0), neg, false));
                    else matches.add(new Match.Unknown(w + (neg ? " != " : " ") + v.text()));
                }
                case "ip", "ip6" -> {
                    i++;
                    String field = i < toks.size() ? toks.get(i).text() : "";
                    i++;
                    boolean neg = i < toks.size() && toks.get(i).is("!=");
                    if (neg || (i < toks.size() && toks.get(i).is("=="))) i++;
                    if (i >= toks.size()) { err(problems, source, ln, col, raw, L10n.t("pp.needsvalue", w + " " + field)); break; }
                    T v = toks.get(i++);
                    switch (field) {
                        case "saddr", "daddr" -> {
                            List<AddrRange> rs = new ArrayList<>();
                            for (String s : values(v, sets)) rs.add(AddrRange.parse(s));
                            if (rs.isEmpty() || rs.stream().anyMatch(r -> !r.known())) {
                                warn(problems, source, ln, col, raw, L10n.t("pp.nft.address", v.text()));
                            }
                            matches.add(new Match.Addr(field.equals("saddr"), rs, neg));
                        }
                        case "protocol", "nexthdr" -> matches.add(new Match.Proto(new LinkedHashSet<>(values(v, sets)), neg));
                        default -> matches.add(new Match.Unknown(w + " " + field + " " + v.text()));
                    }
                }
                case "tcp", "udp", "th", "sctp", "dccp", "udplite" -> {
                    i++;
                    String field = i < toks.size() ? toks.get(i).text() : "";
                    if (!field.equals("dport") && !field.equals("sport")) {
                        i = unknown(toks, i - 1, matches, problems, source, ln, raw, indent);
                        break;
                    }
                    i++;
                    String proto = w.equals("th") ? null : w;
                    if (proto != null && !proto.equals("tcp") && !proto.equals("udp")) {
                        matches.add(new Match.Proto(Set.of(proto), false));
                    }
                    if (i < toks.size() && toks.get(i).is("vmap") && i + 1 < toks.size() && toks.get(i + 1).set() != null) {
                        vmap = vmap(toks.get(i + 1), proto, names, source, ln, raw, problems);
                        vmapProto = proto;
                        i += 2;
                        break;
                    }
                    boolean neg = i < toks.size() && toks.get(i).is("!=");
                    if (neg || (i < toks.size() && toks.get(i).is("=="))) i++;
                    if (i >= toks.size()) { err(problems, source, ln, col, raw, L10n.t("pp.needsvalue", w + " " + field)); break; }
                    T v = toks.get(i++);
                    List<String> vs = values(v, sets);
                    PortSet ps = RulePorts.list(vs.size() == 1 ? vs.get(0) : String.join(",", vs), Protocol.parse(proto == null ? "tcp" : proto), '-',
                            new RulePorts.Place(source, ln, indent + v.col(), raw, problems, names));
                    Match.PortField f = field.equals("dport") ? Match.PortField.DPORT : Match.PortField.SPORT;
                    if (ps == null) matches.add(new Match.Unknown(w + " " + field + " " + v.text()));
                    else matches.add(new Match.Ports(f, proto == null ? null : proto, ps, neg));
                    if (proto == null) matches.add(new Match.Proto(Set.of("tcp", "udp"), false));
                }
                case "meta" -> {
                    i++;
                    String key = i < toks.size() ? toks.get(i).text() : "";
                    if (key.equals("l4proto") || key.equals("nfproto") || key.equals("iifname") || key.equals("oifname") || key.equals("iif")
                            || key.equals("oif")) {
                        if (key.startsWith("i") || key.startsWith("o")) break; // handled as the bare keyword next round
                        i++;
                        boolean neg = i < toks.size() && toks.get(i).is("!=");
                        if (neg || (i < toks.size() && toks.get(i).is("=="))) i++;
                        if (i >= toks.size()) { err(problems, source, ln, col, raw, L10n.t("pp.needsvalue", "meta " + key)); break; }
                        T v = toks.get(i++);
                        if (key.equals("l4proto")) {
                            Set<String> ps = new LinkedHashSet<>();
                            for (String s : values(v, sets)) ps.add(IptablesArgs.protoName(s));
                            matches.add(new Match.Proto(ps, neg));
                        } else {
                            String fam = v.text();
                            AddrRange any = AddrRange.parse(fam.equals("ipv6") ? "::/0" : "0.0.0.0/0");
                            if (fam.equals("ipv4") || fam.equals("ipv6")) matches.add(new Match.Addr(true, List.of(any), neg));
                            else matches.add(new Match.Unknown("meta nfproto " + fam));
                        }
                    } else if (i + 1 < toks.size() && toks.get(i + 1).is("set")) {
                        i += 3; // meta mark set X: a statement
                    } else {
                        i = unknown(toks, i - 1, matches, problems, source, ln, raw, indent);
                    }
                }
                case "ct" -> {
                    i++;
                    String key = i < toks.size() ? toks.get(i).text() : "";
                    if (!key.equals("state")) {
                        i = unknown(toks, i - 1, matches, problems, source, ln, raw, indent);
                        break;
                    }
                    i++;
                    boolean neg = i < toks.size() && toks.get(i).is("!=");
                    if (neg || (i < toks.size() && toks.get(i).is("=="))) i++;
                    if (i + 1 < toks.size() && toks.get(i).is("vmap") && toks.get(i + 1).set() != null) {
                        // ct state vmap { invalid : drop, established : accept }: only the "new" entry concerns a NEW packet
                        Set<String> keys = new LinkedHashSet<>();
                        Target forNew = null;
                        for (String el : toks.get(i + 1).set()) {
                            int c = el.indexOf(':');
                            if (c < 0) continue;
                            String k = el.substring(0, c).strip().toUpperCase(Locale.ROOT), v = el.substring(c + 1).strip();
                            keys.add(k);
                            if (k.equals("NEW")) forNew = v.equals("accept") ? new Target.Accept() : v.equals("drop") ? new Target.Drop()
                                    : new Target.Unknown(v);
                        }
                        if (forNew != null) {
                            matches.add(new Match.CtState(Set.of("NEW"), false));
                            target = forNew;
                        } else {
                            matches.add(new Match.CtState(keys, false));
                        }
                        i += 2;
                        break;
                    }
                    if (i >= toks.size()) { err(problems, source, ln, col, raw, L10n.t("pp.needsvalue", "ct state")); break; }
                    Set<String> st = new LinkedHashSet<>();
                    for (String s : values(toks.get(i++), sets)) for (String x : s.split(",")) st.add(x.strip().toUpperCase(Locale.ROOT));
                    matches.add(new Match.CtState(st, neg));
                }
                case "icmp", "icmpv6" -> {
                    matches.add(new Match.Proto(Set.of(w.equals("icmp") ? "icmp" : "ipv6-icmp"), false));
                    i++;
                    if (i < toks.size() && (toks.get(i).is("type") || toks.get(i).is("code"))) {
                        i++;
                        if (i < toks.size() && toks.get(i).is("!=")) i++;
                        i++;
                    }
                }
                case "fib" -> {
                    if (i + 3 < toks.size() && toks.get(i + 1).is("daddr") && toks.get(i + 2).is("type") && toks.get(i + 3).is("local")) {
                        i += 4;
                    } else {
                        i = unknown(toks, i, matches, problems, source, ln, raw, indent);
                    }
                }
                case "counter" -> {
                    i++;
                    while (i + 1 < toks.size() && (toks.get(i).is("packets") || toks.get(i).is("bytes"))) i += 2;
                }
                case "log" -> {
                    i++;
                    while (i + 1 < toks.size() && Set.of("prefix", "level", "flags", "group", "snaplen", "queue-threshold")
                            .contains(toks.get(i).text())) i += 2;
                    if (target instanceof Target.None) target = new Target.Continue("log");
                }
                case "comment" -> {
                    matches.add(new Match.Comment(i + 1 < toks.size() ? toks.get(i + 1).text() : ""));
                    i += 2;
                }
                case "accept" -> { target = new Target.Accept(); i++; }
                case "drop" -> { target = new Target.Drop(); i++; }
                case "return" -> { target = new Target.Return(); i++; }
                case "continue", "notrack", "masquerade" -> { i++; }
                case "snat" -> { i = toks.size(); target = new Target.Continue("snat"); }
                case "jump", "goto" -> {
                    String to = i + 1 < toks.size() ? toks.get(i + 1).text() : "";
                    target = w.equals("jump") ? new Target.Jump(to) : new Target.Goto(to);
                    i += 2;
                }
                case "reject" -> {
                    i++;
                    String with = null;
                    if (i < toks.size() && toks.get(i).is("with")) {
                        i++;
                        if (i + 1 < toks.size() && toks.get(i).is("tcp") && toks.get(i + 1).is("reset")) {
                            with = "tcp-reset";
                            i += 2;
                        } else if (i < toks.size() && (toks.get(i).is("icmp") || toks.get(i).is("icmpv6") || toks.get(i).is("icmpx"))) {
                            // "with icmp type port-unreachable" (older nft) or "with icmp port-unreachable" (1.0)
                            String fam = toks.get(i++).text();
                            if (i < toks.size() && toks.get(i).is("type")) i++;
                            String code = i < toks.size() ? toks.get(i++).text() : "port-unreachable";
                            with = rejectWith(fam + " type " + code);
                        } else if (i < toks.size()) {
                            with = rejectWith(toks.get(i++).text());
                        }
                    }
                    target = new Target.Reject(with);
                }
                case "redirect", "dnat" -> {
                    i++;
                    if (i < toks.size() && (toks.get(i).is("ip") || toks.get(i).is("ip6"))) i++;
                    String to = null;
                    if (i + 1 < toks.size() && toks.get(i).is("to")) {
                        to = toks.get(i + 1).text();
                        i += 2;
                    }
                    target = nat(w.equals("redirect") ? "REDIRECT" : "DNAT", to);
                }
                case "queue" -> {
                    target = new Target.Unknown(text);
                    i = toks.size();
                }
                default -> i = unknown(toks, i, matches, problems, source, ln, raw, indent);
            }
        }
        int index = chain.rules.size() + 1;
        if (vmap != null) {
            for (var e : vmap) {
                List<Match> ms = new ArrayList<>(matches);
                ms.add(new Match.Ports(Match.PortField.DPORT, vmapProto, e.getKey(), false));
                chain.rules.add(new Rule(index, ms, e.getValue(), text, source + ":" + ln, ln, handle));
            }
            if (vmap.isEmpty()) chain.rules.add(new Rule(index, matches, new Target.None(), text, source + ":" + ln, ln, handle));
            return;
        }
        chain.rules.add(new Rule(index, matches, target, text, source + ":" + ln, ln, handle));
    }

    static String rejectWith(String s) {
        String x = s.strip();
        if (x.equals("tcp reset")) return "tcp-reset";
        int t = x.indexOf("type ");
        String code = t >= 0 ? x.substring(t + 5).strip() : x;
        String fam = x.startsWith("icmpv6") ? "icmp6-" : "icmp-";
        return fam + code;
    }

    static Target nat(String kind, String to) {
        if (to == null) return new Target.Nat(kind, 0, 0, null);
        String addr = null, port = null;
        if (to.startsWith(":")) port = to.substring(1);
        else if (to.startsWith("[")) {
            int e = to.indexOf(']');
            addr = to.substring(1, Math.max(1, e));
            if (e > 0 && e + 1 < to.length() && to.charAt(e + 1) == ':') port = to.substring(e + 2);
        } else {
            int c = to.lastIndexOf(':');
            if (c > 0 && to.indexOf(':') == c) {
                addr = to.substring(0, c);
                port = to.substring(c + 1);
            } else {
                addr = to;
            }
        }
        if (port == null) return new Target.Nat(kind, 0, 0, addr);
        try {
            int d = port.indexOf('-');
            int a = Integer.parseInt(d < 0 ? port : port.substring(0, d));
            int b = d < 0 ? a : Integer.parseInt(port.substring(d + 1));
            if (a < 1 || b > 65535 || a > b) return new Target.Unknown(kind + " to " + to);
            return new Target.Nat(kind, a, b, addr);
        } catch (NumberFormatException e) {
            return new Target.Unknown(kind + " to " + to);
        }
    }

    private static List<Map.Entry<PortSet, Target>> vmap(T set, String proto, ServiceNames names, String source, int ln, String raw,
                                                         Problems problems) {
        List<Map.Entry<PortSet, Target>> out = new ArrayList<>();
        for (String el : set.set()) {
            int c = el.indexOf(':');
            if (c < 0) continue;
            String k = el.substring(0, c).strip(), v = el.substring(c + 1).strip();
            PortSet ps = RulePorts.list(k, Protocol.parse(proto == null ? "tcp" : proto), '-', new RulePorts.Place(source, ln, 0, raw, problems, names));
            if (ps == null) continue;
            Target tg = switch (v.split("\\s+")[0]) {
                case "accept" -> new Target.Accept();
                case "drop" -> new Target.Drop();
                case "return" -> new Target.Return();
                case "jump" -> new Target.Jump(v.split("\\s+").length > 1 ? v.split("\\s+")[1] : "");
                case "goto" -> new Target.Goto(v.split("\\s+").length > 1 ? v.split("\\s+")[1] : "");
                default -> new Target.Unknown(v);
            };
            out.add(Map.entry(ps, tg));
        }
        return out;
    }

    private static List<String> values(T v, Map<String, List<String>> sets) {
        if (v.set() != null) return v.set();
        if (v.text().startsWith("@")) {
            List<String> s = sets.get(v.text().substring(1));
            return s == null ? List.of() : s;
        }
        List<String> out = new ArrayList<>();
        for (String s : v.text().split(",")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    private static int unknown(List<T> toks, int i, List<Match> matches, Problems problems, String source, int ln, String raw, int indent) {
        StringBuilder sb = new StringBuilder(toks.get(i).text());
        int col = indent + toks.get(i).col();
        int j = i + 1;
        while (j < toks.size() && !STARTS.contains(toks.get(j).text())) sb.append(' ').append(toks.get(j++).text());
        matches.add(new Match.Unknown(sb.toString()));
        warn(problems, source, ln, col, raw, L10n.t("pp.noteval", Text.printable(sb.toString(), 60)));
        return j;
    }

    private static void err(Problems p, String source, int ln, int col, String raw, String msg) {
        p.add(ParseProblem.error(source, ln, col, raw, msg));
    }

    private static void warn(Problems p, String source, int ln, int col, String raw, String msg) {
        p.add(ParseProblem.warning(source, ln, col, raw, msg));
    }
}
