package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * The scan view as the audit needs it.
 *
 * @param target  the address scanned (its family decides which rows the scan speaks for)
 * @param results the ports the scan listed (a live scan lists every port it decided)
 * @param hidden  ports the scan probed but did not list, with their state, where the output says which ports
 * @param summary nmap's "Not shown: 841 closed ports, 156 filtered ports" line or an equivalent, for evidence
 * @param serviceDetection the scan ran portaudit's -sV, whose markers weak-tls and weak-ssh-crypto read (the audit's own
 *                scan, or an imported portaudit scan made with -sV; nmap's -sV output does not carry them)
 */
public record ScanFacts(String target, AddressFamily family, List<PortResult> results, List<Hidden> hidden, String summary,
                        boolean partial, String source, boolean serviceDetection) {

    /** A scan without portaudit's -sV. */
    public ScanFacts(String target, AddressFamily family, List<PortResult> results, List<Hidden> hidden, String summary,
                     boolean partial, String source) {
        this(target, family, results, hidden, summary, partial, source, false);
    }

    /**
     * Probed but not listed ports of one state: {@code ports} when the output names them, else null with only
     * their {@code count} known (nmap 6's "Not shown: 841 closed ports, 156 filtered ports"); {@code protocol} null
     * when the output does not say.
     */
    public record Hidden(Protocol protocol, PortSet ports, PortState state, long count) {
        public Hidden(Protocol protocol, PortSet ports, PortState state) {
            this(protocol, ports, state, ports.size());
        }
    }

    public ScanFacts {
        results = List.copyOf(results);
        hidden = List.copyOf(hidden);
    }

    /** The state the scan saw for a port: listed, or implied by "not shown", or empty when not probed (or not known). */
    public Optional<PortResult> at(Protocol protocol, int port) {
        for (PortResult r : results) if (r.protocol() == protocol && r.port() == port) return Optional.of(r);
        for (Hidden h : hidden) {
            if (h.protocol() == protocol && h.ports() != null && h.ports().contains(port)) {
                return Optional.of(new PortResult(target, protocol, port, h.state(), "not-shown", null, null, null, null));
            }
        }
        return Optional.empty();
    }
}
