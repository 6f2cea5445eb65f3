package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Evidence;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.L10n;
import io.portaudit.model.Finding;
import io.portaudit.model.Listener;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import io.portaudit.model.Verdict;
import io.portaudit.model.Weakness;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Joins the three views on (protocol, family, port) and derives the findings. Any view may be
 * missing; what that leaves unknown is treated as possibly reachable, never as safe.
 */
public final class Correlator {
    /** Accept ranges up to this size get one matrix row per port; wider ones are findings only. */
    static final int MAX_ROWS_PER_RANGE = 32;
    static final int MAX_ROWS = 20_000;

    private Correlator() {}

    public record Correlation(List<PortRow> rows, List<Finding> findings) {}

    private record Key(Protocol protocol, AddressFamily family, int port) {}

    private enum Reach { REACHABLE, BLOCKED, UNKNOWN }

    public static Correlation correlate(FirewallFacts fw, List<Listener> listeners, ScanFacts scan, ServiceNames names) {
        return correlate(fw, listeners, scan, names, List.of());
    }

    /**
     * @param others the listeners of other network namespaces (containers) and the addresses they hold: a port
     *               DNATed to one of those addresses is correlated with the listener there
     */
    public static Correlation correlate(FirewallFacts fw, List<Listener> listeners, ScanFacts scan, ServiceNames names,
                                        List<NetnsView> others) {
        return correlate(fw, listeners, scan, names, others, List.of());
    }

    /**
     * @param probed what a loopback probe of this machine's own listeners learned ({@link LoopbackProbe}; local audits):
     *               their proven weaknesses raise weak-ssh-crypto and weak-tls, and prove insecure-protocol, while
     *               reachability still comes from the firewall and the listeners; empty when no probe ran
     */
    public static Correlation correlate(FirewallFacts fw, List<Listener> listeners, ScanFacts scan, ServiceNames names,
                                        List<NetnsView> others, List<PortResult> probed) {
        List<Listener> ls = listeners == null ? List.of() : listeners;
        TreeSet<Key> keys = new TreeSet<>(Comparator.comparing(Key::protocol).thenComparingInt(Key::port).thenComparing(Key::family));
        for (Listener l : ls) {
            keys.add(new Key(l.protocol(), l.family(), l.port()));
            if (l.family() != AddressFamily.IPV4 && l.reaches(AddressFamily.IPV4)) keys.add(new Key(l.protocol(), AddressFamily.IPV4, l.port()));
        }
        if (scan != null) {
            for (PortResult r : scan.results()) {
                if (r.state() == io.portaudit.model.PortState.OPEN) keys.add(new Key(r.protocol(), scan.family(), r.port()));
            }
        }
        if (fw != null) {
            for (Exposure e : fw.exposures()) {
                for (ExposureRange r : e.ranges()) {
                    if (r.verdict() == Verdict.DROP || r.range().size() > MAX_ROWS_PER_RANGE) continue;
                    for (int p = r.range().from(); p <= r.range().to() && keys.size() < MAX_ROWS; p++) {
                        keys.add(new Key(e.protocol(), e.family(), p));
                    }
                }
            }
        }

        List<PortRow> rows = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        ByPort index = new ByPort(ls);
        for (Key k : keys) {
            PortRow row = row(k, fw, index, listeners != null, scan, names, others);
            rows.add(row);
            findings.addAll(rowFindings(row, fw, ls, listeners != null, scan, others, probedAt(probed, row)));
        }
        if (fw != null) findings.addAll(openWithoutListener(fw, ls, listeners != null));
        return new Correlation(List.copyOf(rows), List.copyOf(findings));
    }

    /**
     * The listeners by protocol and port, so that a row finds its own without a pass over every listener (5,000 listeners
     * times as many rows was most of a large audit's time); {@link #on} answers in the listeners' own order.
     */
    private static final class ByPort {
        private final List<Listener> all;
        private final java.util.Map<Protocol, java.util.TreeMap<Integer, List<Integer>>> index = new java.util.EnumMap<>(Protocol.class);

        ByPort(List<Listener> all) {
            this.all = all;
            for (int i = 0; i < all.size(); i++) {
                Listener l = all.get(i);
                index.computeIfAbsent(l.protocol(), p -> new java.util.TreeMap<>()).computeIfAbsent(l.port(), x -> new ArrayList<>()).add(i);
            }
        }

        /** The listeners of {@code protocol} on {@code port} or (when {@code range} is not null) on a port in it. */
        List<Listener> on(Protocol protocol, int port, PortRange range) {
            java.util.TreeMap<Integer, List<Integer>> m = index.get(protocol);
            if (m == null) return List.of();
            java.util.TreeSet<Integer> at = new java.util.TreeSet<>(m.getOrDefault(port, List.of()));
            if (range != null) for (List<Integer> l : m.subMap(range.from(), true, range.to(), true).values()) at.addAll(l);
            List<Listener> out = new ArrayList<>(at.size());
            for (int i : at) out.add(all.get(i));
            return out;
        }
    }

    private static PortRow row(Key k, FirewallFacts fw, ByPort ls, boolean listenerView, ScanFacts scan, ServiceNames names,
                               List<NetnsView> others) {
        ExposureRange verdict = fw == null ? null : fw.at(k.family(), k.protocol(), k.port()).orElse(null);
        ExposureRange.Redirect rd = verdict == null ? null : verdict.redirect();
        // nat PREROUTING may deliver the packet to another port: then that port's listeners answer it
        PortRange delivered = verdict == null ? PortRange.of(k.port()) : verdict.deliveredTo(k.port());
        boolean forwarded = rd != null && rd.forwarded();
        // a port DNATed to an address a known namespace holds (a container) is answered by that namespace's listeners
        Optional<NetnsView> behind = forwarded ? NetnsView.holding(others, rd.toAddress()) : Optional.empty();
        List<Listener> here = behind.isPresent() ? behind(behind.get(), rd, k.protocol(), delivered)
                : ls.on(k.protocol(), k.port(), forwarded ? null : delivered).stream().filter(l -> l.reaches(k.family())).toList();
        PortResult seen = scan != null && scan.family() == k.family() ? scan.at(k.protocol(), k.port()).orElse(null) : null;
        // a redirected port speaks what listens on the port it is redirected to
        int servicePort = rd != null && rd.to() != null && rd.to().size() == 1 ? rd.to().from() : k.port();
        // the scan's service name: identified by -sV (a banner or product), or only the port's name in the scanner's table,
        // which for a redirected port names the wrong one (2323 "3d-nfsd" for telnet)
        boolean identified = seen != null && (seen.banner() != null || seen.product() != null);
        String service = seen != null && seen.service() != null && (identified || servicePort == k.port()) ? seen.service()
                : names.name(servicePort, k.protocol()).orElse(seen == null ? null : seen.service());
        boolean reachableListener = (!forwarded || behind.isPresent())
                && here.stream().anyMatch(l -> delivered.contains(l.port()) && l.scope().reachableFromNetwork());
        // an accepted port's state depends on a listener: without the listener view it is unknown, not "closed";
        // a port forwarded to another address (DNAT) depends on a listener there, unknown unless a view covers it
        boolean unknownListener = forwarded ? behind.isEmpty() : !listenerView;
        String expected = unknownListener && verdict != null && verdict.verdict() == Verdict.ACCEPT ? null
                : expected(k.protocol(), verdict, reachableListener);
        return new PortRow(k.protocol(), k.family(), k.port(), service, verdict, here, seen, expected);
    }

    /**
     * The listeners of the namespace behind a DNAT that take the translated packet: its protocol and port, the
     * target address's family, bound to that address or to all addresses (not loopback, not another address).
     */
    static List<Listener> behind(NetnsView ns, ExposureRange.Redirect rd, Protocol protocol, PortRange delivered) {
        AddressFamily fam = rd.toAddress().contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
        String target = NetnsView.canonical(rd.toAddress()).orElse(rd.toAddress());
        return ns.listeners().stream().filter(l -> l.protocol() == protocol && delivered.contains(l.port()) && l.reaches(fam)
                && (l.scope() == io.portaudit.model.BindScope.ALL || l.scope() == io.portaudit.model.BindScope.ALL_PLUS_IPV4
                || NetnsView.canonical(l.address()).map(target::equals).orElse(false))).toList();
    }

    /** What a remote connect scan should see, from the firewall verdict and the listeners. */
    static String expected(Protocol protocol, ExposureRange fw, boolean listening) {
        if (fw == null) return null;
        return switch (fw.verdict()) {
            case ACCEPT -> listening ? PortState.OPEN.label() : PortState.CLOSED.label();
            case REJECT -> fw.rejectWith() != null && fw.rejectWith().matches(".*(prohibited|net-unreach|host-unreach).*")
                    ? PortState.FILTERED.label() : PortState.CLOSED.label();
            case DROP -> protocol == Protocol.UDP ? PortState.OPEN_FILTERED.label() : PortState.FILTERED.label();
            case UNKNOWN -> null;
        };
    }

    /**
     * Whether a scan state is consistent with what the rules and listeners imply. Silence proves
     * little: UDP open|filtered is what a quiet open service, a dropped port and a closed port whose
     * ICMP port-unreachable fell to the device's ICMP rate limit all give; likewise a TCP port
     * REJECTed with an ICMP error looks filtered once the rate limit swallows the error.
     */
    static boolean agrees(String expected, PortState seen, ExposureRange fw) {
        if (expected.equals(seen.label())) return true;
        if (seen == PortState.OPEN_FILTERED) return true;
        return seen == PortState.FILTERED && expected.equals("closed") && fw != null && fw.verdict() == Verdict.REJECT
                && (fw.rejectWith() == null || !fw.rejectWith().contains("reset"));
    }

    private static Reach reach(PortRow row) {
        if (row.scan() != null && row.scan().state() == PortState.OPEN) return Reach.REACHABLE;
        if (row.firewall() == null) return Reach.UNKNOWN;
        return switch (row.firewall().verdict()) {
            case ACCEPT -> Reach.REACHABLE;
            case DROP, REJECT -> Reach.BLOCKED;
            case UNKNOWN -> Reach.UNKNOWN;
        };
    }

    /** What the loopback probe learned about the row's port on the row's family (an open port), or null. */
    private static PortResult probedAt(List<PortResult> probed, PortRow row) {
        for (PortResult r : probed) {
            if (r.protocol() != row.protocol() || r.port() != row.port() || r.state() != PortState.OPEN) continue;
            AddressFamily f = r.address() != null && r.address().contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
            if (f == row.family()) return r;
        }
        return null;
    }

    private static List<Finding> rowFindings(PortRow row, FirewallFacts fw, List<Listener> ls, boolean listenerView, ScanFacts scan,
                                             List<NetnsView> others, PortResult probed) {
        List<Finding> out = new ArrayList<>();
        String what = row.protocol().label() + "/" + row.port() + (row.service() == null ? "" : " (" + row.service() + ")");
        String fam = row.family() == AddressFamily.IPV6 ? "IPv6" : "IPv4";
        PortRange port = PortRange.of(row.port());
        List<Listener> outside = row.listeners().stream().filter(l -> l.scope().reachableFromNetwork()).toList();
        List<Evidence> ev = evidence(row, fw, scan);
        Reach reach = reach(row);
        String backend = fw == null ? null : fw.backend();
        ExposureRange.Redirect rd = row.firewall() == null ? null : row.firewall().redirect();
        if (rd != null && !rd.forwarded()) {
            // a redirected port: its own listeners (if any) are never reached; those of the port it is redirected to are
            PortRange to = row.firewall().deliveredTo(row.port());
            outside = outside.stream().filter(l -> to.contains(l.port())).toList();
        }

        if (rd != null && rd.forwarded() && reach != Reach.BLOCKED) {
            Optional<NetnsView> behind = NetnsView.holding(others, rd.toAddress());
            if (behind.isPresent()) {
                out.addAll(forwardedToKnown(row, what, fam, port, rd, reach, ev, backend, behind.get()));
            } else {
                out.addAll(forwardedFindings(row, what, fam, port, rd, reach, ev, backend));
            }
        } else if (!outside.isEmpty()) {
            String program = program(outside);
            if (reach == Reach.REACHABLE || reach == Reach.UNKNOWN) {
                boolean sure = reach == Reach.REACHABLE;
                String why = sure ? L10n.t("corr.why.reachable") : L10n.t("corr.why.possibly", unknownWhy(row, fw));
                List<String> fix = new ArrayList<>(Remedies.stopService(outside));
                if (rd != null) {
                    // the filter table sees the port after nat: dropping the original port there would not close it
                    fix.addAll(Remedies.deleteRule(rd.rule(), row.family(), backend));
                } else {
                    fix.add(Remedies.dropPorts(row.protocol(), port, row.family(), backend));
                }
                if (row.firewall() != null) fix.addAll(Remedies.deleteRule(row.firewall().rule(), row.family(), backend));
                String via = rd == null ? "" : L10n.t("corr.via", rd.target(), rd.rule().table() + " " + rd.rule().label());
                out.add(new Finding("exposed-service", Severity.MEDIUM, L10n.t("corr.exposed.title", what, fam, why, via, program),
                        row.protocol(), row.family(), port,
                        L10n.t("corr.exposed.detail", program, endpoints(outside), rd == null ? "" : L10n.t("corr.exposed.nat",
                                row.protocol().label() + "/" + row.port()), L10n.t(sure ? "corr.exposed.sure" : "corr.exposed.unsure")),
                        ev, fix));
                insecure(row, what, fam, port, program, sure, ev, Remedies.stopService(outside), probed).ifPresent(out::add);
                if (row.family() == AddressFamily.IPV6 && fw != null) {
                    Optional<ExposureRange> v4 = fw.at(AddressFamily.IPV4, row.protocol(), row.port());
                    if (v4.isPresent() && !v4.get().verdict().mayReach()) {
                        out.add(new Finding("ipv6-unfiltered", Severity.HIGH, L10n.t("corr.v6.title", what, why),
                                row.protocol(), AddressFamily.IPV6, port,
                                L10n.t("corr.v6.detail", v4.get().verdict().label(), v4.get().rule().label(),
                                        L10n.t(fw.covers(AddressFamily.IPV6) ? "corr.v6.through" : "corr.v6.none"), program, endpoints(outside)),
                                ev, List.of(Remedies.dropPorts(row.protocol(), port, AddressFamily.IPV6, backend), L10n.t("corr.v6.fix"))));
                    }
                }
            } else if (rd == null) {
                out.add(new Finding("blocked-listener", Severity.LOW, L10n.t("corr.blocked.title", what, fam, program),
                        row.protocol(), row.family(), port,
                        L10n.t("corr.blocked.detail", program, endpoints(outside), row.firewall().rule().label(),
                                row.firewall().verdict().label()),
                        ev, Remedies.stopService(outside)));
                for (Listener l : outside) {
                    if (l.scope() == io.portaudit.model.BindScope.ALL || l.scope() == io.portaudit.model.BindScope.ALL_PLUS_IPV4) {
                        out.add(new Finding("wildcard-bind", Severity.LOW, L10n.t("corr.wildcard.title", what),
                                row.protocol(), row.family(), port,
                                L10n.t("corr.wildcard.detail", program, l.endpoint()),
                                ev, List.of(Remedies.bindLoopback(l))));
                        break;
                    }
                }
            }
        }

        if (!listenerView && row.scan() != null && row.scan().state() == PortState.OPEN && (rd == null || !rd.forwarded())) {
            // no listener view (a pasted nmap output, a scan without the device's sockets): the scan
            // itself shows a service anyone can reach; which program is unknown, never "safe"
            String unknown = L10n.t("corr.program.noview");
            List<String> fix = new ArrayList<>();
            fix.add(Remedies.dropPorts(row.protocol(), port, row.family(), backend));
            if (row.firewall() != null) fix.addAll(Remedies.deleteRule(row.firewall().rule(), row.family(), backend));
            out.add(new Finding("exposed-service", Severity.MEDIUM, L10n.t("corr.scanonly.title", what, fam, unknown),
                    row.protocol(), row.family(), port, L10n.t("corr.scanonly.detail"), ev, fix));
            insecure(row, what, fam, port, null, true, ev, fix, null).ifPresent(out::add);
        }

        if (row.scan() != null) {
            PortState seen = row.scan().state();
            String exp = row.expected();
            if (exp != null && !agrees(exp, seen, row.firewall())) {
                out.add(new Finding("scan-disagrees", Severity.HIGH, L10n.t("corr.disagrees.title", what, fam, seen.label(), exp),
                        row.protocol(), row.family(), port, L10n.t("corr.disagrees.detail"),
                        ev, List.of(L10n.t("corr.disagrees.fix1"), L10n.t("corr.disagrees.fix2"))));
            } else if (exp == null && seen == PortState.OPEN && listenerView && row.listeners().isEmpty() && (rd == null || !rd.forwarded())) {
                out.add(new Finding("scan-disagrees", Severity.HIGH, L10n.t("corr.nolistener.title", what, fam),
                        row.protocol(), row.family(), port, L10n.t("corr.nolistener.detail"),
                        ev, List.of(L10n.t("corr.nolistener.fix"))));
            }
            weakSsh(row.scan(), row, what, fam, port, ev, "").ifPresent(out::add);
            weakTls(row.scan(), row, what, fam, port, ev, "").ifPresent(out::add);
        }
        if (probed != null && (row.scan() == null || row.scan().state() != PortState.OPEN)) {
            // this machine's own service, identified over loopback: the weakness is a fact, its reach the firewall's word
            String where = L10n.t(outside.isEmpty() ? "probe.where.loopback"
                    : switch (reach) {
                        case REACHABLE -> "probe.where.reachable";
                        case UNKNOWN -> "probe.where.possibly";
                        case BLOCKED -> "probe.where.blocked";
                    });
            String learned = L10n.t("probe.learned", L10n.t("probe.source"), where);
            List<Evidence> pev = new ArrayList<>(ev);
            String identified = (probed.service() == null ? "" : " " + probed.service())
                    + (probed.product() == null ? "" : " " + probed.product() + (probed.version() == null ? "" : " " + probed.version()));
            pev.add(new Evidence("loopback-probe", L10n.t("probe.evidence", probed.port() + "/" + probed.protocol().label(), probed.address(),
                    identified, String.join(", ", probed.weaknesses().stream().map(w -> w.id()).toList())), L10n.t("lp.source")));
            weakSsh(probed, row, what, fam, port, pev, learned).ifPresent(out::add);
            weakTls(probed, row, what, fam, port, pev, learned).ifPresent(out::add);
        }
        return out;
    }

    /**
     * insecure-protocol for a reachable service on an insecure protocol ({@code program} null: not
     * known), with what the scan proved when it did.
     */
    private static Optional<Finding> insecure(PortRow row, String what, String fam, PortRange port, String program, boolean sure,
                                              List<Evidence> ev, List<String> fix, PortResult probed) {
        ExposureRange.Redirect rd = row.firewall() == null ? null : row.firewall().redirect();
        // a redirected or forwarded port speaks what answers on the port it is sent to
        Optional<String> byTarget = rd != null && rd.to() != null && rd.to().size() == 1
                ? Insecure.reason(row.protocol(), rd.to().from(), row.service(), program) : Optional.empty();
        return byTarget.or(() -> Insecure.reason(row.protocol(), row.port(), row.service(), program)).map(why -> {
            String proven = Insecure.provenByScan(row.scan()).map(s -> L10n.t("corr.insecure.proven", s))
                    .or(() -> Insecure.provenByScan(probed).map(s -> L10n.t("corr.insecure.proven", s + " (" + L10n.t("probe.source") + ")")))
                    .orElse("");
            return new Finding("insecure-protocol", Severity.HIGH, L10n.t("corr.insecure.title", what, fam,
                    L10n.t(sure ? "corr.reachable" : "corr.possibly")), row.protocol(), row.family(), port,
                    L10n.t("corr.insecure.detail", why, proven), ev, fix);
        });
    }

    /**
     * A port that nat PREROUTING DNATs to another address (a container behind a bridge, another host)
     * and the FORWARD path does not block: what listens there is not in this device's listener view, so
     * it is possibly open (reachable when the scan saw it open or FORWARD accepts it surely).
     */
    private static List<Finding> forwardedFindings(PortRow row, String what, String fam, PortRange port, ExposureRange.Redirect rd,
                                                   Reach reach, List<Evidence> ev, String backend) {
        boolean scanOpen = row.scan() != null && row.scan().state() == PortState.OPEN;
        boolean sure = scanOpen || reach == Reach.REACHABLE && row.firewall().verdict() == Verdict.ACCEPT;
        String target = rd.target();
        String program = L10n.t("corr.fwd.program", target);
        List<String> fix = new ArrayList<>(Remedies.deleteRule(rd.rule(), row.family(), backend));
        if (row.firewall().verdict() == Verdict.ACCEPT) fix.addAll(Remedies.deleteRule(row.firewall().rule(), row.family(), backend));
        fix.add(L10n.t("corr.fwd.fixstop", target));
        String how = row.firewall().verdict() == Verdict.ACCEPT
                ? L10n.t("corr.fwd.accepts", row.firewall().rule().label())
                : L10n.t("corr.fwd.unknown", unknownWhy(row, null));
        String listener = scanOpen ? L10n.t("corr.fwd.scanreached") : L10n.t("corr.fwd.whether", target);
        List<Finding> out = new ArrayList<>();
        String nat = rd.rule().table() + " " + rd.rule().label();
        out.add(new Finding("exposed-service", Severity.MEDIUM, L10n.t("corr.fwd.title", what, fam, target, nat,
                L10n.t(sure ? "corr.reachable" : "corr.possibly")),
                row.protocol(), row.family(), port,
                L10n.t("corr.fwd.detail", nat, row.protocol().label() + "/" + row.port(), target, how, listener),
                ev, fix));
        insecure(row, what, fam, port, null, sure, ev, fix, null).ifPresent(out::add);
        return out;
    }

    /**
     * A port DNATed to an address a known namespace holds (a container whose listeners were collected): the
     * listener there on the translated port answers it. Nothing listening there: the forward leads to a closed
     * port (open-without-listener) — unless the scan saw it open, which the view then does not explain.
     */
    private static List<Finding> forwardedToKnown(PortRow row, String what, String fam, PortRange port, ExposureRange.Redirect rd,
                                                  Reach reach, List<Evidence> ev0, String backend, NetnsView ns) {
        boolean scanOpen = row.scan() != null && row.scan().state() == PortState.OPEN;
        List<Listener> there = row.listeners().stream().filter(l -> l.scope().reachableFromNetwork()).toList();
        if (there.isEmpty() && scanOpen) return forwardedFindings(row, what, fam, port, rd, reach, ev0, backend);
        String target = rd.target();
        String nat = rd.rule().table() + " " + rd.rule().label();
        String where = L10n.t("corr.known.where", ns.netns(), rd.toAddress());
        List<Evidence> ev = new ArrayList<>(ev0);
        ev.add(new Evidence("listener", L10n.t("corr.known.held", rd.toAddress(), ns.netns())
                + (there.isEmpty() ? L10n.t("corr.known.nolistener", row.protocol().label() + " " + row.firewall().deliveredTo(row.port())) : ""),
                ns.source()));
        List<String> fix = new ArrayList<>(Remedies.deleteRule(rd.rule(), row.family(), backend));
        if (row.firewall().verdict() == Verdict.ACCEPT) fix.addAll(Remedies.deleteRule(row.firewall().rule(), row.family(), backend));
        String how = row.firewall().verdict() == Verdict.ACCEPT
                ? L10n.t("corr.fwd.accepts", row.firewall().rule().label())
                : L10n.t("corr.fwd.unknown", unknownWhy(row, null));
        List<Finding> out = new ArrayList<>();
        if (there.isEmpty()) {
            out.add(new Finding("open-without-listener", Severity.MEDIUM, L10n.t("corr.known.owl.title", what, fam, target, nat),
                    row.protocol(), row.family(), port,
                    L10n.t("corr.known.owl.detail", nat, row.protocol().label() + "/" + row.port(), target, how, where,
                            row.protocol().label() + " " + row.firewall().deliveredTo(row.port())),
                    ev, fix));
            return out;
        }
        boolean sure = scanOpen || reach == Reach.REACHABLE && row.firewall().verdict() == Verdict.ACCEPT;
        String program = program(there);
        fix.add(L10n.t("corr.known.fixstop", program, where));
        out.add(new Finding("exposed-service", Severity.MEDIUM, L10n.t("corr.known.title", what, fam, target, nat,
                L10n.t(sure ? "corr.reachable" : "corr.possibly"), program, ns.netns()),
                row.protocol(), row.family(), port,
                L10n.t("corr.known.detail", nat, row.protocol().label() + "/" + row.port(), target, how, program, endpoints(there), where),
                ev, fix));
        insecure(row, what, fam, port, program, sure, ev, fix, null).ifPresent(out::add);
        return out;
    }

    /** The details of the weaknesses of these ids the scan's -sV proved on an open port, joined by "; " (never its banner). */
    private static Optional<String> proven(PortResult s, String... ids) {
        if (s == null || s.state() != PortState.OPEN) return Optional.empty();
        List<String> details = new ArrayList<>();
        for (String id : ids) s.weakness(id).ifPresent(w -> details.add(w.detail() == null ? id : w.detail()));
        return details.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", details));
    }

    /** A TLS service whose handshake or certificate the scan's -sV found weak (see {@code ServiceDetector.tlsWeaknesses}). */
    private static Optional<Finding> weakTls(PortResult s, PortRow row, String what, String fam, PortRange port, List<Evidence> ev,
                                             String learned) {
        return proven(s, Weakness.TLS_WEAK_PROTOCOL, Weakness.TLS_WEAK_CERTIFICATE).map(weak -> new Finding("weak-tls", Severity.MEDIUM,
                L10n.t("corr.tls.title", what, fam, weak) + learned, row.protocol(), row.family(), port, L10n.t("corr.tls.detail"),
                ev, List.of(L10n.t("corr.tls.fix1") + " openssl req -x509 -newkey ec -pkeyopt "
                                + "ec_paramgen_curve:P-256 -sha256 -days 825 -nodes -keyout key.pem -out cert.pem -subj /CN=DEVICE",
                        L10n.t("corr.tls.fix2"))));
    }

    /**
     * An SSH server that offered weak algorithms in its KEXINIT (the scan's -sV read it; see
     * {@code TcpIdentify.sshBanner}): the scan reached it, so the finding needs no other view.
     */
    private static Optional<Finding> weakSsh(PortResult s, PortRow row, String what, String fam, PortRange port, List<Evidence> ev,
                                             String learned) {
        Optional<String> found = proven(s, Weakness.SSH_WEAK_ALGORITHMS);
        if (found.isEmpty()) return Optional.empty();
        String weak = found.get();
        List<String> algs = new ArrayList<>();
        for (String part : weak.split("; ")) {
            int sp = part.indexOf(' ');
            if (part.startsWith("host key ")) algs.addAll(List.of(part.substring(9).split(", ")));
            else if (sp > 0) algs.addAll(List.of(part.substring(sp + 1).split(", ")));
        }
        boolean dropbear = s.product() != null && s.product().toLowerCase(java.util.Locale.ROOT).contains("dropbear");
        List<String> fix = dropbear
                ? List.of(L10n.t("corr.ssh.dropbear") + " (DROPBEAR_DSS 0, "
                        + "DROPBEAR_RSA_SHA1 0, DROPBEAR_DH_GROUP14_SHA1 0, DROPBEAR_DH_GROUP1 0, DROPBEAR_3DES 0, "
                        + "DROPBEAR_ENABLE_CBC_MODE 0, DROPBEAR_MD5_HMAC 0): " + String.join(", ", algs))
                : List.of(L10n.t("corr.ssh.openssh") + " " + sshdConfigRemovals(weak), L10n.t("corr.ssh.then"));
        return Optional.of(new Finding("weak-ssh-crypto", Severity.MEDIUM, L10n.t("corr.ssh.title", what, fam, weak) + learned,
                row.protocol(), row.family(), port, L10n.t("corr.ssh.detail"), ev, fix));
    }

    /** sshd_config lines that take the weak algorithms out of OpenSSH's defaults ({@code KexAlgorithms -a,b}). */
    static String sshdConfigRemovals(String weak) {
        List<String> lines = new ArrayList<>();
        java.util.Map<String, String> keyword = java.util.Map.of("kex", "KexAlgorithms", "host key", "HostKeyAlgorithms",
                "cipher", "Ciphers", "mac", "MACs");
        for (String part : weak.split("; ")) {
            for (var e : keyword.entrySet()) {
                if (part.startsWith(e.getKey() + " ")) {
                    lines.add(e.getValue() + " -" + part.substring(e.getKey().length() + 1).replace(", ", ","));
                }
            }
        }
        return String.join(" / ", lines);
    }

    /** The firewall accepts ports nobody listens on: a latent hole. One finding per deciding rule. */
    private static List<Finding> openWithoutListener(FirewallFacts fw, List<Listener> ls, boolean listenerView) {
        List<Finding> out = new ArrayList<>();
        for (Exposure e : fw.exposures()) {
            PortSet listened = PortSet.of(ls.stream()
                    .filter(l -> l.protocol() == e.protocol() && l.scope().reachableFromNetwork()
                            && l.reaches(e.family()))
                    .map(l -> PortRange.of(l.port())).filter(r -> r.from() > 0).toList());
            // one finding per accepting rule, over every range that rule decides
            java.util.Map<RuleRef, List<PortRange>> byRule = new java.util.LinkedHashMap<>();
            // ports nat redirects to a port something listens on are answered there; ports DNATed to another
            // address are answered (or not) by a listener no view here shows: neither is "nothing listens"
            List<PortRange> answeredElsewhere = new ArrayList<>();
            for (ExposureRange r : e.ranges()) {
                if (r.verdict() != Verdict.ACCEPT || r.rule() == null || r.rule().isPolicy()) continue;
                byRule.computeIfAbsent(r.rule(), k -> new ArrayList<>()).add(r.range());
                if (r.redirect() != null && (r.redirect().forwarded() || r.redirect().to() != null
                        && listened.intersects(PortSet.of(r.redirect().to())))) {
                    answeredElsewhere.add(r.range());
                }
            }
            PortSet elsewhere = PortSet.of(answeredElsewhere);
            for (var entry : byRule.entrySet()) {
                RuleRef rule = entry.getKey();
                PortSet accepted = PortSet.of(entry.getValue());
                PortSet idle = accepted.minus(listened).minus(elsewhere);
                if (idle.isEmpty()) continue;
                String fam = e.family() == AddressFamily.IPV6 ? "IPv6" : "IPv4";
                List<PortRange> rs = accepted.ranges();
                PortRange span = new PortRange(rs.get(0).from(), rs.get(rs.size() - 1).to());
                // without a listener view nothing is known to listen, which is not the same as knowing nothing does
                out.add(new Finding("open-without-listener", Severity.MEDIUM,
                        L10n.t(listenerView ? "corr.owl.title" : "corr.owl.title.noview", e.protocol().label() + "/" + idle, fam),
                        e.protocol(), e.family(), span,
                        L10n.t(listenerView ? "corr.owl.detail" : "corr.owl.detail.noview", rule.label(), e.protocol().label() + " " + accepted,
                                idle),
                        List.of(new Evidence("firewall", rule.text(), rule.source()),
                                new Evidence("listener", listenerView ? L10n.t("corr.owl.ev", e.protocol().label() + " " + idle)
                                        : L10n.t("corr.owl.ev.noview"), null)),
                        Remedies.deleteRule(rule, e.family(), fw.backend())));
            }
        }
        return out;
    }

    private static List<Evidence> evidence(PortRow row, FirewallFacts fw, ScanFacts scan) {
        List<Evidence> ev = new ArrayList<>();
        if (row.firewall() != null) {
            ExposureRange r = row.firewall();
            if ("-".equals(r.rule().chain())) {
                ev.add(new Evidence("firewall", L10n.t("corr.ev.nothing", r.verdict().label(), r.rule().text()), null));
            } else {
                ev.add(new Evidence("firewall", L10n.t("corr.ev.rule", r.verdict().label() + (r.rejectWith() == null ? "" : " (" + r.rejectWith() + ")"),
                        r.rule().label(), r.rule().text()), r.rule().source()));
            }
            if (r.redirect() != null) {
                ev.add(new Evidence("firewall", L10n.t(r.redirect().forwarded() ? "corr.ev.forwarded" : "corr.ev.redirected", r.redirect().target(),
                        r.redirect().rule().table() + " " + r.redirect().rule().label(), r.redirect().rule().text()),
                        r.redirect().rule().source()));
            }
        } else if (fw != null) {
            ev.add(new Evidence("firewall", L10n.t("corr.ev.noruleset", row.family() == AddressFamily.IPV6 ? "IPv6" : "IPv4"), null));
        }
        for (Listener l : row.listeners()) {
            // a :: socket on an IPv4 row: say why it is taken to take IPv4 (the source's word, or the assumption made)
            String why = l.family() != row.family() && l.note() != null ? " (" + l.note() + ")" : "";
            boolean elsewhere = row.firewall() != null && row.firewall().redirect() != null && row.firewall().redirect().forwarded()
                    && l.netns() != null;
            ev.add(new Evidence("listener", l.protocol().label() + " " + l.endpoint() + " " + l.state() + " scope=" + l.scope().label()
                    + (l.owners().isEmpty() ? "" : " " + program(List.of(l))) + why + (elsewhere ? L10n.t("corr.ev.innetns", l.netns()) : ""),
                    l.source()));
        }
        if (row.scan() != null) {
            PortResult s = row.scan();
            ev.add(new Evidence("scan", s.port() + "/" + s.protocol().label() + " " + s.state().label()
                    + (s.reason() == null ? "" : " (" + s.reason() + ")") + (s.service() == null ? "" : " " + s.service())
                    + (s.banner() == null ? "" : " banner: " + s.banner()), scan.source()));
        }
        return ev;
    }

    private static String unknownWhy(PortRow row, FirewallFacts fw) {
        if (fw == null && row.firewall() == null) return L10n.t("corr.unknown.nofw");
        if (row.firewall() == null) return L10n.t("corr.ev.noruleset", row.family() == AddressFamily.IPV6 ? "IPv6" : "IPv4");
        return L10n.t("corr.unknown.rule", row.firewall().rule().label());
    }

    static String program(List<Listener> ls) {
        TreeSet<String> names = new TreeSet<>();
        for (Listener l : ls) {
            l.owners().forEach(o -> names.add((o.comm() == null ? "?" : o.comm()) + (o.pid() == null ? "" : "[" + o.pid() + "]")));
        }
        return names.isEmpty() ? L10n.t("corr.program.unknown") : String.join(", ", names);
    }

    private static String endpoints(List<Listener> ls) {
        return String.join(", ", ls.stream().map(l -> l.protocol().label() + " " + l.endpoint()).distinct().toList());
    }
}
