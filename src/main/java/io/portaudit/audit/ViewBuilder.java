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
        List<NetnsView> others = List.of();
        if (listenerTexts) {
            List<Listener> all = Inventory.fromSnapshot(snap, names, problems);
            String main = deviceNetns(snap);
            listeners = all.stream().filter(l -> main == null || l.netns() == null || main.equals(l.netns())).toList();
            long elsewhere = all.size() - listeners.size();
            if (elsewhere > 0) {
                notes.add(io.portaudit.model.L10n.t("vb.note.elsewhere", elsewhere));
            }
            if (main != null) others = otherNetns(snap, all, main);
        }
        FirewallFacts firewall = FirewallAdapter.fromSnapshot(snap, names);
        return new AuditInput(snap, firewall, listeners, scan, problems.list(), notes, others);
    }

    /**
     * The namespaces other than the device's whose socket tables the snapshot holds, each with the addresses its
     * own captures (/proc/PID/net/fib_trie, if_inet6) show it holds: what a DNAT to a container's address reaches.
     * A namespace whose addresses are unknown is left out (a DNAT to it stays "listener unknown").
     */
    static List<NetnsView> otherNetns(DeviceSnapshot snap, List<Listener> all, String main) {
        java.util.Map<String, java.util.Set<String>> addrs = Inventory.addressesByNetns(snap);
        java.util.Set<String> tables = new java.util.LinkedHashSet<>();
        for (Capture c : snap.captures()) {
            if (c.netns() != null && !c.netns().equals(main) && c.kind().startsWith("proc-net-tcp") || c.netns() != null
                    && !c.netns().equals(main) && c.kind().startsWith("proc-net-udp")) {
                tables.add(c.netns());
            }
        }
        List<NetnsView> out = new ArrayList<>();
        for (String ns : tables) {
            java.util.Set<String> held = new java.util.TreeSet<>();
            for (String a : addrs.getOrDefault(ns, java.util.Set.of())) NetnsView.canonical(a).ifPresent(held::add);
            held.removeIf(a -> a.startsWith("127.") || a.equals("::1"));
            if (held.isEmpty()) continue;
            String source = snap.captures().stream().filter(c -> ns.equals(c.netns()) && (c.kind().equals(DeviceSnapshot.KIND_PROC_NET_FIB_TRIE)
                    || c.kind().equals(DeviceSnapshot.KIND_PROC_NET_IF_INET6) || c.kind().equals(DeviceSnapshot.KIND_IP_ADDR)))
                    .map(Capture::command).findFirst().orElse(null);
            out.add(new NetnsView(ns, held, all.stream().filter(l -> ns.equals(l.netns())).toList(), source));
        }
        return out;
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
