package io.portaudit.inventory;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The listener view of a snapshot: every listening/bound socket found in its texts. */
public final class Inventory {
    private Inventory() {}

    public static final Comparator<Listener> ORDER = Comparator.comparing(Listener::protocol)
            .thenComparingInt(Listener::port).thenComparing(Listener::family).thenComparing(Listener::address);

    public static List<Listener> fromSnapshot(DeviceSnapshot snap, Map<Long, List<Owner>> owners, Problems problems) {
        List<Listener> all = new ArrayList<>();
        Object[][] tables = {
            {DeviceSnapshot.KIND_PROC_NET_TCP, Protocol.TCP, AddressFamily.IPV4},
            {DeviceSnapshot.KIND_PROC_NET_TCP6, Protocol.TCP, AddressFamily.IPV6},
            {DeviceSnapshot.KIND_PROC_NET_UDP, Protocol.UDP, AddressFamily.IPV4},
            {DeviceSnapshot.KIND_PROC_NET_UDP6, Protocol.UDP, AddressFamily.IPV6},
        };
        for (Object[] t : tables) {
            for (Capture c : snap.all((String) t[0])) {
                all.addAll(ProcNetParser.parse(c.command(), c.stdout(), (Protocol) t[1], (AddressFamily) t[2], owners, null, problems));
            }
        }
        all.sort(ORDER);
        return List.copyOf(all);
    }
}
