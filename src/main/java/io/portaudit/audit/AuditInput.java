package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortResult;
import java.util.List;

/**
 * The views an audit correlates; any may be null (not collected).
 *
 * @param snapshot  where the texts came from (host, source, time, partial)
 * @param listeners null when no listener view was collected (an empty list means: collected, none)
 * @param probed    what a loopback probe of this machine's own listeners learned (a local audit), empty otherwise
 * @param otherNetns the listeners of other network namespaces (containers) with the addresses they hold: what a
 *                   port DNATed to such an address reaches; empty when no view covers another namespace
 */
public record AuditInput(DeviceSnapshot snapshot, FirewallFacts firewall, List<Listener> listeners, ScanFacts scan,
                         List<ParseProblem> problems, List<String> notes, List<NetnsView> otherNetns, List<PortResult> probed) {
    public AuditInput {
        listeners = listeners == null ? null : List.copyOf(listeners);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        otherNetns = otherNetns == null ? List.of() : List.copyOf(otherNetns);
        probed = probed == null ? List.of() : List.copyOf(probed);
    }

    /** Without a loopback probe. */
    public AuditInput(DeviceSnapshot snapshot, FirewallFacts firewall, List<Listener> listeners, ScanFacts scan,
                      List<ParseProblem> problems, List<String> notes, List<NetnsView> otherNetns) {
        this(snapshot, firewall, listeners, scan, problems, notes, otherNetns, List.of());
    }

    /** Without other namespaces' views. */
    public AuditInput(DeviceSnapshot snapshot, FirewallFacts firewall, List<Listener> listeners, ScanFacts scan,
                      List<ParseProblem> problems, List<String> notes) {
        this(snapshot, firewall, listeners, scan, problems, notes, List.of(), List.of());
    }

    public AuditInput withScan(ScanFacts newScan) {
        return new AuditInput(snapshot, firewall, listeners, newScan, problems, notes, otherNetns, probed);
    }

    /** With what a loopback probe of this machine's listeners learned, and its notes. */
    public AuditInput withProbe(LoopbackProbe.Result probe) {
        List<String> n = new java.util.ArrayList<>(notes);
        n.addAll(probe.notes());
        return new AuditInput(snapshot, firewall, listeners, scan, problems, n, otherNetns, probe.results());
    }
}
