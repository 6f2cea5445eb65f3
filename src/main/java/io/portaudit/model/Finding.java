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

    /** Findings of one id listed one by one; the rest of that id become one summary finding. */
    public static final int MAX_PER_ID = 1000;

    /**
     * At most {@code max} findings per id, in their order; the others of an id become one finding
     * with the same id, the highest of their severities, the span of their ports, their count, and the
     * first of their titles and evidence. A 200,000-rule ruleset can hold 100,000 shadowed rules: listed
     * one by one they made reports of hundreds of megabytes and gigabytes of memory, and no reader
     * needs the 100,000th. Nothing is dropped silently: the summary says how many and which.
     */
    public static List<Finding> capped(List<Finding> in, int max) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        java.util.Map<String, java.util.List<Finding>> rest = new java.util.LinkedHashMap<>();
        java.util.List<Finding> out = new java.util.ArrayList<>();
        for (Finding f : in) {
            if (seen.merge(f.id(), 1, Integer::sum) <= max) out.add(f);
            else rest.computeIfAbsent(f.id(), k -> new java.util.ArrayList<>()).add(f);
        }
        if (rest.isEmpty()) return in;
        for (var e : rest.entrySet()) {
            java.util.List<Finding> r = e.getValue();
            Severity sev = Severity.INFO;
            Protocol proto = r.get(0).protocol();
            AddressFamily fam = r.get(0).family();
            int from = Integer.MAX_VALUE, to = 0;
            java.util.List<Evidence> ev = new java.util.ArrayList<>();
            StringBuilder titles = new StringBuilder();
            java.util.Set<String> fixes = new java.util.LinkedHashSet<>();
            for (int i = 0; i < r.size(); i++) {
                Finding f = r.get(i);
                if (f.severity().compareTo(sev) > 0) sev = f.severity();
                if (f.protocol() != proto) proto = null;
                if (f.family() != fam) fam = null;
                if (f.ports() != null) {
                    from = Math.min(from, f.ports().from());
                    to = Math.max(to, f.ports().to());
                }
                if (i < 10 && !f.evidence().isEmpty()) ev.add(f.evidence().get(0));
                if (i < 20) titles.append(i == 0 ? "" : "; ").append(f.title());
                if (i < 5 && !f.remedy().isEmpty()) fixes.add(f.remedy().get(0));
            }
            out.add(new Finding(e.getKey(), sev, L10n.t("cap.title", r.size(), e.getKey(), max), proto, fam, to == 0 ? null : new PortRange(from, to),
                    L10n.t("cap.detail", max, r.size(), titles + (r.size() > 20 ? "; …" : "")),
                    ev, java.util.List.copyOf(fixes)));
        }
        return out;
    }
}
