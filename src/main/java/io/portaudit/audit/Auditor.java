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
        if (in.firewall() != null) findings.addAll(in.firewall().findings());
        findings.addAll(c.findings());
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
                c.rows(), outcome, policy, in.firewall(), in.scan(), problems, notes);
    }
}
