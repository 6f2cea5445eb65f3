package io.portaudit.firewall;

import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.RuleRef;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks the kernel's INPUT path symbolically over port intervals: PREROUTING base chains (raw,
 * mangle, nat with REDIRECT/DNAT changing the port), then INPUT base chains, each hook's chains
 * by priority; first match wins inside a chain, jumps/gotos/RETURN as the kernel does, a DROP or
 * REJECT in any base chain ends the packet, an ACCEPT passes it on to the next base chain.
 *
 * <p>Conditions the packet description leaves open (source address, interface) make a rule "maybe
 * match"; a port whose verdict would then differ between "reaches" and "does not reach" becomes
 * {@link Verdict#UNKNOWN}; a port that is accepted on the main reading stays accepted.
 */
public final class Evaluator {
    private static final int MAX_DEPTH = 64;
    private static final Set<String> KNOWN_STATES = Set.of("NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED", "SNAT", "DNAT",
            "NOT-SYN");

    /** One base chain in walk order, with its table. */
    record Stage(Table table, Chain chain) {}

    private record Decision(PortSet ports, Verdict verdict, String rejectWith, RuleRef rule, ExposureRange.Redirect redirect) {
        Decision(PortSet ports, Verdict verdict, String rejectWith, RuleRef rule) {
            this(ports, verdict, rejectWith, rule, null);
        }
    }

    private record NatMap(PortSet ports, Target.Nat nat, RuleRef rule) {}

    private static final class Out {
        final List<Decision> decided = new ArrayList<>();
        final List<Decision> alts = new ArrayList<>();
        final List<NatMap> nats = new ArrayList<>();
        PortSet returned = PortSet.empty();
    }

    /** Rule visits one evaluation may spend (a DAG of chains that jump twice to the next is exponential). */
    static final long BUDGET = 20_000_000;
    private long budget = BUDGET;
    private final java.util.ArrayDeque<String> callStack = new java.util.ArrayDeque<>();
    private final List<Stage> stages;
    private final Packet packet;
    private final List<String> trace;

    private final List<Ruleset> rulesets;
    /** Walking the FORWARD path of a DNATed packet: it has an output interface (which one is not known). */
    private boolean forwarded;

    private Evaluator(List<Stage> stages, Packet packet, List<String> trace, List<Ruleset> rulesets) {
        this.stages = stages;
        this.packet = packet;
        this.trace = trace;
        this.rulesets = rulesets;
    }

    /** The FORWARD base chains of {@code p}'s family, by priority: what a DNATed packet to another address meets. */
    static List<Stage> forwardStages(List<Ruleset> rulesets, Packet p) {
        List<Stage> out = new ArrayList<>();
        for (Ruleset rs : rulesets) {
            for (Table t : rs.tables()) {
                if (!t.family().covers(p.family())) continue;
                for (Chain c : t.chains()) if (c.hook() == Hook.FORWARD) out.add(new Stage(t, c));
            }
        }
        out.sort(Comparator.comparingInt(s -> s.chain().priority()));
        return out;
    }

    /** The base chains a packet to this host passes, in order. */
    static List<Stage> stages(List<Ruleset> rulesets, Packet p) {
        List<Stage> out = new ArrayList<>();
        for (Ruleset rs : rulesets) {
            for (Table t : rs.tables()) {
                if (!t.family().covers(p.family())) continue;
                for (Chain c : t.chains()) {
                    if (c.hook() == Hook.PREROUTING || c.hook() == Hook.INPUT) out.add(new Stage(t, c));
                }
            }
        }
        out.sort(Comparator.comparingInt((Stage s) -> s.chain().hook() == Hook.PREROUTING ? 0 : 1)
                .thenComparingInt(s -> s.chain().priority()));
        return out;
    }

    /** What a remote host's packets of {@code packet}'s family and protocol meet, port by port. */
    public static Exposure exposure(List<Ruleset> rulesets, Packet packet) {
        Evaluator ev = new Evaluator(stages(rulesets, packet), packet, null, rulesets);
        List<Decision> finals = new ArrayList<>();
        List<Decision> alts = new ArrayList<>();
        ev.run(0, PortSet.all(), finals, alts, 0);
        return new Exposure(packet.family(), packet.protocol(), partition(finals, alts));
    }

    /** The path one packet to {@code port} takes, rule by rule, and its verdict. */
    /**
     * For a trace: which reading of a rule whose interface {@code iptables -L} hid was followed (portaudit reads it as
     * {@code -i lo}; ambiguous-listing), and what the other reading would have done. Empty for every other rule.
     */
    static String reading(Rule r, boolean matched) {
        for (Match m : r.matches()) {
            if (m instanceof Match.Iface i && i.assumed()) {
                String as = (i.negated() ? "! " : "") + (i.in() ? "-i " : "-o ") + i.name();
                return " " + (matched ? io.portaudit.model.L10n.t("fw.tr.readas.match", as) : io.portaudit.model.L10n.t("fw.tr.readas.nomatch", as, r.target().label()));
            }
        }
        return "";
    }

    public static List<String> trace(List<Ruleset> rulesets, Packet packet, int port) {
        List<String> lines = new ArrayList<>();
        Evaluator ev = new Evaluator(stages(rulesets, packet), packet, lines, rulesets);
        List<Decision> finals = new ArrayList<>();
        List<Decision> alts = new ArrayList<>();
        ev.run(0, PortSet.of(port), finals, alts, 0);
        ExposureRange r = new Exposure(packet.family(), packet.protocol(), partition(finals, alts)).at(port);
        String verdict = r.verdict().label() + (r.rejectWith() == null ? "" : " (" + r.rejectWith() + ")");
        lines.add(r.rule() == null ? io.portaudit.model.L10n.t("fw.tr.verdict", verdict) : io.portaudit.model.L10n.t("fw.tr.verdictby", verdict, r.rule().table() + " " + r.rule().label()));
        return lines;
    }

    /** Walks stages from {@code from} for {@code alive}; adds final decisions (ACCEPT ones decided at the end). */
    private void run(int from, PortSet alive, List<Decision> finals, List<Decision> alts, int natDepth) {
        List<Decision> accepted = new ArrayList<>();
        Pending live = new Pending(alive);
        for (int si = from; si < stages.size() && !live.isEmpty(); si++) {
            Stage st = stages.get(si);
            PortSet in = live.toSet();
            if (trace != null) trace.add("-> " + st.table().family().label() + " " + st.table().name() + " " + st.chain().name()
                    + " " + io.portaudit.model.L10n.t("fw.tr.stage", st.chain().hook().name().toLowerCase(java.util.Locale.ROOT), st.chain().priority()));
            Out o = new Out();
            walk(st.table(), st.chain(), in, 0, o);
            alts.addAll(o.alts);
            for (Decision d : o.decided) {
                if (d.verdict() == Verdict.ACCEPT) {
                    accepted.add(d);
                } else {
                    finals.add(new Decision(live.take(d.ports()), d.verdict(), d.rejectWith(), d.rule()));
                }
            }
            if (!o.returned.isEmpty()) {
                RuleRef pol = policyRef(st);
                if (st.chain().policy() == Verdict.ACCEPT) {
                    accepted.add(new Decision(o.returned, Verdict.ACCEPT, null, pol));
                } else {
                    finals.add(new Decision(live.take(o.returned), Verdict.DROP, null, pol));
                    if (trace != null) trace.add("   " + io.portaudit.model.L10n.t("fw.tr.policy", st.chain().policy().label()));
                }
            } 
            for (NatMap nm : o.nats) {
                PortSet ports = live.take(nm.ports());
                if (ports.isEmpty()) continue;
                if (natDepth > 2) {
                    finals.add(new Decision(ports, Verdict.UNKNOWN, null, nm.rule()));
                    continue;
                }
                java.math.BigInteger to = null;
                if (nm.nat().toAddress() != null) {
                    AddrRange a = AddrRange.parse(nm.nat().toAddress());
                    boolean v6 = packet.family() == io.portaudit.model.AddressFamily.IPV6;
                    if (!a.known() || a.v6() != v6 || !a.from().equals(a.to())) {
                        // a range of addresses, or one not understood: where the packet goes is not known
                        finals.add(new Decision(ports, Verdict.UNKNOWN, null, nm.rule()));
                        continue;
                    }
                    to = a.from();
                }
                if (nm.nat().toPortFrom() == 0 && to == null) {
                    // address-only REDIRECT: the port stays; go on with the next stages
                    List<Decision> sub = new ArrayList<>();
                    run(si + 1, ports, sub, alts, natDepth + 1);
                    finals.addAll(sub);
                    continue;
                }
                PortRange toPorts = nm.nat().toPortFrom() == 0 ? null : new PortRange(nm.nat().toPortFrom(), nm.nat().toPortTo());
                List<Decision> sub = new ArrayList<>();
                List<Decision> subAlts = new ArrayList<>();
                if (to == null) {
                    PortSet target = PortSet.of(toPorts);
                    if (trace != null) trace.add("   " + io.portaudit.model.L10n.t("fw.tr.portto", target, nm.rule().label()));
                    run(si + 1, target, sub, subAlts, natDepth + 1);
                } else {
                    // DNAT to another address (a container behind a bridge, another host): the packet is
                    // forwarded, not delivered here. The rest of PREROUTING, then the FORWARD base chains
                    // decide, for the translated destination
                    PortSet target = toPorts == null ? ports : PortSet.of(toPorts);
                    if (trace != null) trace.add("   " + (toPorts == null ? io.portaudit.model.L10n.t("fw.tr.dnat", nm.nat().toAddress(), nm.rule().label())
                            : io.portaudit.model.L10n.t("fw.tr.dnatport", nm.nat().toAddress(), target, nm.rule().label())));
                    List<Stage> fwd = new ArrayList<>();
                    for (int k = si + 1; k < stages.size(); k++) if (stages.get(k).chain().hook() == Hook.PREROUTING) fwd.add(stages.get(k));
                    fwd.addAll(forwardStages(rulesets, packet));
                    Evaluator f = new Evaluator(fwd, packet.withDest(to), trace, rulesets);
                    f.budget = budget;
                    f.forwarded = true;
                    f.run(0, target, sub, subAlts, natDepth + 1);
                    budget = f.budget;
                }
                Decision first = sub.isEmpty() ? null : sub.get(0);
                boolean uniform = first != null && sub.stream().allMatch(d -> d.verdict() == first.verdict());
                Verdict v = uniform ? first.verdict() : Verdict.UNKNOWN;
                // the alternatives of the translated packets are about the translated ports: they make the
                // original ports unknown when they may reach and the main reading does not
                boolean altReaches = subAlts.stream().anyMatch(d -> d.verdict().mayReach());
                if (altReaches && !v.mayReach()) v = Verdict.UNKNOWN;
                finals.add(new Decision(ports, v, v == Verdict.UNKNOWN ? null : first.rejectWith(),
                        uniform && v != Verdict.UNKNOWN ? first.rule() : nm.rule(),
                        new ExposureRange.Redirect(toPorts, nm.rule(), nm.nat().toAddress())));
            }
        }
        // what is still alive was accepted by every base chain: the last chain that accepted it is the reason
        PortSet rest = live.toSet();
        if (rest.isEmpty()) return;
        Pending left = new Pending(rest);
        // the reason: the last base chain that accepted by a rule; a policy only where no rule accepted
        // (an empty nat INPUT chain's policy says less than the filter rule that let the packet in)
        for (int pass = 0; pass < 2; pass++) {
            for (int i = accepted.size() - 1; i >= 0 && !left.isEmpty(); i--) {
                Decision d = accepted.get(i);
                if (pass == 0 && d.rule().isPolicy()) continue;
                PortSet got = left.take(d.ports());
                if (!got.isEmpty()) finals.add(new Decision(got, Verdict.ACCEPT, null, d.rule()));
            }
        }
        if (!left.isEmpty()) {
            finals.add(new Decision(left.toSet(), Verdict.ACCEPT, null, new RuleRef("-", "-", 0, io.portaudit.model.L10n.t("ev.nobasechain"),
                    "-")));
        }
    }

    private static RuleRef policyRef(Stage st) {
        Chain c = st.chain();
        String text = c.policyText() != null ? c.policyText() : "policy " + (c.policy() == null ? "accept" : c.policy().label());
        return new RuleRef(st.table().name(), c.name(), 0, text, c.policySource());
    }

    static RuleRef ref(Table t, Chain c, Rule r) {
        return new RuleRef(t.name(), c.name(), r.index(), r.text(), r.source());
    }

    private enum Tri { YES, NO, MAYBE }

    /** Walks one chain for the ports {@code in}. */
    private void walk(Table table, Chain chain, PortSet in, int depth, Out out) {
        Pending pending = new Pending(in);
        if (depth > MAX_DEPTH || budget < 0) {
            out.decided.add(new Decision(in, Verdict.UNKNOWN, null, new RuleRef(table.name(), chain.name(), 0,
                    budget < 0 ? "evaluation budget exhausted (" + BUDGET + " rule visits)" : "jumps nested deeper than " + MAX_DEPTH, chain.policySource())));
            return;
        }
        Map<String, Chain> chains = null;
        for (Rule r : chain.rules()) {
            if (pending.isEmpty()) break;
            if (--budget < 0) {
                out.decided.add(new Decision(pending.toSet(), Verdict.UNKNOWN, null, ref(table, chain, r)));
                return;
            }
            // evaluate the matches
            Tri cond = Tri.YES;
            PortSet pYes = PortSet.all(), pMaybe = PortSet.empty();
            for (Match m : r.matches()) {
                Tri c;
                switch (m) {
                    case Match.Ports ports -> {
                        if (ports.protocol() != null && !ports.protocol().equals(packet.protocol().label())) {
                            c = Tri.NO;
                            break;
                        }
                        PortSet s = ports.negated() ? ports.ports().complement() : ports.ports();
                        PortSet y, mb;
                        switch (ports.field()) {
                            case DPORT -> {
                                y = s;
                                mb = PortSet.empty();
                            }
                            case SPORT -> {
                                // a remote host chooses its source port
                                y = s.isAll() ? PortSet.all() : PortSet.empty();
                                mb = s.isEmpty() || s.isAll() ? PortSet.empty() : PortSet.all();
                            }
                            default -> {
                                if (ports.negated()) {
                                    y = PortSet.empty();
                                    mb = s;
                                } else {
                                    y = s;
                                    mb = s.isEmpty() ? PortSet.empty() : s.complement();
                                }
                            }
                        }
                        PortSet ny = pYes.intersect(y);
                        pMaybe = pYes.union(pMaybe).intersect(y.union(mb)).minus(ny);
                        pYes = ny;
                        c = Tri.YES;
                    }
                    default -> c = tri(m, table);
                }
                if (c == Tri.NO) {
                    cond = Tri.NO;
                    break;
                }
                if (c == Tri.MAYBE) cond = Tri.MAYBE;
            }
            if (cond == Tri.NO || (pYes.isEmpty() && pMaybe.isEmpty())) {
                if (trace != null) trace.add("   " + chain.name() + " #" + r.index() + " " + io.portaudit.model.L10n.t("fw.tr.nomatch") + reading(r, false) + ": " + r.text());
                continue;
            }
            PortSet sure = cond == Tri.YES ? pYes : PortSet.empty();
            PortSet maybeSet = cond == Tri.YES ? pMaybe : pYes.union(pMaybe);
            Target tg = r.target();
            boolean blocking = tg instanceof Target.Drop || tg instanceof Target.Reject || tg instanceof Target.Continue
                    || tg instanceof Target.None;
            PortSet maybe = maybeSet.isEmpty() || blocking ? PortSet.empty() : pending.peek(maybeSet);
            PortSet yes = sure.isEmpty() ? PortSet.empty() : (tg instanceof Target.Continue || tg instanceof Target.None)
                    ? pending.peek(sure) : pending.take(sure);
            if (yes.isEmpty() && maybe.isEmpty()) {
                if (trace != null) trace.add("   " + chain.name() + " #" + r.index() + " " + io.portaudit.model.L10n.t("fw.tr.nomatch") + reading(r, false) + ": " + r.text());
                continue;
            }
            RuleRef ref = ref(table, chain, r);
            if (trace != null) {
                trace.add("   " + chain.name() + " #" + r.index() + " " + io.portaudit.model.L10n.t(yes.isEmpty() ? "fw.tr.maymatch" : "fw.tr.match") + reading(r, true) + " -> "
                        + tg.label() + ": "
                        + r.text());
            }
            switch (tg) {
                case Target.Accept a -> decide(out, yes, maybe, Verdict.ACCEPT, null, ref);
                case Target.Drop d -> decide(out, yes, maybe, Verdict.DROP, null, ref);
                case Target.Reject rj -> decide(out, yes, maybe, Verdict.REJECT, rejectType(rj.with()), ref);
                case Target.Unknown u -> decide(out, yes, maybe, Verdict.UNKNOWN, null, ref);
                case Target.Continue c -> { }
                case Target.None n -> { }
                case Target.Return rt -> {
                    if (!yes.isEmpty()) out.returned = out.returned.union(yes);
                    if (!maybe.isEmpty()) out.alts.add(new Decision(maybe, Verdict.UNKNOWN, null, ref));
                    if (!yes.isEmpty() && trace != null) trace.add("   " + io.portaudit.model.L10n.t("fw.tr.return", chain.name()));
                }
                case Target.Nat nat -> {
                    if (!yes.isEmpty()) out.nats.add(new NatMap(yes, nat, ref));
                    if (!maybe.isEmpty()) out.alts.add(new Decision(maybe, Verdict.UNKNOWN, null, ref));
                }
                case Target.Jump j -> {
                    if (chains == null) chains = table.byName();
                    call(table, chains.get(j.chain()), yes, maybe, depth, out, pending, false, ref);
                }
                case Target.Goto g -> {
                    if (chains == null) chains = table.byName();
                    call(table, chains.get(g.chain()), yes, maybe, depth, out, pending, true, ref);
                }
            }
        }
        if (!pending.isEmpty()) out.returned = out.returned.union(pending.toSet());
    }

    private void call(Table table, Chain sub, PortSet yes, PortSet maybe, int depth, Out out, Pending pending, boolean isGoto, RuleRef ref) {
        String key = table.family() + " " + table.name() + " " + (sub == null ? "" : sub.name());
        if (sub == null || callStack.contains(key)) {
            // a missing chain, or a loop (the kernel refuses to load those): possibly open
            decide(out, yes, maybe, Verdict.UNKNOWN, null, ref);
            return;
        }
        callStack.push(key);
        try {
            callChecked(table, sub, yes, maybe, depth, out, pending, isGoto, ref);
        } finally {
            callStack.pop();
        }
    }

    private void callChecked(Table table, Chain sub, PortSet yes, PortSet maybe, int depth, Out out, Pending pending, boolean isGoto,
                             RuleRef ref) {
        if (!yes.isEmpty()) {
            if (trace != null) trace.add("   " + io.portaudit.model.L10n.t(isGoto ? "fw.tr.goto" : "fw.tr.jump", sub.name()));
            Out o = new Out();
            walk(table, sub, yes, depth + 1, o);
            out.decided.addAll(o.decided);
            out.alts.addAll(o.alts);
            out.nats.addAll(o.nats);
            if (isGoto) {
                out.returned = out.returned.union(o.returned);
            } else if (!o.returned.isEmpty()) {
                // ports that came back go on with the next rule of this chain
                for (PortRange r : o.returned.ranges()) pendingPut(pending, r);
                if (trace != null) trace.add("   " + io.portaudit.model.L10n.t("fw.tr.back", ref.chain()));
            }
        }
        if (!maybe.isEmpty()) {
            Out o = new Out();
            walk(table, sub, maybe, depth + 1, o);
            for (Decision d : o.decided) out.alts.add(d);
            out.alts.addAll(o.alts);
            for (NatMap nm : o.nats) out.alts.add(new Decision(nm.ports(), Verdict.UNKNOWN, null, nm.rule()));
            if (isGoto && !o.returned.isEmpty()) out.alts.add(new Decision(o.returned, Verdict.UNKNOWN, null, ref));
        }
    }

    private static void pendingPut(Pending p, PortRange r) {
        p.add(r);
    }

    private static void decide(Out out, PortSet yes, PortSet maybe, Verdict v, String with, RuleRef ref) {
        if (!yes.isEmpty()) out.decided.add(new Decision(yes, v, with, ref));
        if (!maybe.isEmpty()) out.alts.add(new Decision(maybe, v, with, ref));
    }

    /** iptables' default reject type is icmp-port-unreachable; nft's {@code reject with tcp reset} is tcp-reset. */
    static String rejectType(String with) {
        return with == null ? "icmp-port-unreachable" : with;
    }

    private Tri tri(Match m, Table table) {
        return switch (m) {
            case Match.Proto p -> {
                String pl = packet.protocol().label();
                boolean hit = p.names().contains(pl) || p.names().contains("all");
                yield hit != p.negated() ? Tri.YES : Tri.NO;
            }
            case Match.Iface i -> {
                if (!i.in() && forwarded) yield i.name().equals("lo") ? (i.negated() ? Tri.YES : Tri.NO) : Tri.MAYBE;
                if (!i.in()) yield i.negated() ? Tri.YES : Tri.NO; // no output interface on the input path
                if (packet.iface() != null) yield ifaceMatches(i.name(), packet.iface()) != i.negated() ? Tri.YES : Tri.NO;
                boolean lo = ifaceMatches(i.name(), "lo");
                boolean wildcardAll = i.name().equals("+") || i.name().equals("*");
                if (wildcardAll) yield i.negated() ? Tri.NO : Tri.YES;
                if (i.name().equals("lo")) yield i.negated() ? Tri.YES : Tri.NO;
                yield lo && i.negated() ? Tri.MAYBE : Tri.MAYBE;
            }
            case Match.Addr a -> {
                java.math.BigInteger v = a.source() ? packet.source() : packet.dest();
                boolean v6 = packet.family() == io.portaudit.model.AddressFamily.IPV6;
                boolean anyFamilyMatch = false, unknown = false, hit = false, any = false;
                for (AddrRange r : a.ranges()) {
                    if (!r.known()) {
                        unknown = true;
                        continue;
                    }
                    if (r.v6() != v6) continue;
                    anyFamilyMatch = true;
                    if (r.isAny()) any = true;
                    if (v != null && r.contains(v)) hit = true;
                }
                if (!anyFamilyMatch && !unknown) yield table.family() == TableFamily.INET ? Tri.NO : (a.negated() ? Tri.YES : Tri.NO);
                if (any) yield a.negated() ? Tri.NO : Tri.YES;
                if (v == null || unknown && !hit) yield Tri.MAYBE;
                yield hit != a.negated() ? Tri.YES : Tri.NO;
            }
            case Match.CtState s -> {
                String st = packet.ctState() == null ? "NEW" : packet.ctState();
                if (s.states().contains(st)) yield s.negated() ? Tri.NO : Tri.YES;
                if (KNOWN_STATES.containsAll(s.states())) yield s.negated() ? Tri.YES : Tri.NO;
                yield Tri.MAYBE;
            }
            case Match.Comment c -> Tri.YES;
            case Match.Unknown u -> Tri.MAYBE;
            case Match.Ports p -> Tri.YES;
        };
    }

    /** iptables {@code eth+} and nft {@code eth*} are prefix wildcards. */
    static boolean ifaceMatches(String pattern, String name) {
        if (pattern.endsWith("+") || pattern.endsWith("*")) return name.startsWith(pattern.substring(0, pattern.length() - 1));
        return pattern.equals(name);
    }

    /** Builds the partition of 1-65535; reaching alternatives turn non-reaching verdicts into UNKNOWN. */
    private static List<ExposureRange> partition(List<Decision> finals, List<Decision> alts) {
        List<ExposureRange> list = new ArrayList<>();
        for (Decision d : finals) {
            for (PortRange r : d.ports().ranges()) list.add(new ExposureRange(r, d.verdict(), d.rejectWith(), d.rule(), d.redirect()));
        }
        list.sort(Comparator.comparing(ExposureRange::range));
        List<PortRange> reach = new ArrayList<>();
        for (Decision a : alts) if (a.verdict().mayReach()) reach.addAll(a.ports().ranges());
        // both lists are sorted: one pass with a moving index into the reaching ranges (a set operation per range was
        // quadratic: 200,000-rule rulesets spent a third of their time here)
        List<PortRange> reaching = PortSet.of(reach).ranges();
        List<ExposureRange> out = new ArrayList<>(list.size());
        int next = 1;
        int j = 0;
        for (ExposureRange e : list) {
            if (e.range().from() < next) continue; // defensive: overlapping decisions keep the first
            if (e.range().from() > next) out.add(new ExposureRange(new PortRange(next, e.range().from() - 1), Verdict.UNKNOWN, null, null));
            int from = e.range().from(), to = e.range().to();
            while (j < reaching.size() && reaching.get(j).to() < from) j++;
            if (!e.verdict().mayReach() && j < reaching.size() && reaching.get(j).from() <= to) {
                // split into reaching (unknown) and non-reaching pieces, in port order
                int at = from;
                for (int k = j; k < reaching.size() && reaching.get(k).from() <= to; k++) {
                    int lo = Math.max(reaching.get(k).from(), from), hi = Math.min(reaching.get(k).to(), to);
                    if (lo > at) out.add(new ExposureRange(new PortRange(at, lo - 1), e.verdict(), e.rejectWith(), e.rule(), e.redirect()));
                    out.add(new ExposureRange(new PortRange(lo, hi), Verdict.UNKNOWN, null, altRule(alts, lo, e.rule()), e.redirect()));
                    at = hi + 1;
                }
                if (at <= to) out.add(new ExposureRange(new PortRange(at, to), e.verdict(), e.rejectWith(), e.rule(), e.redirect()));
            } else {
                out.add(e);
            }
            next = to + 1;
        }
        if (next <= PortRange.MAX) out.add(new ExposureRange(new PortRange(next, PortRange.MAX), Verdict.UNKNOWN, null, null));
        return merge(out);
    }

    private static RuleRef altRule(List<Decision> alts, int port, RuleRef dflt) {
        for (Decision a : alts) if (a.verdict().mayReach() && a.ports().contains(port)) return a.rule();
        return dflt;
    }

    /** Joins neighbours with the same verdict and rule. */
    private static List<ExposureRange> merge(List<ExposureRange> in) {
        List<ExposureRange> out = new ArrayList<>(in.size());
        for (ExposureRange e : in) {
            if (!out.isEmpty()) {
                ExposureRange last = out.get(out.size() - 1);
                if (last.range().to() + 1 == e.range().from() && last.verdict() == e.verdict()
                        && java.util.Objects.equals(last.rule(), e.rule()) && java.util.Objects.equals(last.rejectWith(), e.rejectWith())
                        && java.util.Objects.equals(last.redirect(), e.redirect())) {
                    out.set(out.size() - 1, new ExposureRange(new PortRange(last.range().from(), e.range().to()), e.verdict(), e.rejectWith(),
                            e.rule(), e.redirect()));
                    continue;
                }
            }
            out.add(e);
        }
        return out;
    }
}
