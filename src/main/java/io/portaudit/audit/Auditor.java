package io.portaudit.audit;

import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
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
        for (io.portaudit.model.AddressFamily fam : io.portaudit.model.AddressFamily.values()) {
            boolean open = fw.exposures().stream().filter(e -> e.family() == fam).findAny().isPresent()
                    && fw.exposures().stream().filter(e -> e.family() == fam).allMatch(e -> e.ranges().stream()
                            .allMatch(r -> r.verdict() == io.portaudit.model.Verdict.ACCEPT && r.rule() != null && "-".equals(r.rule().chain())));
            boolean said = already.stream().anyMatch(f -> f.id().equals("accept-all-policy") && (f.family() == null || f.family() == fam));
            if (!open || said) continue;
            String name = fam == io.portaudit.model.AddressFamily.IPV6 ? "IPv6" : "IPv4";
            String tool = fam == io.portaudit.model.AddressFamily.IPV6 ? "ip6tables" : "iptables";
            out.add(new Finding("accept-all-policy", Severity.HIGH, "no firewall rules filter " + name + ": every port is open",
                    null, fam, io.portaudit.model.PortRange.all(),
                    "The ruleset was read and has no chain on the input path for " + name + ", so whatever program listens is "
                            + "reachable from the network.",
                    List.of(new Evidence("firewall", "no " + name + " base chain on the input path", String.join(", ", fw.sources()))),
                    List.of(tool + " -A INPUT -i lo -j ACCEPT", tool + " -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                            tool + " -A INPUT -p tcp --dport 22 -j ACCEPT   # the ports you ship", tool + " -P INPUT DROP")));
        }
        return out;
    }

    public static AuditResult audit(AuditInput in, Policy policy, Severity failOnOverride, ServiceNames names, Clock clock) {
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unknowns = new ArrayList<>();
        List<String> notes = new ArrayList<>(in.notes());

        if (in.firewall() != null) {
            present.add("firewall");
            if (!in.firewall().covers(io.portaudit.model.AddressFamily.IPV6)) {
                unknowns.add("no IPv6 ruleset was collected: what IPv6 hosts can reach is unknown (treated as possibly reachable)");
            }
        } else {
            missing.add("firewall");
            unknowns.add("no firewall rules: every listener is treated as possibly reachable");
        }
        if (in.listeners() != null) {
            present.add("listeners");
        } else {
            missing.add("listeners");
            unknowns.add("no listener view: ports the firewall accepts cannot be matched to programs");
        }
        if (in.scan() != null) {
            present.add("scan");
        } else {
            missing.add("scan");
            unknowns.add("no scan: reachability is inferred from the rules, not observed");
        }

        Correlator.Correlation c = Correlator.correlate(in.firewall(), in.listeners(), in.scan(), names);
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
        List<ParseProblem> errors = problems.stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            findings.add(new Finding("unparsed-input", Severity.MEDIUM, errors.size() + " input line(s) could not be read",
                    null, null, null,
                    "What could not be read is treated as possibly open; the audit may miss rules or listeners on those lines.",
                    errors.stream().limit(20).map(p -> new Evidence("input", p.text() == null ? p.message() : p.text() + "  ← " + p.message(),
                            p.source() + (p.line() > 0 ? ":" + p.line() : ""))).toList(),
                    List.of("check the input is complete and untruncated, or collect it again with portaudit collect-script")));
        }
        Gate.Outcome outcome = Gate.apply(policy, failOnOverride, c.rows(), findings, LocalDate.now(clock));
        return new AuditResult(in.snapshot(), present, missing, unknowns, in.listeners() == null ? List.of() : in.listeners(),
                c.rows(), outcome, policy, in.firewall(), in.scan(), problems, notes, null).withChecks();
    }
}
