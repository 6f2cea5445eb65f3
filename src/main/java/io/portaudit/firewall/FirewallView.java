package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.Finding;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The firewall view of one device: what a remote host's NEW packets meet, per family and protocol.
 *
 * @param exposures one per (family with a ruleset) × (tcp, udp)
 * @param families  the address families some ruleset covers; a family missing here was not seen at all
 * @param backend   {@code iptables-nft}, {@code iptables-legacy}, {@code nft}, {@code iptables} (unknown which), or a
 *                  comma list when inputs differ; {@code none} when nothing was read
 */
public record FirewallView(List<Exposure> exposures, Set<AddressFamily> families, List<Ruleset> rulesets, List<ParseProblem> problems,
                           List<Finding> findings, String backend) {
    public FirewallView {
        exposures = List.copyOf(exposures);
        families = Set.copyOf(families);
        rulesets = List.copyOf(rulesets);
        problems = List.copyOf(problems);
        findings = List.copyOf(findings);
    }

    public Optional<Exposure> exposure(AddressFamily f, Protocol p) {
        return exposures.stream().filter(e -> e.family() == f && e.protocol() == p).findFirst();
    }

    /** What a remote NEW packet to this port meets; empty when no ruleset covers the family. */
    public Optional<io.portaudit.model.ExposureRange> at(AddressFamily f, Protocol p, int port) {
        return exposure(f, p).map(e -> e.at(port));
    }

    /** Rules whose interface a listing hid (read as -i lo), with their literal reading's exposures. */
    public List<HiddenInterface> hiddenInterfaces() {
        return Analyses.hiddenInterfaces(rulesets);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(p -> p.severity() == ParseProblem.Severity.ERROR);
    }
}
