package io.portaudit.audit;

import io.portaudit.firewall.Firewall;
import io.portaudit.firewall.FirewallView;
import io.portaudit.firewall.LabeledText;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.ServiceNames;
import java.util.List;

/** Turns the firewall view into the audit's {@link FirewallFacts}; null when no ruleset was read at all. */
final class FirewallAdapter {
    private FirewallAdapter() {}

    static FirewallFacts fromTexts(List<Capture> texts, ServiceNames names) {
        List<LabeledText> in = texts.stream().map(c -> new LabeledText(c.kind(), c.command(), c.stdout(), c.stderr())).toList();
        return facts(Firewall.analyze(in, names), texts);
    }

    /** Rulesets already parsed (one per input file), evaluated together as one device's firewall. */
    static FirewallFacts fromRulesets(List<io.portaudit.firewall.Ruleset> rulesets, io.portaudit.model.Problems problems,
                                      List<Capture> texts) {
        return facts(Firewall.evaluate(rulesets, problems, new java.util.ArrayList<>()), texts);
    }

    static FirewallFacts fromSnapshot(DeviceSnapshot snap, ServiceNames names) {
        return facts(Firewall.analyze(snap, names), snap.captures());
    }

    private static FirewallFacts facts(FirewallView view, List<Capture> captures) {
        if (view.families().isEmpty() && view.problems().isEmpty()) return null;
        List<String> sources = captures.stream().filter(c -> c.kind().startsWith("iptables") || c.kind().startsWith("ip6tables")
                || c.kind().startsWith("nft")).map(Capture::command).distinct().toList();
        return new FirewallFacts(view.backend(), view.exposures(), view.findings(), view.problems(), sources, view.hiddenInterfaces(),
                view.rulesets());
    }
}
