package io.portaudit.model;

import java.util.List;

/**
 * A finding: something about a device's ports a person should know or fix. The ids are the
 * product's interface; docs/FINDINGS.md lists them all.
 *
 * @param id       e.g. {@code exposed-service}, {@code ambiguous-listing}
 * @param protocol null when the finding is not about one protocol (e.g. a whole chain)
 * @param family   null when it is about both families or none
 * @param ports    null when it is not about ports
 * @param detail   a sentence or two explaining why this matters here
 * @param remedy   concrete commands or changes, most direct first
 */
public record Finding(String id, Severity severity, String title, Protocol protocol, AddressFamily family, PortRange ports,
                      String detail, List<Evidence> evidence, List<String> remedy) {
    public Finding {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        remedy = remedy == null ? List.of() : List.copyOf(remedy);
    }
}
