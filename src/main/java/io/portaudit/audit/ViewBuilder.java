package io.portaudit.audit;

import io.portaudit.inventory.Inventory;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the audit's views from a snapshot's raw texts, using each view's own parsers. */
public final class ViewBuilder {
    private ViewBuilder() {}

    public static AuditInput fromSnapshot(DeviceSnapshot snap, Map<Long, List<Owner>> owners, ServiceNames names, ScanFacts scan) {
        Problems problems = new Problems();
        List<String> notes = new ArrayList<>(snap.notes());
        boolean listenerTexts = snap.has(DeviceSnapshot.KIND_PROC_NET_TCP) || snap.has(DeviceSnapshot.KIND_PROC_NET_TCP6)
                || snap.has(DeviceSnapshot.KIND_NETSTAT) || snap.has(DeviceSnapshot.KIND_SS);
        List<Listener> listeners = listenerTexts ? Inventory.fromSnapshot(snap, owners, problems) : null;
        FirewallFacts firewall = null;
        return new AuditInput(snap, firewall, listeners, scan, problems.list(), notes);
    }
}
