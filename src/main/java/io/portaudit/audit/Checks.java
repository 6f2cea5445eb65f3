package io.portaudit.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import io.portaudit.model.L10n;

/**
 * Which finding ids this audit could not check because the view or probe they read did not run.
 * A check that never ran is reported as not checked (JUnit {@code <skipped/>}, a SARIF notification,
 * "not checked: …" in text), never as passed. Every id of {@link FindingCatalog} is covered here.
 */
public final class Checks {
    private Checks() {}

    /** What each finding id needs, as said to the user after "not checked: needs ". */
    static String fw() {
        return L10n.t("checks.firewall");
    }

    static String ls() {
        return L10n.t("checks.listeners");
    }

    /** Finding id → why it was not checked, in catalogue order; ids that ran (or found something) are absent. */
    public static Map<String, String> notRun(AuditResult r) {
        boolean fw = r.firewall() != null;
        boolean ls = r.viewsPresent().contains("listeners");
        boolean scan = r.scan() != null;
        // a local audit's loopback probe runs the same -sV identification against this machine's own listeners
        boolean sv = scan && r.scan().serviceDetection() || r.notes().stream().anyMatch(n -> L10n.render(n, L10n.Lang.EN).startsWith(LoopbackProbe.NOTE));
        boolean policy = r.policy() != null && (r.policy().product() != null || !r.policy().allow().isEmpty());
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : FindingCatalog.IDS.keySet()) {
            String need = switch (id) {
                case "exposed-service", "insecure-protocol" -> ls || scan ? null : L10n.t("checks.or.scan", ls());
                case "weak-tls", "weak-ssh-crypto" -> sv ? null : L10n.t("checks.sv");
                case "blocked-listener", "wildcard-bind" -> fw && ls ? null : !fw && !ls ? L10n.t("checks.and", fw(), ls())
                        : !fw ? fw() : ls();
                case "scan-disagrees" -> !scan ? L10n.t("checks.scan")
                        : fw || ls ? null : L10n.t("checks.compare", fw(), ls());
                case "policy-violation" -> policy ? null : L10n.t("checks.policy");
                case "unparsed-input" -> null;
                // open-without-listener, ipv6-unfiltered and the ruleset analyses read the rules
                default -> fw ? null : fw();
            };
            boolean found = r.outcome().findings().stream().anyMatch(g -> g.has(id));
            if (need != null && !found) out.put(id, L10n.t("checks.needs", need));
        }
        return out;
    }
}
