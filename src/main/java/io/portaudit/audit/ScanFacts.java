package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scan view as the audit needs it.
 *
 * @param target   the address scanned (its family decides which rows the scan speaks for)
 * @param results  the ports the scan listed
 * @param scanned  per protocol, the ports probed, when known (empty map: only {@code results} are known)
 * @param notShown per protocol, the state of probed ports not listed ("Not shown: 999 closed ports")
 * @param summary  nmap's "Not shown" line or an equivalent summary, for evidence
 */
public record ScanFacts(String target, AddressFamily family, List<PortResult> results, Map<Protocol, PortSet> scanned,
                        Map<Protocol, PortState> notShown, String summary, boolean partial, String source) {
    public ScanFacts {
        results = List.copyOf(results);
        scanned = Map.copyOf(scanned);
        notShown = Map.copyOf(notShown);
    }

    /** The state the scan saw for a port: listed, or implied by "not shown", or empty when not probed. */
    public Optional<PortResult> at(Protocol protocol, int port) {
        for (PortResult r : results) if (r.protocol() == protocol && r.port() == port) return Optional.of(r);
        PortSet probed = scanned.get(protocol);
        PortState rest = notShown.get(protocol);
        if (probed != null && rest != null && probed.contains(port)) {
            return Optional.of(new PortResult(target, protocol, port, rest, "not-shown", null, null, null, null));
        }
        return Optional.empty();
    }
}
