package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Evidence;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortState;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import io.portaudit.model.Verdict;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Correlates the views of one device into findings and applies the policy gate. */
public final class Auditor {
    private Auditor() {}

    /** A family whose input path has no base chain at all: nothing filters it (the firewall's own analyses look at chains). */
    private static List<Finding> noRules(FirewallFacts fw, List<Finding> already) {
        List<Finding> out = new ArrayList<>();
        for (AddressFamily fam : AddressFamily.values()) {
            boolean open = fw.exposures().stream().filter(e -> e.family() == fam).findAny().isPresent()
                    && fw.exposures().stream().filter(e -> e.family() == fam).allMatch(e -> e.ranges().stream()
                            .allMatch(r -> r.verdict() == Verdict.ACCEPT && r.rule() != null && "-".equals(r.rule().chain())));
            boolean said = already.stream().anyMatch(f -> f.id().equals("accept-all-policy") && (f.family() == null || f.family() == fam));
            if (!open || said) continue;
            String name = fam == AddressFamily.IPV6 ? "IPv6" : "IPv4";
            String tool = fam == AddressFamily.IPV6 ? "ip6tables" : "iptables";
            out.add(new Finding("accept-all-policy", Severity.HIGH, L10n.t("aud.norules.title", name),
                    null, fam, io.portaudit.model.PortRange.all(), L10n.t("aud.norules.detail", name),
                    List.of(new Evidence("firewall", L10n.t("aud.norules.ev", name), String.join(", ", fw.sources()))),
                    List.of(tool + " -A INPUT -i lo -j ACCEPT", tool + " -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                            tool + " -A INPUT -p tcp --dport 22 -j ACCEPT   # " + L10n.t("aud.portsyouship"), tool + " -P INPUT DROP")));
        }
        return out;
    }

    /** The finding id of input lines that could not be read; unless accepted it makes the audit incomplete (exit 3). */
    public static final String UNPARSED = "unparsed-input";

    /**
     * One finding for every input line that could have held a rule, a listener or a scanned port and could not be read
     * (error problems): the lines, and the ports they leave unknown.
     */
    private static Finding unparsed(AuditInput in, List<ParseProblem> problems) {
        List<ParseProblem> errors = problems.stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).toList();
        if (errors.isEmpty()) return null;
        List<ParseProblem> fwErrors = in.firewall() == null ? List.of()
                : in.firewall().problems().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).toList();
        List<String> ports = new ArrayList<>();
        if (!fwErrors.isEmpty()) {
            List<String> unknown = new ArrayList<>();
            for (Exposure e : in.firewall().exposures()) {
                for (ExposureRange r : e.ranges()) {
                    if (r.verdict() == Verdict.UNKNOWN) {
                        unknown.add(e.protocol().label() + "/" + r.range() + " " + e.family().label());
                    }
                }
            }
            ports.add(unknown.isEmpty() ? L10n.t("aud.unparsed.fwnone")
                    : L10n.t("aud.unparsed.fw", String.join(", ", unknown.stream().limit(12).toList()))
                            + (unknown.size() > 12 ? L10n.t("aud.unparsed.more", unknown.size() - 12) : ""));
        }
        if (errors.size() > fwErrors.size()) {
            ports.add(L10n.t("aud.unparsed.lines"));
        }
        return new Finding(UNPARSED, Severity.MEDIUM, L10n.t("aud.unparsed.title", errors.size()), null, null, null,
                L10n.t("aud.unparsed.detail", String.join("; ", ports)),
                errors.stream().limit(20).map(p -> new Evidence("input", p.text() == null ? p.message() : p.text() + "  ← " + p.message(),
                        p.source() + (p.line() > 0 ? ":" + p.line() + (p.column() > 0 ? ":" + p.column() : "") : ""))).toList(),
                List.of(L10n.t("aud.unparsed.fix1"), L10n.t("aud.unparsed.fix2")));
    }

    /** {@code --accept-unreadable}: the unparsed-input finding is accepted, and the report says by what. */
    private static Gate.Outcome acceptUnreadable(Gate.Outcome o) {
        List<Gate.Gated> out = new ArrayList<>();
        boolean failed = false;
        for (Gate.Gated g : o.findings()) {
            if (g.finding().id().equals(UNPARSED) && g.status() != Gate.Status.ACCEPTED) {
                g = new Gate.Gated(g.finding(), Gate.Status.ACCEPTED, L10n.t("aud.acceptunreadable"));
            }
            failed |= g.status() == Gate.Status.FAILS;
            out.add(g);
        }
        return new Gate.Outcome(List.copyOf(out), o.changes(), o.failOn(), failed);
    }

    public static AuditResult audit(AuditInput in, Policy policy, Severity failOnOverride, ServiceNames names, Clock clock) {
        return audit(in, policy, failOnOverride, names, clock, false);
    }

    /**
     * @param acceptUnreadable {@code --accept-unreadable}: lines that could not be read are accepted (named in the report)
     *                         instead of making the audit incomplete
     */
    public static AuditResult audit(AuditInput in, Policy policy, Severity failOnOverride, ServiceNames names, Clock clock,
                                    boolean acceptUnreadable) {
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unknowns = new ArrayList<>();
        List<String> notes = new ArrayList<>(in.notes());

        if (in.firewall() != null) {
            present.add("firewall");
            if (!in.firewall().covers(AddressFamily.IPV6)) {
                unknowns.add(L10n.t("aud.unknown.v6"));
            }
        } else {
            missing.add("firewall");
            unknowns.add(L10n.t("aud.unknown.fw"));
        }
        if (in.listeners() != null) {
            present.add("listeners");
        } else {
            missing.add("listeners");
            unknowns.add(L10n.t("aud.unknown.listeners"));
        }
        if (in.scan() != null) {
            present.add("scan");
            // without a listener view, a port that answered nothing (UDP open|filtered) may be a quiet open service
            long silent = in.listeners() != null ? 0 : in.scan().results().stream().filter(r -> r.state() == PortState.OPEN_FILTERED).count()
                    + in.scan().hidden().stream().filter(h -> h.state() == PortState.OPEN_FILTERED).mapToLong(ScanFacts.Hidden::count).sum();
            if (silent > 0) unknowns.add(L10n.t("aud.unknown.silent", silent));
        } else {
            missing.add("scan");
            unknowns.add(L10n.t("aud.unknown.scan"));
        }

        Correlator.Correlation c = Correlator.correlate(in.firewall(), in.listeners(), in.scan(), names, in.otherNetns(), in.probed());
        List<Finding> findings = new ArrayList<>();
        if (in.firewall() != null) {
            for (Finding f : in.firewall().findings()) {
                // the correlation names the listeners an open IPv6 path exposes; keep the ruleset-level
                // ipv6-unfiltered only for protocols where no listener made it concrete
                boolean concrete = f.id().equals("ipv6-unfiltered") && c.findings().stream()
                        .anyMatch(x -> x.id().equals("ipv6-unfiltered") && x.protocol() == f.protocol());
                if (!concrete) findings.add(f);
            }
        }
        // nmap's filtered ports settle how a -L listing's hidden interface is read (ambiguous-listing)
        findings = new ArrayList<>(ListingReading.settle(findings, in.firewall(), in.scan()));
        findings.addAll(c.findings());
        if (in.firewall() != null) findings.addAll(noRules(in.firewall(), findings));
        List<ParseProblem> problems = new ArrayList<>(in.problems());
        if (in.firewall() != null) problems.addAll(in.firewall().problems());
        Finding unparsed = unparsed(in, problems);
        if (unparsed != null) findings.add(unparsed);
        findings = Finding.capped(findings, Finding.MAX_PER_ID);
        Gate.Outcome outcome = Gate.apply(policy, failOnOverride, c.rows(), findings, LocalDate.now(clock));
        if (acceptUnreadable) outcome = acceptUnreadable(outcome);
        return new AuditResult(in.snapshot(), present, missing, unknowns, in.listeners() == null ? List.of() : in.listeners(),
                c.rows(), outcome, policy, in.firewall(), in.scan(), problems, notes, null).withChecks();
    }
}
