package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import java.util.List;

/** Everything an audit found, ready for a report to format. */
public record AuditResult(DeviceSnapshot snapshot, List<String> viewsPresent, List<String> viewsMissing,
                          List<Listener> listeners, List<ParseProblem> problems, List<String> notes) {
    public AuditResult {
        viewsPresent = List.copyOf(viewsPresent);
        viewsMissing = List.copyOf(viewsMissing);
        listeners = List.copyOf(listeners);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public boolean partial() {
        return snapshot.partial();
    }
}
