package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import io.portaudit.model.PortRange;
import io.portaudit.model.Protocol;
import io.portaudit.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One finding per port and problem (docs/FINDINGS.md, "How merging works"). The correlation finds each problem of a
 * port on its own — ftp on tcp/21 is an {@code exposed-service} and an {@code insecure-protocol}; x11 on {@code :::6000}
 * also an {@code ipv6-unfiltered} — and the gate decides each on its own (policy severities, exceptions, threshold).
 * Then the findings about one port (both families) become one, whose {@code reasons} are those findings; the ports the
 * firewall accepts with no listener become one finding per family whose reasons are the rules, each listing its ports.
 * The merged finding carries the id, title and detail of its main reason (the highest severity that counts, ties by
 * {@link #PRIORITY}), the highest severity of the reasons that count, the union of their evidence and fixes, and fails
 * when one of its reasons fails.
 */
public final class Merge {
    private Merge() {}

    /** Findings about one port: merged per (protocol, port), both families. */
    static final Set<String> PORT_IDS = Set.of("exposed-service", "insecure-protocol", "ipv6-unfiltered", "weak-tls", "weak-ssh-crypto",
            "scan-disagrees", "blocked-listener", "wildcard-bind", "policy-violation", "baseline-deviation");

    /** Accepted ports nobody listens on: one finding per family, a reason per rule. */
    static final String LATENT = "open-without-listener";

    /** Which reason's id a merged finding carries when severities tie: the first here. */
    static final List<String> PRIORITY = List.of("insecure-protocol", "ipv6-unfiltered", "policy-violation", "scan-disagrees",
            "weak-ssh-crypto", "weak-tls", "exposed-service", "baseline-deviation", "open-without-listener", "blocked-listener",
            "wildcard-bind");

    public static List<Gate.Gated> merge(List<Gate.Gated> in) {
        Map<String, List<Gate.Gated>> groups = new LinkedHashMap<>();
        int solo = 0;
        for (Gate.Gated g : in) {
            Finding f = g.finding();
            String key;
            if (PORT_IDS.contains(f.id()) && f.protocol() != null && f.ports() != null && f.ports().size() == 1) {
                key = "port " + f.protocol().label() + "/" + f.ports().from();
            } else if (f.id().equals(LATENT) && f.family() != null) {
                key = "latent " + f.family().label();
            } else {
                key = "solo " + solo++;
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(g);
        }
        List<Gate.Gated> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            List<Gate.Gated> gs = e.getValue();
            if (gs.size() == 1) out.add(gs.get(0));
            else out.add(e.getKey().startsWith("latent ") ? latent(gs) : merged(gs, gs.get(0).finding()));
        }
        out.sort(Comparator.comparing((Gate.Gated g) -> g.finding().severity()).reversed());
        return List.copyOf(out);
    }

    /** The reasons a merged finding's severity comes from: those that fail or are below the threshold, else all. */
    private static List<Gate.Gated> counting(List<Gate.Gated> gs) {
        List<Gate.Gated> c = gs.stream().filter(g -> g.status() == Gate.Status.FAILS || g.status() == Gate.Status.BELOW_THRESHOLD).toList();
        return c.isEmpty() ? gs : c;
    }

    private static Gate.Status status(List<Gate.Gated> gs) {
        for (Gate.Status s : new Gate.Status[] {Gate.Status.FAILS, Gate.Status.BELOW_THRESHOLD, Gate.Status.NOT_GATED}) {
            if (gs.stream().anyMatch(g -> g.status() == s)) return s;
        }
        return Gate.Status.ACCEPTED;
    }

    private static int priority(String id) {
        int i = PRIORITY.indexOf(id);
        return i < 0 ? PRIORITY.size() : i;
    }

    /** Reasons in order: highest severity first, then by {@link #PRIORITY}, then as found. */
    private static List<Gate.Gated> ordered(List<Gate.Gated> gs) {
        List<Gate.Gated> c = counting(gs);
        List<Gate.Gated> out = new ArrayList<>(gs);
        out.sort(Comparator.comparing((Gate.Gated g) -> !c.contains(g))
                .thenComparing(g -> g.finding().severity(), Comparator.reverseOrder())
                .thenComparingInt(g -> priority(g.finding().id())));
        return out;
    }

    private static Gate.Gated merged(List<Gate.Gated> gs, Finding shape) {
        List<Gate.Gated> reasons = ordered(gs);
        Finding main = reasons.get(0).finding();
        Severity sev = counting(gs).stream().map(g -> g.finding().severity()).max(Comparator.naturalOrder()).orElse(main.severity());
        AddressFamily fam = gs.stream().allMatch(g -> g.finding().family() == main.family()) ? main.family() : null;
        Finding f = new Finding(main.id(), sev, main.title(), main.protocol(), fam, main.ports(), main.detail(), evidence(reasons),
                remedies(reasons));
        return new Gate.Gated(f, status(gs), notes(reasons), reasons);
    }

    /** Accepted ports with no listener, one family: a reason per rule, the title naming every rule's ports. */
    private static Gate.Gated latent(List<Gate.Gated> gs) {
        List<Gate.Gated> reasons = ordered(gs);
        Finding first = reasons.get(0).finding();
        Severity sev = counting(gs).stream().map(g -> g.finding().severity()).max(Comparator.naturalOrder()).orElse(first.severity());
        Map<Protocol, List<String>> ports = new LinkedHashMap<>();
        for (Gate.Gated g : gs) {
            Finding r = g.finding();
            if (r.protocol() != null && r.ports() != null) ports.computeIfAbsent(r.protocol(), k -> new ArrayList<>()).add(r.ports().toString());
        }
        List<String> parts = new ArrayList<>();
        ports.forEach((p, list) -> parts.add(p.label() + " " + String.join(", ", list)));
        Protocol proto = ports.size() == 1 ? ports.keySet().iterator().next() : null;
        int from = gs.stream().filter(g -> g.finding().ports() != null).mapToInt(g -> g.finding().ports().from()).min().orElse(0);
        int to = gs.stream().filter(g -> g.finding().ports() != null).mapToInt(g -> g.finding().ports().to()).max().orElse(0);
        String fam = first.family() == AddressFamily.IPV6 ? "IPv6" : "IPv4";
        Finding f = new Finding(LATENT, sev, L10n.t("merge.latent.title", gs.size(), fam, String.join("; ", parts)), proto, first.family(),
                to == 0 ? null : new PortRange(from, to), L10n.t("merge.latent.detail", gs.size()), evidence(reasons), remedies(reasons));
        return new Gate.Gated(f, status(gs), notes(reasons), reasons);
    }

    private static List<Evidence> evidence(List<Gate.Gated> reasons) {
        Set<Evidence> ev = new LinkedHashSet<>();
        for (Gate.Gated g : reasons) ev.addAll(g.finding().evidence());
        return List.copyOf(ev);
    }

    private static final java.util.regex.Pattern DELETE = java.util.regex.Pattern.compile("^(ip6?tables(?: -t \\S+)? -D \\S+) (\\d+)\\b.*");

    /**
     * The reasons' fixes, once each. Rule deletions by number of one chain go last-first: deleting rule 8 first would
     * renumber rule 11 to 10, and {@code iptables -D INPUT 11} would delete the wrong rule.
     */
    static List<String> remedies(List<Gate.Gated> reasons) {
        List<String> fix = new ArrayList<>(new LinkedHashSet<>(reasons.stream().flatMap(g -> g.finding().remedy().stream()).toList()));
        List<Integer> at = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (int i = 0; i < fix.size(); i++) {
            if (DELETE.matcher(fix.get(i)).matches()) {
                at.add(i);
                deletes.add(fix.get(i));
            }
        }
        deletes.sort(Comparator.comparing((String d) -> { var m = DELETE.matcher(d); m.matches(); return m.group(1); })
                .thenComparing((String d) -> { var m = DELETE.matcher(d); m.matches(); return -Integer.parseInt(m.group(2)); }));
        for (int i = 0; i < at.size(); i++) fix.set(at.get(i), deletes.get(i));
        return List.copyOf(fix);
    }

    private static String notes(List<Gate.Gated> reasons) {
        List<String> notes = new ArrayList<>();
        for (Gate.Gated g : reasons) if (g.note() != null) notes.add(g.finding().id() + ": " + g.note());
        return notes.isEmpty() ? null : String.join("; ", notes);
    }
}
