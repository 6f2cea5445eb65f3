package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import java.util.List;

/**
 * The views an audit correlates; any may be null (not collected).
 *
 * @param snapshot  where the texts came from (host, source, time, partial)
 * @param listeners null when no listener view was collected (an empty list means: collected, none)
 */
public record AuditInput(DeviceSnapshot snapshot, FirewallFacts firewall, List<Listener> listeners, ScanFacts scan,
                         List<ParseProblem> problems, List<String> notes) {
    public AuditInput {
        listeners = listeners == null ? null : List.copyOf(listeners);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }
}
