package io.portaudit.scan;

import io.portaudit.model.PortResult;
import java.util.ArrayList;
import java.util.List;

/** A listener for tests that keeps every port result and host report, in the order they came. */
final class Collected implements ScanListener {
    final List<PortResult> ports = new ArrayList<>();
    final List<HostReport> hosts = new ArrayList<>();

    @Override
    public synchronized void port(PortResult r) {
        ports.add(r);
    }

    @Override
    public synchronized void host(HostReport h) {
        hosts.add(h);
    }
}
