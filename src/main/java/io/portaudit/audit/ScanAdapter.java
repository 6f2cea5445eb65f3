package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.scan.NmapOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns scans (imported nmap/portaudit outputs, or a live scan's results) into {@link ScanFacts}. */
public final class ScanAdapter {
    private ScanAdapter() {}

    /** From an imported scan of one host. */
    static ScanFacts fromImport(String source, NmapOutputs.ScanImport scan) {
        String target = scan.hostsUp().isEmpty()
                ? scan.ports().stream().map(PortResult::address).findFirst().orElse("?")
                : scan.hostsUp().get(0);
        List<ScanFacts.Hidden> hidden = new ArrayList<>();
        for (NmapOutputs.NotShown n : scan.notShown()) {
            if (n.ports() != null) hidden.add(new ScanFacts.Hidden(n.protocol(), n.ports(), n.state()));
        }
        String summary = scan.notShown().isEmpty() ? null : "Not shown: " + scan.notShown().stream()
                .map(n -> n.count() + " " + n.state().label() + " " + (n.protocol() == null ? "" : n.protocol().label() + " ") + "ports")
                .collect(Collectors.joining(", "));
        List<PortResult> results = scan.ports().stream().filter(p -> p.address() == null || p.address().equals(target)
                || scan.hostsUp().size() <= 1).toList();
        return new ScanFacts(target, family(target), results, hidden, summary, false, source);
    }

    /** From a live scan of one address. */
    public static ScanFacts fromLive(String target, List<PortResult> results, boolean partial) {
        long closed = results.stream().filter(r -> r.state() == PortState.CLOSED).count();
        long filtered = results.stream().filter(r -> r.state() == PortState.FILTERED).count();
        return new ScanFacts(target, family(target), results, List.of(),
                results.size() + " ports scanned: " + closed + " closed, " + filtered + " filtered", partial, "scan of " + target);
    }

    /** A literal with a colon is IPv6; anything else (an IPv4 literal, a host name, the seed's placeholder) counts as IPv4. */
    static AddressFamily family(String target) {
        return target != null && target.contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
    }
}
