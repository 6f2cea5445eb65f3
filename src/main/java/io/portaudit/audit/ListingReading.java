package io.portaudit.audit;

import io.portaudit.firewall.HiddenInterface;
import io.portaudit.model.Evidence;
import io.portaudit.model.L10n;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Finding;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.Severity;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settles an {@code ambiguous-listing} with the scan: portaudit reads a rule whose interface
 * {@code iptables -L} hid as {@code -i lo}; read literally it would accept every packet. A TCP port
 * the scan saw <em>filtered</em> that the literal reading accepts proves the rule did not match the
 * scanner's traffic (nmap's "Not shown: 841 closed ports, 156 filtered ports" against the seed 440);
 * a port the scan reached that only the literal reading accepts speaks against {@code -i lo}.
 */
final class ListingReading {
    /** How many TCP ports nmap (and portaudit scan) probe without -p. */
    static final int DEFAULT_TOP = 1000;

    private ListingReading() {}

    /** The first few ports of a set, for a message. */
    private static String first(PortSet s) {
        List<String> out = new ArrayList<>();
        for (PortRange r : s.ranges()) {
            for (int p = r.from(); p <= r.to() && out.size() < 6; p++) out.add(String.valueOf(p));
            if (out.size() >= 6) break;
        }
        return String.join(", ", out) + (s.size() > out.size() ? ", …" : "");
    }

    static List<Finding> settle(List<Finding> findings, FirewallFacts fw, ScanFacts scan) {
        if (fw == null || scan == null || fw.hiddenInterfaces().isEmpty()) return findings;
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) out.add(f.id().equals("ambiguous-listing") ? settleOne(f, fw, scan) : f);
        return out;
    }

    private static Finding settleOne(Finding f, FirewallFacts fw, ScanFacts scan) {
        Evidence rule = f.evidence().isEmpty() ? null : f.evidence().get(0);
        Optional<HiddenInterface> hidden = fw.hiddenInterfaces().stream()
                .filter(h -> rule != null && h.text().equals(rule.text()) && java.util.Objects.equals(h.source(), rule.source())
                        && h.family() == scan.family())
                .findFirst();
        if (hidden.isEmpty()) return f;
        HiddenInterface h = hidden.get();
        Exposure literal = h.literal(Protocol.TCP).orElse(null);
        if (literal == null) return f;
        PortSet literalAccepts = PortSet.of(literal.ranges().stream().filter(r -> r.verdict() == Verdict.ACCEPT).map(ExposureRange::range).toList());
        String rulePhrase = L10n.t("rule.label", h.chain(), h.index());

        // filtered ports the literal reading accepts: the rule did not match the scanner's packets
        List<String> proofs = new ArrayList<>();
        List<Integer> listed = scan.results().stream().filter(r -> r.protocol() == Protocol.TCP && r.state() == PortState.FILTERED
                && literalAccepts.contains(r.port())).map(PortResult::port).toList();
        if (!listed.isEmpty()) proofs.add(L10n.t("lr.tcpfiltered", PortSet.of(listed.stream().map(PortRange::of).toList())));
        boolean udpListed = scan.results().stream().anyMatch(r -> r.protocol() == Protocol.UDP);
        long notAccepted = 65535L - literalAccepts.size();
        for (ScanFacts.Hidden x : scan.hidden()) {
            if (x.state() != PortState.FILTERED || !(x.protocol() == Protocol.TCP || (x.protocol() == null && !udpListed))) continue;
            if (x.ports() != null) {
                PortSet both = x.ports().intersect(literalAccepts);
                if (!both.isEmpty()) proofs.add(L10n.t("lr.tcpfiltered.notshown", both));
            } else if (x.count() > notAccepted) {
                proofs.add(L10n.t("lr.filtered", x.count()) + (notAccepted == 0 ? "" : L10n.t("lr.morethan", notAccepted)));
            }
        }
        String tool = f.family() == io.portaudit.model.AddressFamily.IPV6 ? "ip6tables" : "iptables";
        if (!proofs.isEmpty()) {
            String seen = String.join("; ", proofs);
            List<Evidence> ev = new ArrayList<>(f.evidence());
            ev.add(new Evidence("scan", (scan.summary() == null ? "" : scan.summary() + ": ") + L10n.t("lr.wouldaccept", seen), scan.source()));
            return new Finding(f.id(), Severity.LOW, f.title() + L10n.t("lr.settles.title"),
                    f.protocol(), f.family(), f.ports(),
                    L10n.t("lr.settles.detail", tool, rulePhrase, "tcp " + literalAccepts, seen),
                    ev, List.of(L10n.t("lr.settles.fix", tool + " -L " + h.chain() + " -v -n --line-numbers", tool + "-save")));
        }

        // ports the scan reached that the -i lo reading drops and only the literal reading accepts
        List<String> reached = new ArrayList<>();
        for (PortResult r : scan.results()) {
            if (r.protocol() != Protocol.TCP || (r.state() != PortState.OPEN && r.state() != PortState.CLOSED)) continue;
            Optional<ExposureRange> asLo = fw.at(h.family(), Protocol.TCP, r.port());
            if (asLo.isPresent() && asLo.get().verdict() == Verdict.DROP && literalAccepts.contains(r.port())) {
                reached.add(r.port() + "/tcp " + r.state().label());
            }
        }
        // no port filtered at all although the -i lo reading drops some of the ports nmap probes by default
        String byDefault = null;
        if (reached.isEmpty() && scan.results().stream().noneMatch(r -> r.state() == PortState.FILTERED)
                && scan.hidden().stream().noneMatch(x -> x.state() == PortState.FILTERED)) {
            PortSet probed = PortSet.of(scan.results().stream().filter(r -> r.protocol() == Protocol.TCP).map(r -> PortRange.of(r.port())).toList());
            long count = probed.size();
            boolean exact = true;
            for (ScanFacts.Hidden x : scan.hidden()) {
                if (x.protocol() == Protocol.UDP || (x.protocol() == null && udpListed)) continue;
                if (x.ports() != null) probed = probed.union(x.ports());
                else exact = false;
                count += x.count();
            }
            if (!exact && count == DEFAULT_TOP) probed = probed.union(io.portaudit.scan.PortFrequencies.builtin().top(Protocol.TCP, DEFAULT_TOP));
            if (exact || count == DEFAULT_TOP) {
                PortSet loDrops = PortSet.empty();
                for (Exposure e : fw.exposures()) {
                    if (e.family() != h.family() || e.protocol() != Protocol.TCP) continue;
                    loDrops = PortSet.of(e.ranges().stream().filter(r -> r.verdict() == Verdict.DROP).map(ExposureRange::range).toList());
                }
                PortSet contradicted = probed.intersect(loDrops).intersect(literalAccepts);
                if (!contradicted.isEmpty()) {
                    byDefault = L10n.t("lr.nonefiltered", count, exact ? "" : L10n.t("lr.bycount"), contradicted.size(), first(contradicted));
                }
            }
        }
        if (reached.isEmpty() && byDefault == null) return f;
        String saw = reached.isEmpty() ? byDefault : L10n.t("lr.reached", String.join(", ", reached));
        List<Evidence> ev = new ArrayList<>(f.evidence());
        ev.add(new Evidence("scan", (scan.summary() == null ? "" : scan.summary() + ": ") + saw, scan.source()));
        return new Finding(f.id(), Severity.HIGH, f.title() + L10n.t("lr.contradicts.title"),
                f.protocol(), f.family(), f.ports(), L10n.t("lr.contradicts.detail", tool, rulePhrase, saw), ev, f.remedy());
    }
}
