package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import java.util.List;

/** Everything an audit found, ready for a report to format: reports compute nothing. */
public record AuditResult(DeviceSnapshot snapshot, List<String> viewsPresent, List<String> viewsMissing, List<String> unknowns,
                          List<Listener> listeners, List<PortRow> rows, Gate.Outcome outcome, Policy policy,
                          FirewallFacts firewall, ScanFacts scan, List<ParseProblem> problems, List<String> notes) {
    public static final int SCHEMA_VERSION = 1;

    public AuditResult {
        viewsPresent = List.copyOf(viewsPresent);
        viewsMissing = List.copyOf(viewsMissing);
        unknowns = List.copyOf(unknowns);
        listeners = List.copyOf(listeners);
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public boolean partial() {
        return snapshot.partial() || (scan != null && scan.partial());
    }

    /** 3 when partial, else 1 when the gate failed, else 0 (README, "Exit codes"). */
    public int exitCode() {
        if (partial()) return 3;
        return outcome.failed() ? 1 : 0;
    }

    /** Finding ids whose view or probe did not run: not checked, never passed (see {@link Checks}). */
    public java.util.Map<String, String> notChecked() {
        return Checks.notRun(this);
    }

    public long count(Gate.Status status) {
        return outcome.findings().stream().filter(g -> g.status() == status).count();
    }
}
