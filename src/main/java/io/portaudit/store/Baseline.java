package io.portaudit.store;

import io.portaudit.model.L10n;
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
                case NEW -> L10n.t("base.new");
                case GONE -> L10n.t("base.gone");
                default -> L10n.t("base.differs", changes(c));
            };
            List<Evidence> ev = new ArrayList<>();
            ev.add(new Evidence("baseline", L10n.t("base.ev.golden", golden, c.a() == null ? L10n.t("base.norow") : c.a().summary()), model));
            ev.add(new Evidence("baseline", L10n.t("base.ev.this", c.b() == null ? L10n.t("base.norow") : c.b().summary()), model));
            out.add(new Finding(ID, severity, L10n.t("base.title", c.protocol().label() + "/" + c.port(), c.family().label(), what),
                    c.protocol(), c.family(), PortRange.of(c.port()), L10n.t("base.detail", model, c.status().label()), ev,
                    List.of(L10n.t("base.fix", "portaudit diff " + golden + " DEVICE@latest", "portaudit baseline set " + model + " DEVICE@latest"))));
        }
        return out;
    }

    private static String changes(Diff.PortChange c) {
        List<String> parts = new ArrayList<>();
        for (Diff.Change ch : c.changes()) parts.add(io.portaudit.report.DiffReport.field(ch.field()) + " " + (ch.from() == null ? "-" : ch.from()) + " -> " + (ch.to() == null ? "-" : ch.to()));
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
            if (g.status() == Gate.Status.ACCEPTED && g.note() != null && L10n.render(g.note(), L10n.Lang.EN).contains("--accept-unreadable")) accepted.put(g.finding(), g);
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
