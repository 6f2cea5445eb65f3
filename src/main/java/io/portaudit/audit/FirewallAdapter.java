package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.ServiceNames;

/** Turns the firewall view into the audit's {@link FirewallFacts}. */
final class FirewallAdapter {
    private FirewallAdapter() {}

    static FirewallFacts fromTexts(java.util.List<io.portaudit.model.Capture> texts, ServiceNames names) {
        return null;
    }

    static FirewallFacts fromSnapshot(DeviceSnapshot snap, ServiceNames names) {
        return null;
    }
}
