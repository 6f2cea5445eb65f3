package io.portaudit.store;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.FindingCatalog;
import io.portaudit.audit.Gate;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.PortRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** {@code audit --baseline MODEL}: a {@code baseline-deviation} finding for every port that differs from the golden unit. */
public final class Baseline {
    public static final String ID = "baseline-deviation";

    private Baseline() {}

    /** The deviations of {@code current} from the golden unit's audit. */
    public static List<Finding> deviations(String model, String golden, Diff d) {
        List<Finding> out = new ArrayList<>();
        var severity = FindingCatalog.IDS.get(ID).severity();
        for (Diff.PortChange c : d.ports()) {
            if (c.status() == Diff.Status.SAME || c.status() == Diff.Status.UNKNOWN) continue;
            String what = switch (c.status()) {
                case NEW -> "not on the golden unit";
                case GONE -> "on the golden unit, not here";
                default -> "differs from the golden unit: " + changes(c);
            };
            List<Evidence> ev = new ArrayList<>();
            ev.add(new Evidence("baseline", "golden unit (" + golden + "): " + (c.a() == null ? "no row" : c.a().summary()), model));
            ev.add(new Evidence("baseline", "this unit: " + (c.b() == null ? "no row" : c.b().summary()), model));
            out.add(new Finding(ID, severity, c.protocol().label() + "/" + c.port() + " (" + c.family().label() + ") " + what,
                    c.protocol(), c.family(), PortRange.of(c.port()), "baseline " + model + ": " + c.status().label(), ev,
                    List.of("make this unit match the golden unit (portaudit diff " + golden + " DEVICE@latest shows how), or, if this unit "
                            + "is right, make it the baseline: portaudit baseline set " + model + " DEVICE@latest")));
        }
        return out;
    }

    private static String changes(Diff.PortChange c) {
        List<String> parts = new ArrayList<>();
        for (Diff.Change ch : c.changes()) parts.add(ch.field() + " " + (ch.from() == null ? "-" : ch.from()) + " -> " + (ch.to() == null ? "-" : ch.to()));
        return String.join("; ", parts);
    }

    /** The result with the deviations added and the gate applied again (policy severities, exceptions, threshold). */
    public static AuditResult apply(AuditResult r, List<Finding> deviations, LocalDate today) {
        if (deviations.isEmpty()) return r;
        List<Finding> findings = new ArrayList<>();
        // the gate adds its own policy-violation findings again
        for (Gate.Gated g : r.outcome().atoms()) if (!g.finding().id().equals("policy-violation")) findings.add(g.finding());
        findings.addAll(deviations);
        Gate.Outcome o = Gate.apply(r.policy(), r.outcome().failOn(), r.rows(), findings, today);
        // keep what --accept-unreadable accepted
        java.util.Map<Finding, Gate.Gated> accepted = new java.util.HashMap<>();
        for (Gate.Gated g : r.outcome().findings()) {
            if (g.status() == Gate.Status.ACCEPTED && g.note() != null && g.note().contains("--accept-unreadable")) accepted.put(g.finding(), g);
        }
        if (!accepted.isEmpty()) {
            List<Gate.Gated> kept = new ArrayList<>();
            boolean failed = false;
            for (Gate.Gated g : o.findings()) {
                Gate.Gated a = accepted.get(g.finding());
                kept.add(a != null ? a : g);
                failed |= (a != null ? a : g).status() == Gate.Status.FAILS;
            }
            o = new Gate.Outcome(kept, o.changes(), o.failOn(), failed);
        }
        return new AuditResult(r.snapshot(), r.viewsPresent(), r.viewsMissing(), r.unknowns(), r.listeners(), r.rows(), o, r.policy(),
                r.firewall(), r.scan(), r.problems(), r.notes(), r.notChecked());
    }
}
