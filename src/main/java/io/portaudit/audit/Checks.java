package io.portaudit.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which finding ids this audit could not check because the view or probe they read did not run.
 * A check that never ran is reported as not checked (JUnit {@code <skipped/>}, a SARIF notification,
 * "not checked: …" in text), never as passed. Every id of {@link FindingCatalog} is covered here.
 */
public final class Checks {
    private Checks() {}

    /** What each finding id needs, as said to the user after "not checked: needs ". */
    static final String FIREWALL = "the firewall rules (iptables -L/-S/-save, ip6tables, nft)";
    static final String LISTENERS = "the listening sockets (netstat, ss or /proc/net)";
    static final String SV = "-sV: this audit's own scan (--scan, --ssh) or a portaudit scan -sV output "
            + "(nmap's output does not carry the TLS/SSH algorithm checks)";

    /** Finding id → why it was not checked, in catalogue order; ids that ran (or found something) are absent. */
    public static Map<String, String> notRun(AuditResult r) {
        boolean fw = r.firewall() != null;
        boolean ls = r.viewsPresent().contains("listeners");
        boolean scan = r.scan() != null;
        boolean sv = scan && r.scan().serviceDetection();
        boolean policy = r.policy() != null && (r.policy().product() != null || !r.policy().allow().isEmpty());
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : FindingCatalog.IDS.keySet()) {
            String need = switch (id) {
                case "exposed-service", "insecure-protocol" -> ls || scan ? null : LISTENERS + " or a scan";
                case "weak-tls", "weak-ssh-crypto" -> sv ? null : SV;
                case "blocked-listener", "wildcard-bind" -> fw && ls ? null : !fw && !ls ? FIREWALL + " and " + LISTENERS
                        : !fw ? FIREWALL : LISTENERS;
                case "scan-disagrees" -> !scan ? "a scan (--scan, --ssh, or a pasted nmap/portaudit scan output)"
                        : fw || ls ? null : FIREWALL + " or " + LISTENERS + " to compare the scan with";
                case "policy-violation" -> policy ? null : "a policy or profile that lists the allowed ports (--policy, --profile)";
                case "unparsed-input" -> null;
                // open-without-listener, ipv6-unfiltered and the ruleset analyses read the rules
                default -> fw ? null : FIREWALL;
            };
            boolean found = r.outcome().findings().stream().anyMatch(g -> g.has(id));
            if (need != null && !found) out.put(id, "not checked: needs " + need);
        }
        return out;
    }
}
