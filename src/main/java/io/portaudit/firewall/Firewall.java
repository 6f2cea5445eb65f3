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
            if (c.stdout() == null || c.stdout().isBlank()) continue;
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
    public static FirewallView evaluate(List<Ruleset> rulesets, Problems problems, List<String> extraWarnings) {
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
        List<Finding> findings = Analyses.all(rulesets, exposures, families, extraWarnings);
        return new FirewallView(exposures, families, rulesets, problems.list(), findings, backend);
    }
}
