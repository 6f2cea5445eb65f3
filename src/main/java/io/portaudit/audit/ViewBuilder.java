package io.portaudit.audit;

import io.portaudit.inventory.Inventory;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the audit's views from a snapshot's raw texts with each view's own parsers. Local, SSH and
 * bundle snapshots all pass through here, so they are audited by the same code.
 */
public final class ViewBuilder {
    private ViewBuilder() {}

    public static AuditInput fromSnapshot(DeviceSnapshot snap, ServiceNames names, ScanFacts scan) {
        Problems problems = new Problems();
        List<String> notes = new ArrayList<>(snap.notes());
        boolean listenerTexts = snap.captures().stream().anyMatch(c -> c.kind().startsWith("proc-net-tcp") || c.kind().startsWith("proc-net-udp")
                || c.kind().equals(DeviceSnapshot.KIND_NETSTAT) || c.kind().equals(DeviceSnapshot.KIND_SS));
        List<Listener> listeners = null;
        if (listenerTexts) {
            List<Listener> all = Inventory.fromSnapshot(snap, names, problems);
            String main = deviceNetns(snap);
            listeners = all.stream().filter(l -> main == null || l.netns() == null || main.equals(l.netns())).toList();
            long elsewhere = all.size() - listeners.size();
            if (elsewhere > 0) {
                notes.add(elsewhere + " listener(s) live in other network namespaces (containers, lab devices) and are not "
                        + "reachable through this device's own addresses unless forwarded; see 'portaudit inventory'");
            }
        }
        FirewallFacts firewall = FirewallAdapter.fromSnapshot(snap, names);
        return new AuditInput(snap, firewall, listeners, scan, problems.list(), notes);
    }

    /** The namespace the device's own facts belong to: the netns of its firewall/bindv6only captures, else of its first table. */
    static String deviceNetns(DeviceSnapshot snap) {
        for (Capture c : snap.captures()) {
            if (c.netns() != null && (c.kind().startsWith("iptables") || c.kind().startsWith("ip6tables") || c.kind().startsWith("nft")
                    || c.kind().equals(DeviceSnapshot.KIND_BINDV6ONLY))) {
                return c.netns();
            }
        }
        return snap.captures().stream().filter(c -> c.kind().startsWith("proc-net-")).map(Capture::netns).filter(Objects::nonNull)
                .findFirst().orElse(null);
    }
}
