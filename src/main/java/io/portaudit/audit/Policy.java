package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortRange;
import io.portaudit.model.Protocol;
import io.portaudit.model.Severity;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a product may expose and what fails a run (docs/POLICY.md).
 *
 * @param gate      finding ids that count toward failure; empty = every id
 * @param severity  per-id severity overrides
 */
public record Policy(String product, String description, List<Allow> allow, Severity failOn, Set<String> gate,
                     Map<String, Severity> severity, List<Exception> exceptions, String source) {

    /** A port (range) that may be reachable, optionally only on one family and only owned by one program. */
    public record Allow(Protocol protocol, PortRange ports, AddressFamily family, String program, String comment) {
        public boolean matches(Protocol p, AddressFamily f, int port) {
            return protocol == p && ports.contains(port) && (family == null || family == f);
        }

        public String label() {
            return protocol.label() + "/" + ports + (family == null ? "" : " " + family.label()) + (program == null ? "" : " by " + program);
        }
    }

    /** An accepted finding, with the reason and (optionally) the date it stops being accepted. */
    public record Exception(String finding, Protocol protocol, PortRange ports, String reason, LocalDate expires) {
        public boolean covers(io.portaudit.model.Finding f) {
            if (!finding.equals(f.id())) return false;
            if (protocol == null) return true;
            return f.protocol() == protocol && f.ports() != null && ports.from() <= f.ports().from() && f.ports().to() <= ports.to();
        }

        public boolean expired(LocalDate today) {
            return expires != null && today.isAfter(expires);
        }
    }

    public Policy {
        allow = List.copyOf(allow);
        gate = Set.copyOf(gate);
        severity = Map.copyOf(severity);
        exceptions = List.copyOf(exceptions);
    }

    public boolean gates(String findingId) {
        return gate.isEmpty() || gate.contains(findingId);
    }

    /** No policy given: nothing is allowed by name, every finding at or above {@code high} fails. */
    public static Policy none() {
        return new Policy(null, null, List.of(), Severity.HIGH, Set.of(), Map.of(), List.of(), null);
    }
}
