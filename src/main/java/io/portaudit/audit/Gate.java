package io.portaudit.audit;

import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import io.portaudit.model.Listener;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortState;
import io.portaudit.model.Severity;
import io.portaudit.model.Verdict;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Applies a policy to the findings: violations, severity overrides, exceptions, the pass/fail decision. */
public final class Gate {
    private Gate() {}

    public enum Status {
        /** Counts toward failure. */
        FAILS,
        /** Below the fail threshold. */
        BELOW_THRESHOLD,
        /** Accepted by a policy exception that has not expired. */
        ACCEPTED,
        /** The policy does not gate on this finding id. */
        NOT_GATED
    }

    /**
     * A finding as the gate decided it. A merged finding (one per port and problem, {@link Merge}) carries the
     * findings it stands for as {@code reasons}, each gated on its own (its id, severity, exception); an unmerged one
     * has none and stands for itself.
     */
    public record Gated(Finding finding, Status status, String note, List<Gated> reasons) {
        public Gated {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
        }

        public Gated(Finding finding, Status status, String note) {
            this(finding, status, note, List.of());
        }

        /** The findings this one stands for, each with its own id, severity and status: its reasons, or itself. */
        public List<Gated> atoms() {
            return reasons.isEmpty() ? List.of(this) : reasons;
        }

        /** Whether this finding, or one of its reasons, has this id. */
        public boolean has(String id) {
            return atoms().stream().anyMatch(g -> g.finding().id().equals(id));
        }
    }

    /** A port the policy allows that the device does not expose, or one it exposes that the policy does not allow. */
    public record Change(String kind, String port, String detail) {}

    /** The gate's decision; {@code findings} merged one per port and problem ({@link Merge}), {@link #atoms} one by one. */
    public record Outcome(List<Gated> findings, List<Change> changes, Severity failOn, boolean failed) {
        /** Every finding one by one, as the correlation found them: the merged findings' reasons, and the others. */
        public List<Gated> atoms() {
            return findings.stream().flatMap(g -> g.atoms().stream()).toList();
        }
    }

    public static Outcome apply(Policy policy, Severity failOnOverride, List<PortRow> rows, List<Finding> findings, LocalDate today) {
        Severity failOn = failOnOverride != null ? failOnOverride : policy.failOn();
        List<Finding> all = new ArrayList<>(findings);
        List<Change> changes = new ArrayList<>();
        if (policy.product() != null || !policy.allow().isEmpty()) {
            all.addAll(violations(policy, rows, changes));
        }
        List<Gated> out = new ArrayList<>();
        boolean failed = false;
        for (Finding f : all) {
            Severity sev = policy.severity().getOrDefault(f.id(), f.severity());
            if (sev != f.severity()) {
                f = new Finding(f.id(), sev, f.title(), f.protocol(), f.family(), f.ports(), f.detail(), f.evidence(), f.remedy());
            }
            Status status;
            String note = null;
            final Finding current = f;
            Policy.Exception ex = policy.exceptions().stream().filter(e -> e.covers(current)).findFirst().orElse(null);
            if (ex != null && !ex.expired(today)) {
                status = Status.ACCEPTED;
                note = L10n.t("gate.accepted", ex.reason()) + (ex.expires() == null ? "" : L10n.t("gate.until", ex.expires()));
            } else if (!policy.gates(f.id())) {
                status = Status.NOT_GATED;
            } else if (sev.atLeast(failOn)) {
                status = Status.FAILS;
                if (ex != null) note = L10n.t("gate.expired", ex.expires(), ex.reason());
            } else {
                status = Status.BELOW_THRESHOLD;
                if (ex != null) note = L10n.t("gate.expired", ex.expires(), ex.reason());
            }
            failed |= status == Status.FAILS;
            out.add(new Gated(f, status, note));
        }
        out.sort((a, b) -> b.finding().severity().compareTo(a.finding().severity()));
        return new Outcome(Merge.merge(out), List.copyOf(changes), failOn, failed);
    }

    /** Reachable listeners (or open scan ports) the policy does not allow; allowed ports that are absent. */
    private static List<Finding> violations(Policy policy, List<PortRow> rows, List<Change> changes) {
        List<Finding> out = new ArrayList<>();
        List<Policy.Allow> used = new ArrayList<>();
        for (PortRow row : rows) {
            boolean scanOpen = row.scan() != null && row.scan().state() == PortState.OPEN;
            boolean fwAccepts = row.firewall() != null && row.firewall().verdict() == Verdict.ACCEPT;
            boolean reachable = scanOpen || (fwAccepts && row.listeningBeyondLoopback());
            if (!reachable) continue;
            String port = row.protocol().label() + "/" + row.port() + " " + row.family().label();
            List<Policy.Allow> matching = policy.allow().stream().filter(a -> a.matches(row.protocol(), row.family(), row.port())).toList();
            String program = Correlator.program(row.listeners());
            Policy.Allow ok = matching.stream().filter(a -> a.program() == null || programMatches(a.program(), row.listeners())).findFirst().orElse(null);
            if (ok != null) {
                used.add(ok);
                continue;
            }
            String why = matching.isEmpty() ? L10n.t("gate.notallowed")
                    : L10n.t("gate.onlyfor", matching.get(0).program(), program);
            changes.add(new Change("added", port, program));
            List<Evidence> ev = new ArrayList<>();
            if (row.firewall() != null) ev.add(new Evidence("firewall", row.firewall().rule().text(), row.firewall().rule().source()));
            for (Listener l : row.listeners()) ev.add(new Evidence("listener", l.protocol().label() + " " + l.endpoint(), l.source()));
            if (row.scan() != null) ev.add(new Evidence("scan", row.scan().port() + "/" + row.protocol().label() + " " + row.scan().state().label(), null));
            ev.add(new Evidence("policy", why, policy.source()));
            out.add(new Finding("policy-violation", Severity.HIGH,
                    L10n.t("gate.pv.title", port + (row.service() == null ? "" : " (" + row.service() + ")"),
                            policy.product() == null ? L10n.t("text.thepolicy") : policy.product()),
                    row.protocol(), row.family(), PortRange.of(row.port()), L10n.t("gate.pv.detail", why), ev,
                    List.of(Remedies.dropPorts(row.protocol(), PortRange.of(row.port()), row.family(),
                            null), L10n.t("gate.pv.fix", "allow: [{port: " + row.protocol().label() + "/" + row.port() + "}]"))));
        }
        for (Policy.Allow a : policy.allow()) {
            if (!used.contains(a)) changes.add(new Change("absent", a.label(), a.comment() == null ? L10n.t("gate.absent") : a.comment()));
        }
        return out;
    }

    private static boolean programMatches(String program, List<Listener> listeners) {
        String want = program.toLowerCase(Locale.ROOT);
        return listeners.stream().flatMap(l -> l.owners().stream())
                .anyMatch(o -> o.comm() != null && o.comm().toLowerCase(Locale.ROOT).equals(want)
                        || o.cmdline() != null && o.cmdline().toLowerCase(Locale.ROOT).contains(want));
    }
}
