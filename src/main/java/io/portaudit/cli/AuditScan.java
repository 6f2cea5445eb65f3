package io.portaudit.cli;

import io.portaudit.audit.AuditInput;
import io.portaudit.audit.ScanAdapter;
import io.portaudit.audit.ScanFacts;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Listener;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Verdict;
import io.portaudit.scan.PortFrequencies;
import io.portaudit.scan.PortSpec;
import io.portaudit.scan.ScanRequest;
import io.portaudit.scan.Scanner;
import io.portaudit.scan.TargetSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit's live scan of one device: the 1,000 most common TCP ports plus every port the other
 * views name (listeners, ports the firewall accepts), TCP and UDP, with the scanner's device-safe
 * default timing and service detection.
 */
final class AuditScan {
    /** UDP is slow (the device's ICMP rate limit decides): only the ports the views name, at most this many. */
    static final int MAX_UDP_PORTS = 256;

    private AuditScan() {}

    static PortSpec ports(AuditInput in, ServiceNames names, String explicit) {
        if (explicit != null) return PortSpec.parse(explicit, names);
        PortSet tcp = PortFrequencies.load().top(Protocol.TCP, 1000);
        PortSet udp = PortSet.empty();
        List<PortRange> tcpExtra = new ArrayList<>();
        List<PortRange> udpExtra = new ArrayList<>();
        if (in.listeners() != null) {
            for (Listener l : in.listeners()) {
                if (!l.scope().reachableFromNetwork() || l.port() < 1) continue;
                (l.protocol() == Protocol.TCP ? tcpExtra : udpExtra).add(PortRange.of(l.port()));
            }
        }
        if (in.firewall() != null) {
            for (Exposure e : in.firewall().exposures()) {
                for (ExposureRange r : e.ranges()) {
                    if (r.verdict() != Verdict.ACCEPT || r.range().size() > 16) continue;
                    (e.protocol() == Protocol.TCP ? tcpExtra : udpExtra).add(r.range());
                }
            }
        }
        tcp = tcp.union(PortSet.of(tcpExtra));
        udp = udp.union(PortSet.of(udpExtra));
        if (udp.size() > MAX_UDP_PORTS) udp = PortSet.of(udp.ranges().subList(0, Math.min(udp.rangeCount(), MAX_UDP_PORTS)));
        return PortSpec.of(tcp, udp);
    }

    static ScanFacts run(String target, PortSpec ports, ServiceNames names) {
        TargetSpec targets = TargetSpec.parse(List.of(target), List.of(), false);
        ScanRequest req = ScanRequest.builder(targets, ports).tcp(!ports.tcp().isEmpty()).udp(!ports.udp().isEmpty())
                .skipDiscovery(true).serviceDetection(true).names(names).build();
        Scanner scanner = new Scanner();
        List<PortResult> results = new ArrayList<>();
        Scanner.Outcome outcome = scanner.run(req, (PortResult r) -> {
            synchronized (results) {
                results.add(r);
            }
        });
        String address = results.isEmpty() ? target : results.get(0).address();
        return ScanAdapter.fromLive(address, results, !outcome.complete(), req.serviceDetection());
    }
}
