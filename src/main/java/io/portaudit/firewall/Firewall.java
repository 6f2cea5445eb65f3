package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Exposure;
import io.portaudit.model.Finding;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The firewall stage's entry points: texts in, a {@link FirewallView} out. Never does I/O. */
public final class Firewall {
    private Firewall() {}

    /** Reads every firewall capture of a snapshot (kinds in {@link FirewallFormat#KINDS}). */
    public static FirewallView analyze(DeviceSnapshot snap, ServiceNames names) {
        List<LabeledText> in = new ArrayList<>();
        for (Capture c : snap.captures()) {
            if (!FirewallFormat.KINDS.contains(c.kind())) continue;
            // a blank text is a statement only when the tool ran and succeeded: "no tables of this kind"
            if (c.stdout() == null || (c.stdout().isBlank() && !Integer.valueOf(0).equals(c.exitStatus()))) continue;
            in.add(new LabeledText(c.kind(), c.command() == null ? c.kind() : c.command(), c.stdout(), c.stderr()));
        }
        return analyze(in, names);
    }

    /** Reads the given texts (kind null = detect) and evaluates them together as one device's firewall. */
    public static FirewallView analyze(List<LabeledText> inputs, ServiceNames names) {
        Problems problems = new Problems();
        List<Ruleset> rulesets = new ArrayList<>();
        List<String> stderrWarnings = new ArrayList<>();
        for (LabeledText t : inputs) {
            rulesets.add(FirewallFormat.parse(t.kind(), t.source(), t.text(), names, problems));
            if (t.stderr() != null) {
                for (String l : t.stderr().split("\r?\n")) if (l.contains("Warning") || l.contains("legacy")) stderrWarnings.add(l.strip());
            }
        }
        return evaluate(rulesets, problems, stderrWarnings);
    }

    /** Evaluates already parsed rulesets. */
    public static FirewallView evaluate(List<Ruleset> given, Problems problems, List<String> extraWarnings) {
        List<Ruleset> rulesets = withoutDuplicates(given, extraWarnings);
        Set<AddressFamily> families = EnumSet.noneOf(AddressFamily.class);
        for (Ruleset rs : rulesets) for (AddressFamily f : AddressFamily.values()) if (rs.covers(f)) families.add(f);
        List<Exposure> exposures = new ArrayList<>();
        for (AddressFamily f : AddressFamily.values()) {
            if (!families.contains(f)) continue;
            for (Protocol p : Protocol.values()) exposures.add(Evaluator.exposure(rulesets, Packet.remote(f, p)));
        }
        Set<String> backends = new LinkedHashSet<>();
        for (Ruleset rs : rulesets) if (!rs.tables().isEmpty()) backends.add(rs.backend());
        String backend = backends.isEmpty() ? "none" : String.join(",", backends);
        List<Finding> findings = Finding.capped(Analyses.all(rulesets, exposures, families, extraWarnings), Finding.MAX_PER_ID);
        return new FirewallView(exposures, families, rulesets, problems.list(), findings, backend);
    }

    /**
     * {@code nft list ruleset} also shows the tables iptables-nft manages ("# Warning: table ip filter
     * is managed by iptables-nft"). When iptables-save of the same family was given too, those nft
     * tables are the same rules twice: keep the iptables form (rule numbers match the user's tools).
     */
    static List<Ruleset> withoutDuplicates(List<Ruleset> in, List<String> extraWarnings) {
        java.util.Map<String, Set<String>> fromIptables = new java.util.HashMap<>();
        for (Ruleset rs : in) {
            if (rs.format().startsWith("nft")) continue;
            for (Table t : rs.tables()) {
                fromIptables.computeIfAbsent(t.family().label() + " " + t.name(), k -> new java.util.HashSet<>())
                        .addAll(t.byName().keySet());
            }
        }
        if (fromIptables.isEmpty()) return in;
        List<Ruleset> out = new ArrayList<>();
        java.util.regex.Pattern managedBy = java.util.regex.Pattern.compile("table (\\S+) (\\S+) is managed by iptables-nft");
        for (Ruleset rs : in) {
            if (!rs.format().startsWith("nft")) {
                out.add(rs);
                continue;
            }
            Set<String> managed = new java.util.HashSet<>();
            for (String w : concat(rs.warnings(), extraWarnings)) {
                java.util.regex.Matcher m = managedBy.matcher(w);
                if (m.find()) managed.add(m.group(1) + " " + m.group(2));
            }
            List<Table> keep = rs.tables().stream().filter(t -> {
                String key = t.family().label() + " " + t.name();
                Set<String> chains = fromIptables.get(key);
                if (chains == null) return true;
                // the same table seen through iptables: said so by nft, or recognisable by its chain names
                return !(managed.contains(key) || chains.containsAll(t.byName().keySet()));
            }).toList();
            out.add(keep.size() == rs.tables().size() ? rs
                    : new Ruleset(rs.format(), rs.source(), rs.backend(), keep, rs.warnings(), rs.interfacesHidden()));
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        if (b != null) l.addAll(b);
        return l;
    }
}
