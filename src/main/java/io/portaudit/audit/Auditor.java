package io.portaudit.audit;

import io.portaudit.inventory.Inventory;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the views from a snapshot and correlates them. */
public final class Auditor {
    private Auditor() {}

    public static AuditResult audit(DeviceSnapshot snap, Map<Long, List<Owner>> owners) {
        Problems problems = new Problems();
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> notes = new ArrayList<>(snap.notes());

        List<Listener> listeners = Inventory.fromSnapshot(snap, owners, problems);
        if (snap.has(DeviceSnapshot.KIND_PROC_NET_TCP) || snap.has(DeviceSnapshot.KIND_NETSTAT) || snap.has(DeviceSnapshot.KIND_SS)) {
            present.add("listeners");
        } else {
            missing.add("listeners");
        }
        boolean firewall = snap.captures().stream().anyMatch(c -> c.kind().startsWith("iptables") || c.kind().startsWith("ip6tables")
                || c.kind().startsWith("nft"));
        (firewall ? present : missing).add("firewall");
        missing.add("scan");
        if ("local".equals(snap.source())) {
            notes.add("no scan: a scan of this machine's own address travels over lo and says nothing about what a remote host "
                    + "can reach; scan it from another machine (portaudit scan HOST) or audit a device with --scan");
        }
        return new AuditResult(snap, present, missing, listeners, problems.list(), notes);
    }
}
