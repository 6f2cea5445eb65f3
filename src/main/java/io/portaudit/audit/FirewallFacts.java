package io.portaudit.audit;

import io.portaudit.firewall.HiddenInterface;
import io.portaudit.firewall.Ruleset;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Finding;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * The firewall view as the audit needs it.
 *
 * @param backend   {@code iptables}, {@code nftables}, {@code iptables -L listing} ... (for remedies and the report)
 * @param exposures one partition per (family, protocol) for which a ruleset was read; a family with no
 *                  exposure means nothing was collected for it, so its reachability is unknown
 * @param findings  the firewall's own analyses (ambiguous-listing, shadowed-rule, accept-all-policy, ...)
 * @param sources   the inputs the view was built from, for the report
 * @param hiddenInterfaces rules an {@code iptables -L} listing showed without their interface (read as -i lo), with what
 *                  the literal reading would expose: a scan may settle which reading is true
 * @param rulesets  the parsed rulesets, for the fix script (which backend, which rules to delete)
 */
public record FirewallFacts(String backend, List<Exposure> exposures, List<Finding> findings, List<ParseProblem> problems,
                            List<String> sources, List<HiddenInterface> hiddenInterfaces, List<Ruleset> rulesets) {
    public FirewallFacts {
        exposures = List.copyOf(exposures);
        findings = List.copyOf(findings);
        problems = List.copyOf(problems);
        sources = List.copyOf(sources);
        hiddenInterfaces = hiddenInterfaces == null ? List.of() : List.copyOf(hiddenInterfaces);
        rulesets = rulesets == null ? List.of() : List.copyOf(rulesets);
    }

    /** Without the parsed rulesets (then the fix script cannot name the board's rules or backend). */
    public FirewallFacts(String backend, List<Exposure> exposures, List<Finding> findings, List<ParseProblem> problems,
                         List<String> sources, List<HiddenInterface> hiddenInterfaces) {
        this(backend, exposures, findings, problems, sources, hiddenInterfaces, List.of());
    }

    public FirewallFacts(String backend, List<Exposure> exposures, List<Finding> findings, List<ParseProblem> problems,
                         List<String> sources) {
        this(backend, exposures, findings, problems, sources, List.of(), List.of());
    }

    public Optional<ExposureRange> at(AddressFamily family, Protocol protocol, int port) {
        return exposures.stream().filter(e -> e.family() == family && e.protocol() == protocol).findFirst().map(e -> e.at(port));
    }

    public boolean covers(AddressFamily family) {
        return exposures.stream().anyMatch(e -> e.family() == family);
    }
}
