package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Listener;
import io.portaudit.model.PortResult;
import io.portaudit.model.Protocol;
import java.util.List;

/**
 * One line of the port matrix: what each view says about (protocol, family, port).
 *
 * @param firewall null when no ruleset for this family was collected
 * @param scan     null when no scan covered this port/family
 * @param expected what a remote connect scan should see according to firewall + listeners, or null if unknown
 */
public record PortRow(Protocol protocol, AddressFamily family, int port, String service, ExposureRange firewall,
                      List<Listener> listeners, PortResult scan, String expected) {
    public PortRow {
        listeners = List.copyOf(listeners);
    }

    public boolean listening() {
        return !listeners.isEmpty();
    }

    public boolean listeningBeyondLoopback() {
        return listeners.stream().anyMatch(l -> l.scope().reachableFromNetwork());
    }
}
