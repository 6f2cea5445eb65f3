package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import java.util.List;

/**
 * Everything an audit found, ready for a report to format: reports compute nothing. {@link AuditJson} writes it as
 * JSON and reads it back; a result read back has no {@code firewall} and {@code scan} facts (null), only what the
 * document records: the rows, findings and the checks that did not run.
 *
 * @param notChecked finding ids whose view or probe did not run → why (see {@link Checks}); never passed
 * @param texts      the language its texts are written in and the same result with them language-neutral (message keys
 *                   and arguments, see {@link io.portaudit.model.L10n#neutral}), so it can be shown in another language;
 *                   null when the texts were written in one language only
 */
public record AuditResult(DeviceSnapshot snapshot, List<String> viewsPresent, List<String> viewsMissing, List<String> unknowns,
                          List<Listener> listeners, List<PortRow> rows, Gate.Outcome outcome, Policy policy,
                          FirewallFacts firewall, ScanFacts scan, List<ParseProblem> problems, List<String> notes,
                          java.util.Map<String, String> notChecked, Texts texts) {
    /** The language a result's texts are in, and the result with its texts language-neutral. */
    public record Texts(io.portaudit.model.L10n.Lang lang, AuditResult neutral) {}

    public AuditResult(DeviceSnapshot snapshot, List<String> viewsPresent, List<String> viewsMissing, List<String> unknowns,
                       List<Listener> listeners, List<PortRow> rows, Gate.Outcome outcome, Policy policy,
                       FirewallFacts firewall, ScanFacts scan, List<ParseProblem> problems, List<String> notes,
                       java.util.Map<String, String> notChecked) {
        this(snapshot, viewsPresent, viewsMissing, unknowns, listeners, rows, outcome, policy, firewall, scan, problems, notes, notChecked, null);
    }

    /** The version of the audit JSON document ({@link AuditJson}); 2 since one mapping per model type and read-back. */
    public static final int SCHEMA_VERSION = AuditJson.SCHEMA_VERSION;

    public AuditResult {
        viewsPresent = List.copyOf(viewsPresent);
        viewsMissing = List.copyOf(viewsMissing);
        unknowns = List.copyOf(unknowns);
        listeners = List.copyOf(listeners);
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        notChecked = notChecked == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notChecked));
    }

    /** The result with the checks that did not run worked out from its views (the auditor's last step). */
    AuditResult withChecks() {
        return new AuditResult(snapshot, viewsPresent, viewsMissing, unknowns, listeners, rows, outcome, policy, firewall, scan,
                problems, notes, Checks.notRun(this));
    }

    public boolean partial() {
        return snapshot.partial() || (scan != null && scan.partial());
    }

    /**
     * Lines that could hold a rule, a listener or a scanned port and could not be read (error problems), unless the user
     * accepted them ({@code --accept-unreadable} or a policy exception for {@code unparsed-input}).
     */
    public boolean unreadable() {
        return outcome.atoms().stream().anyMatch(g -> g.finding().id().equals(Auditor.UNPARSED)
                && g.status() != Gate.Status.ACCEPTED);
    }

    /** Partial collection or scan, or unreadable input lines: what the audit says may not be all there is. */
    public boolean incomplete() {
        return partial() || unreadable();
    }

    /** 3 when incomplete (partial, or unreadable lines not accepted), else 1 when the gate failed, else 0 (README, "Exit codes"). */
    public int exitCode() {
        if (incomplete()) return 3;
        return outcome.failed() ? 1 : 0;
    }

    public long count(Gate.Status status) {
        return outcome.findings().stream().filter(g -> g.status() == status).count();
    }
}
