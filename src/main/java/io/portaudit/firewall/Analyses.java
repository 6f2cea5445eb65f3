package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Evidence;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import io.portaudit.model.Severity;
import io.portaudit.model.ShellWord;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The firewall findings: {@code ambiguous-listing}, {@code shadowed-rule}, {@code accept-all-policy},
 * {@code wide-accept-range}, {@code ipv6-unfiltered}, {@code backend-conflict}.
 */
final class Analyses {
    /** A rule accepting at least this many ports (per protocol) is "wide". */
    static final int WIDE = 1000;

    private Analyses() {}

    static List<Finding> all(List<Ruleset> rulesets, List<Exposure> exposures, Set<AddressFamily> families, List<String> extraWarnings) {
        List<Finding> out = new ArrayList<>();
        for (Ruleset rs : rulesets) ambiguous(rs, out);
        for (Ruleset rs : rulesets) shadowed(rs, out);
        for (Ruleset rs : rulesets) acceptAll(rs, exposures, out);
        wide(rulesets, exposures, out);
        ipv6(rulesets, exposures, families, out);
        backendConflict(rulesets, extraWarnings, out);
        return out;
    }

    static String tool(Ruleset rs, Table t) {
        return t.family() == TableFamily.IP6 ? "ip6tables" : "iptables";
    }

    static boolean isNft(Ruleset rs) {
        return rs.format().startsWith("nft");
    }

    static String deleteCommand(Ruleset rs, Table t, Chain c, Rule r) {
        if (isNft(rs)) {
            String where = t.family().label() + " " + ShellWord.quote(t.name()) + " " + ShellWord.quote(c.name());
            return r.handle() >= 0 ? "nft delete rule " + where + " handle " + r.handle()
                    : "nft -a list chain " + where + "   # " + ShellWord.comment("then delete it by the handle shown after it: nft delete rule "
                            + where + " handle (its number)");
        }
        return tool(rs, t) + (t.name().equals("filter") ? "" : " -t " + ShellWord.quote(t.name())) + " -D " + ShellWord.quote(c.name())
                + " " + r.index();
    }

    private static Evidence evidence(Rule r) {
        return new Evidence("firewall", r.text(), r.source());
    }

    // ---- ambiguous-listing

    /** Every rule whose hidden interface portaudit assumed, with what its literal reading would expose. */
    static List<HiddenInterface> hiddenInterfaces(List<Ruleset> rulesets) {
        List<HiddenInterface> out = new ArrayList<>();
        for (Ruleset rs : rulesets) {
            eachHiddenInterface(rs, (t, c, r, literal, fam) -> {
                List<Exposure> ex = new ArrayList<>();
                for (Protocol p : Protocol.values()) ex.add(Evaluator.exposure(List.of(literal), Packet.remote(fam, p)));
                out.add(new HiddenInterface(c.name(), r.index(), r.text(), r.source(), fam, ex));
            });
        }
        return out;
    }

    /** What {@link #eachHiddenInterface} hands over: a rule with an assumed interface, and the ruleset with it read literally. */
    private interface HiddenRule {
        void visit(Table t, Chain c, Rule r, Ruleset literal, AddressFamily fam);
    }

    /** Calls {@code v} for every rule of {@code rs} whose hidden interface portaudit assumed. */
    private static void eachHiddenInterface(Ruleset rs, HiddenRule v) {
        if (!rs.interfacesHidden()) return;
        for (Table t : rs.tables()) {
            for (Chain c : t.chains()) {
                for (Rule r : c.rules()) {
                    Ruleset literal = literal(rs, t, c, r);
                    if (literal == null) continue;
                    v.visit(t, c, r, literal, t.family() == TableFamily.IP6 ? AddressFamily.IPV6 : AddressFamily.IPV4);
                }
            }
        }
    }

    /** The ruleset with rule r read literally (its assumed interface match dropped); null when r has none. */
    private static Ruleset literal(Ruleset rs, Table t, Chain c, Rule r) {
        if (r.matches().stream().noneMatch(m -> m instanceof Match.Iface i && i.assumed())) return null;
        return replace(rs, t, c, r, new Rule(r.index(), r.matches().stream()
                .filter(m -> !(m instanceof Match.Iface i && i.assumed())).toList(), r.target(), r.text(), r.source(), r.line(),
                r.handle()));
    }

    private static void ambiguous(Ruleset rs, List<Finding> out) {
        eachHiddenInterface(rs, (t, c, r, literal, fam) -> {
            StringBuilder diff = new StringBuilder();
            for (Protocol p : Protocol.values()) {
                Exposure a = Evaluator.exposure(List.of(rs), Packet.remote(fam, p));
                Exposure b = Evaluator.exposure(List.of(literal), Packet.remote(fam, p));
                Map<String, List<PortRange>> byChange = differing(a, b);
                for (var en : byChange.entrySet()) {
                    diff.append(diff.isEmpty() ? "" : "; ").append(p.label()).append(' ').append(PortSet.of(en.getValue()))
                            .append(' ').append(en.getKey());
                }
            }
            String t0 = tool(rs, t);
            out.add(new Finding("ambiguous-listing", Severity.MEDIUM,
                    L10n.t("amb.title", L10n.t("rule.label", c.name(), r.index()), r.text().replaceAll("\\s+", " ")),
                    null, fam, null,
                    L10n.t("amb.detail", t0, "-A " + c.name() + " -i lo -j ACCEPT", diff.isEmpty() ? L10n.t("amb.none") : diff),
                    List.of(evidence(r)),
                    List.of(L10n.t("amb.fix1", t0 + " -L " + ShellWord.quote(c.name()) + " -v -n --line-numbers", t0 + "-save"),
                            L10n.t("amb.fix2", t0 + " -D " + ShellWord.quote(c.name()) + " " + r.index()))));
        });
    }

    /** Ports whose verdict differs, grouped by "X if -i lo, Y if it matches every interface". */
    private static Map<String, List<PortRange>> differing(Exposure a, Exposure b) {
        Map<String, List<PortRange>> out = new LinkedHashMap<>();
        int i = 0, j = 0;
        var ra = a.ranges();
        var rb = b.ranges();
        while (i < ra.size() && j < rb.size()) {
            ExposureRange x = ra.get(i), y = rb.get(j);
            int from = Math.max(x.range().from(), y.range().from()), to = Math.min(x.range().to(), y.range().to());
            if (from <= to && x.verdict() != y.verdict()) {
                out.computeIfAbsent("(" + x.verdict().label() + " if -i lo, " + y.verdict().label() + " if it matches every interface)",
                        k -> new ArrayList<>()).add(new PortRange(from, to));
            }
            if (x.range().to() < y.range().to()) i++;
            else j++;
        }
        return out;
    }

    private static Ruleset replace(Ruleset rs, Table t, Chain c, Rule old, Rule neu) {
        List<Table> tables = new ArrayList<>();
        for (Table x : rs.tables()) {
            if (x != t) {
                tables.add(x);
                continue;
            }
            List<Chain> chains = new ArrayList<>();
            for (Chain y : x.chains()) {
                if (y != c) {
                    chains.add(y);
                    continue;
                }
                List<Rule> rules = new ArrayList<>(y.rules());
                rules.replaceAll(r -> r == old ? neu : r);
                chains.add(new Chain(y.name(), y.hook(), y.priority(), y.type(), y.policy(), y.policyText(), y.policySource(), rules));
            }
            tables.add(new Table(x.family(), x.name(), chains));
        }
        return new Ruleset(rs.format(), rs.source(), rs.backend(), tables, rs.warnings(), rs.interfacesHidden());
    }

    // ---- shadowed-rule

    /**
     * A rule seen by the shadowed-rule analysis: the ports it matches per protocol from its
     * protocol and destination-port tests ({@code ports}), the other tests every packet it matches
     * must pass ({@code conditions}: interface, address, conntrack state, source port — deterministic
     * per packet), and whether it may cover later rules ({@code covers}: no test portaudit does not
     * understand — a rate limit or a "recent" list matches only sometimes, so it covers nothing).
     * A rule's packets are a subset of what {@code ports} and {@code conditions} describe (a test not
     * understood only narrows it), so "earlier rules decide all of that" is sound. Packets of other
     * protocols (ICMP, SCTP...): {@code other}, the rule may match some; {@code allOther}, it matches
     * all of them (no protocol or port test) and so decides them for later rules.
     */
    private record Shape(Map<Protocol, PortSet> ports, Set<Match> conditions, boolean covers, boolean other, boolean allOther) {}

    private static final Set<String> TCP_UDP = Set.of("tcp", "6", "udp", "17");

    private static Shape shape(Rule r) {
        Map<Protocol, PortSet> m = new LinkedHashMap<>();
        for (Protocol p : Protocol.values()) m.put(p, PortSet.all());
        Set<Match> conditions = new java.util.HashSet<>();
        boolean covers = true, other = true, allOther = true;
        for (Match x : r.matches()) {
            switch (x) {
                case Match.Proto pr -> {
                    for (Protocol p : Protocol.values()) {
                        boolean hit = pr.names().contains(p.label()) || pr.names().contains("all");
                        if (hit == pr.negated()) m.put(p, PortSet.empty());
                    }
                    boolean any = pr.names().contains("all"), onlyTcpUdp = !any && TCP_UDP.containsAll(pr.names());
                    if (pr.negated() ? any : onlyTcpUdp) other = false;
                    if (pr.negated() ? !onlyTcpUdp : !any) allOther = false;
                }
                case Match.Ports ps when ps.field() == Match.PortField.DPORT -> {
                    // (nft "th dport" names no protocol: SCTP and DCCP have ports too)
                    if (ps.protocol() != null && TCP_UDP.contains(ps.protocol())) other = false;
                    allOther = false;
                    PortSet s = ps.negated() ? ps.ports().complement() : ps.ports();
                    for (Protocol p : Protocol.values()) {
                        if (ps.protocol() != null && !ps.protocol().equals(p.label())) m.put(p, PortSet.empty());
                        else m.put(p, m.get(p).intersect(s));
                    }
                }
                case Match.Ports ps -> {
                    // a source-port test (or --ports: either) also limits the protocol
                    conditions.add(ps);
                    if (ps.protocol() != null && TCP_UDP.contains(ps.protocol())) other = false;
                    allOther = false;
                    if (ps.protocol() != null) for (Protocol p : Protocol.values()) if (!ps.protocol().equals(p.label())) m.put(p, PortSet.empty());
                }
                case Match.Iface i -> conditions.add(i);
                case Match.Addr a -> conditions.add(a);
                case Match.CtState c -> conditions.add(c);
                case Match.Comment c -> { }
                case Match.Unknown u -> covers = false;
            }
        }
        return new Shape(m, Set.copyOf(conditions), covers, other, allOther);
    }

    /** What earlier terminal rules with one set of conditions decide: per protocol, the ports still open. */
    private static final class Cover {
        final Map<Protocol, Pending> open = new LinkedHashMap<>();
        /** Packets of protocols other than TCP and UDP are all decided. */
        boolean otherDecided;
        Rule last;

        Cover() {
            for (Protocol p : Protocol.values()) open.put(p, new Pending(PortSet.all()));
        }
    }

    /** A rule with up to this many conditions looks up each subset of them (at most 16 lookups). */
    private static final int SUBSETS_UP_TO = 4;
    /** With more conditions, every group is tested when there are at most this many, else only none and all of them. */
    private static final int GROUPS_TESTED = 64;

    private static void shadowed(Ruleset rs, List<Finding> out) {
        // a listing that hides interfaces cannot show whether an earlier rule really covers a later one
        // (the seed's two identical "ACCEPT all" rules in OUTPUT are most likely -o lo and something else)
        if (rs.interfacesHidden()) return;
        for (Table t : rs.tables()) {
            for (Chain c : t.chains()) {
                // earlier terminal rules, grouped by their conditions: a later rule is covered by those
                // groups whose conditions are a subset of its own (every packet it matches passes them)
                Map<Set<Match>, Cover> covers = new java.util.HashMap<>();
                for (Rule r : c.rules()) {
                    Shape sh = shape(r);
                    boolean relevant = sh.other();
                    for (PortSet s : sh.ports().values()) relevant |= !s.isEmpty();
                    if (!relevant) continue;
                    List<Cover> applicable = applicable(covers, sh.conditions());
                    if (!applicable.isEmpty() && coveredBy(sh, applicable)) {
                        Rule by = null;
                        for (Cover cv : applicable) if (cv.last != null && (by == null || cv.last.index() > by.index())) by = cv.last;
                        List<Evidence> ev = new ArrayList<>();
                        ev.add(evidence(r));
                        if (by != null) ev.add(evidence(by));
                        out.add(new Finding("shadowed-rule", Severity.LOW,
                                L10n.t("shadow.title", L10n.t("rule.label", c.name(), r.index())), null,
                                t.family() == TableFamily.IP6 ? AddressFamily.IPV6 : t.family() == TableFamily.IP ? AddressFamily.IPV4 : null,
                                null,
                                L10n.t("shadow.detail", c.name(), by == null ? "" : L10n.t("shadow.last", by.index())),
                                ev, List.of(deleteCommand(rs, t, c, r) + "   # " + L10n.t("shadow.fix"))));
                    }
                    boolean terminal = r.target() instanceof Target.Accept || r.target() instanceof Target.Drop
                            || r.target() instanceof Target.Reject || r.target() instanceof Target.Return;
                    if (terminal && sh.covers()) {
                        Cover cv = covers.computeIfAbsent(sh.conditions(), k -> new Cover());
                        for (Protocol p : Protocol.values()) {
                            PortSet s = sh.ports().get(p);
                            if (!s.isEmpty() && !cv.open.get(p).take(s).isEmpty()) cv.last = r;
                        }
                        if (sh.allOther() && !cv.otherDecided) {
                            cv.otherDecided = true;
                            cv.last = r;
                        }
                    }
                }
            }
        }
    }

    /** The groups of earlier rules whose conditions are a subset of {@code conditions} (all of them, or a sound few). */
    private static List<Cover> applicable(Map<Set<Match>, Cover> covers, Set<Match> conditions) {
        List<Cover> out = new ArrayList<>();
        if (conditions.size() <= SUBSETS_UP_TO) {
            List<Match> list = List.copyOf(conditions);
            for (int mask = 0; mask < 1 << list.size(); mask++) {
                Set<Match> sub = new java.util.HashSet<>();
                for (int i = 0; i < list.size(); i++) if ((mask & 1 << i) != 0) sub.add(list.get(i));
                Cover cv = covers.get(sub);
                if (cv != null) out.add(cv);
            }
        } else if (covers.size() <= GROUPS_TESTED) {
            for (Map.Entry<Set<Match>, Cover> e : covers.entrySet()) if (conditions.containsAll(e.getKey())) out.add(e.getValue());
        } else {
            for (Set<Match> k : List.of(Set.<Match>of(), conditions)) if (covers.get(k) != null) out.add(covers.get(k));
        }
        return out;
    }

    /** Do the groups together decide every port the rule matches, for every protocol it matches? */
    private static boolean coveredBy(Shape sh, List<Cover> applicable) {
        if (sh.other() && applicable.stream().noneMatch(cv -> cv.otherDecided)) return false;
        for (Protocol p : Protocol.values()) {
            PortSet rest = sh.ports().get(p);
            for (Cover cv : applicable) {
                if (rest.isEmpty()) break;
                rest = cv.open.get(p).peek(rest);
            }
            if (!rest.isEmpty()) return false;
        }
        return true;
    }

    // ---- accept-all-policy

    /**
     * A base input chain whose policy ACCEPT decides for most ports of a protocol (more than half of
     * 1-65535 for a remote host): with no rules at all (the seed's G3), and just as much with one DROP
     * rule, or with a fail2ban-style jump to a chain that returns — the few rules filter a few ports or
     * sources, every other port is open to whatever starts listening.
     */
    private static void acceptAll(Ruleset rs, List<Exposure> exposures, List<Finding> out) {
        for (Table t : rs.tables()) {
            for (Chain c : t.chains()) {
                if (c.hook() != Hook.INPUT || c.policy() != Verdict.ACCEPT) continue;
                if (!"filter".equals(c.type()) || !(t.name().equals("filter") || isNft(rs))) continue;
                AddressFamily only = t.family() == TableFamily.IP6 ? AddressFamily.IPV6 : t.family() == TableFamily.IP ? AddressFamily.IPV4 : null;
                // per (family, protocol): the ports this policy accepts, and the rules that decide the others
                StringBuilder counts = new StringBuilder();
                Map<RuleRef, Boolean> others = new LinkedHashMap<>();
                boolean most = false;
                for (Exposure e : exposures) {
                    if (only != null && e.family() != only) continue;
                    long byPolicy = 0;
                    for (ExposureRange r : e.ranges()) {
                        boolean policy = r.rule() != null && r.rule().isPolicy() && r.rule().chain().equals(c.name())
                                && java.util.Objects.equals(r.rule().source(), c.policySource());
                        if (policy && r.verdict() == Verdict.ACCEPT) byPolicy += r.range().size();
                        else if (r.rule() != null && !r.rule().isPolicy()) others.putIfAbsent(r.rule(), true);
                    }
                    if (byPolicy == 0) continue;
                    most |= byPolicy > PortRange.all().size() / 2;
                    counts.append(counts.isEmpty() ? "" : ", ").append(only == null ? e.family().label() + " " : "")
                            .append(e.protocol().label()).append(' ').append(byPolicy).append(" of ").append(PortRange.all().size());
                }
                if (!most && !c.rules().isEmpty()) continue;
                if (counts.isEmpty() && !c.rules().isEmpty()) continue;
                String fam = t.family() == TableFamily.IP6 ? "ip6tables" : "iptables";
                String where = t.family().label() + " " + ShellWord.quote(t.name()) + " " + ShellWord.quote(c.name());
                boolean v6 = t.family() != TableFamily.IP;
                List<String> remedy = isNft(rs)
                        ? List.of("nft add rule " + where + " iifname lo accept",
                                "nft add rule " + where + " ct state established,related accept",
                                "nft add rule " + where + " meta l4proto { icmp, ipv6-icmp } accept   # ICMPv6 carries IPv6 neighbour discovery",
                                "add one accept rule per port the product ships (the listeners in the port table), then:",
                                "nft chain " + where + " '{ policy drop; }'")
                        : List.of(fam + " -A INPUT -i lo -j ACCEPT",
                                fam + " -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                                fam + (v6 ? " -A INPUT -p ipv6-icmp -j ACCEPT   # neighbour discovery" : " -A INPUT -p icmp -j ACCEPT"),
                                L10n.t("aap.addrules"),
                                fam + " -P INPUT DROP");
                List<Evidence> ev = new ArrayList<>();
                ev.add(new Evidence("firewall", c.policyText(), c.policySource()));
                if (c.rules().isEmpty()) {
                    out.add(new Finding("accept-all-policy", Severity.HIGH, L10n.t("aap.empty.title", c.name()),
                            null, only, PortRange.all(), L10n.t("aap.empty.detail", c.name()),
                            ev, remedy));
                    continue;
                }
                int shown = 0;
                for (RuleRef r : others.keySet()) {
                    if (shown++ == 5) break;
                    ev.add(new Evidence("firewall", r.text(), r.source()));
                }
                out.add(new Finding("accept-all-policy", Severity.HIGH, L10n.t("aap.most.title", c.name(), counts), null, only, PortRange.all(),
                        L10n.t("aap.most.detail", c.name(), c.rules().size(),
                                others.isEmpty() ? L10n.t("aap.most.none") : L10n.t("aap.most.others", others.size())),
                        ev, remedy));
            }
        }
    }

    // ---- wide-accept-range

    private static void wide(List<Ruleset> rulesets, List<Exposure> exposures, List<Finding> out) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Exposure e : exposures) {
            Map<RuleRef, List<PortRange>> byRule = new LinkedHashMap<>();
            for (ExposureRange r : e.ranges()) {
                if (r.verdict() != Verdict.ACCEPT || r.rule() == null || r.rule().isPolicy()) continue;
                byRule.computeIfAbsent(r.rule(), k -> new ArrayList<>()).add(r.range());
            }
            for (var en : byRule.entrySet()) {
                PortSet ps = PortSet.of(en.getValue());
                if (ps.size() < WIDE) continue;
                RuleRef ref = en.getKey();
                if (seen.put(e.family() + "|" + e.protocol() + "|" + ref.source(), true) != null) continue;
                String del = deleteFor(rulesets, ref, e.family());
                List<PortRange> rs = ps.ranges();
                out.add(new Finding("wide-accept-range", Severity.MEDIUM,
                        L10n.t("wide.title", ref.label(), ps.size(), e.protocol().label(), ps),
                        e.protocol(), e.family(), new PortRange(rs.get(0).from(), rs.get(rs.size() - 1).to()),
                        L10n.t("wide.detail"),
                        List.of(new Evidence("firewall", ref.text(), ref.source())),
                        List.of(del, narrow(rulesets, ref, e))));
            }
        }
    }

    private static String narrow(List<Ruleset> rulesets, RuleRef ref, Exposure e) {
        for (Ruleset rs : rulesets) {
            for (Table t : rs.tables()) {
                if (!t.name().equals(ref.table())) continue;
                return L10n.t("wide.narrow", e.protocol().label());
            }
        }
        return "replace it with rules for only the ports your listeners need";
    }

    private static String deleteFor(List<Ruleset> rulesets, RuleRef ref, AddressFamily fam) {
        for (Ruleset rs : rulesets) {
            for (Table t : rs.tables()) {
                if (!t.name().equals(ref.table()) || !t.family().covers(fam)) continue;
                Chain c = t.chain(ref.chain());
                if (c == null) continue;
                for (Rule r : c.rules()) if (r.source().equals(ref.source())) return deleteCommand(rs, t, c, r);
            }
        }
        return (fam == AddressFamily.IPV6 ? "ip6tables" : "iptables") + " -D " + ShellWord.quote(ref.chain()) + " " + ref.index();
    }

    // ---- ipv6-unfiltered

    private static void ipv6(List<Ruleset> rulesets, List<Exposure> exposures, Set<AddressFamily> families, List<Finding> out) {
        if (!families.contains(AddressFamily.IPV4)) return;
        for (Protocol p : Protocol.values()) {
            Exposure v4 = exposures.stream().filter(e -> e.family() == AddressFamily.IPV4 && e.protocol() == p).findFirst().orElse(null);
            if (v4 == null) continue;
            PortSet blocked4 = v4.ports(Verdict.DROP).union(v4.ports(Verdict.REJECT));
            if (blocked4.isEmpty()) continue;
            if (!families.contains(AddressFamily.IPV6)) {
                out.add(new Finding("ipv6-unfiltered", Severity.MEDIUM, L10n.t("v6set.none.title"), p,
                        AddressFamily.IPV6, null, L10n.t("v6set.none.detail", blocked4.size(), p.label()),
                        List.of(), List.of(L10n.t("v6set.none.fix1", "ip6tables-save", "nft list ruleset"),
                                L10n.t("v6set.none.fix2", "iptables-save | sed 's/icmp-port-unreachable/icmp6-port-unreachable/' | ip6tables-restore"),
                                L10n.t("v6set.none.fix3", "sysctl -w net.ipv6.conf.all.disable_ipv6=1"))));
                return;
            }
            Exposure v6 = exposures.stream().filter(e -> e.family() == AddressFamily.IPV6 && e.protocol() == p).findFirst().orElse(null);
            if (v6 == null) continue;
            PortSet open6 = v6.ports(Verdict.ACCEPT).union(v6.ports(Verdict.UNKNOWN));
            PortSet leak = open6.intersect(blocked4);
            if (leak.isEmpty()) continue;
            ExposureRange first = v6.at(leak.ranges().get(0).from());
            List<Evidence> ev = first.rule() == null ? List.of() : List.of(new Evidence("firewall", first.rule().text(), first.rule().source()));
            out.add(new Finding("ipv6-unfiltered", Severity.HIGH, L10n.t("v6set.leak.title", leak.size(), p.label(), leak), p, AddressFamily.IPV6,
                    new PortRange(leak.ranges().get(0).from(), leak.ranges().get(leak.rangeCount() - 1).to()),
                    L10n.t("v6set.leak.detail"), ev, List.of(L10n.t("v6set.leak.fix1"), L10n.t("v6set.leak.fix2"))));
        }
    }

    // ---- backend-conflict

    private static void backendConflict(List<Ruleset> rulesets, List<String> extra, List<Finding> out) {
        List<Evidence> ev = new ArrayList<>();
        for (Ruleset rs : rulesets) {
            for (String w : rs.warnings()) if (w.contains("legacy tables present") || w.contains("iptables-legacy")) ev.add(new Evidence("firewall", w, rs.source()));
        }
        for (String w : extra) if (w.contains("legacy")) ev.add(new Evidence("firewall", w, "stderr"));
        boolean legacy = rulesets.stream().anyMatch(r -> r.backend().equals("iptables-legacy") && !r.tables().isEmpty());
        boolean nft = rulesets.stream().anyMatch(r -> (r.backend().equals("iptables-nft") || r.backend().equals("nft")) && !r.tables().isEmpty());
        if (legacy && nft) {
            for (Ruleset rs : rulesets) ev.add(new Evidence("firewall", "backend " + rs.backend(), rs.source()));
        }
        if (ev.isEmpty()) return;
        out.add(new Finding("backend-conflict", Severity.HIGH, L10n.t("backend.title"), null, null, null, L10n.t("backend.detail"),
                ev, List.of(L10n.t("backend.fix1", "iptables-legacy-save; ip6tables-legacy-save; nft list ruleset"),
                        L10n.t("backend.fix2", "iptables-legacy-save | iptables-nft-restore", "iptables-legacy -F; "
                                + "iptables-legacy -X; for t in nat mangle raw; do iptables-legacy -t $t -F; done"))));
    }
}
