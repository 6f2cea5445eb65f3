package io.portaudit.scan;

import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A finished host: status, timing, and its port table. Ports are kept compactly (one byte per
 * closed/filtered port), so even {@code -p-} costs 64 KiB per host; {@link #ports()} materialises
 * them in port order when an output needs them.
 */
public record HostReport(String address, boolean up, String reason, long srttUs, long startMillis, long endMillis,
                         boolean timedOut, PortTable table) {

    /** Count per state over both protocols. */
    public Map<PortState, Integer> counts() {
        Map<PortState, Integer> m = new EnumMap<>(PortState.class);
        for (Protocol p : Protocol.values()) table.counts(p).forEach((s, n) -> m.merge(s, n, Integer::sum));
        return m;
    }

    /** Count per (state, reason) over both protocols. */
    public Map<PortState, Map<String, Integer>> reasonCounts() {
        return table.reasonCounts();
    }

    /** Every scanned port, TCP then UDP, in port order. */
    public List<PortResult> ports() {
        return table.results(Set.of());
    }

    /**
     * States an nmap-like listing hides as "Not shown": any state except open with more than
     * {@code maxPerState} ports (nmap: 25 at verbosity 0), or with {@code openOnly} everything but open.
     */
    public Set<PortState> collapsed(int maxPerState, boolean openOnly) {
        Set<PortState> hidden = java.util.EnumSet.noneOf(PortState.class);
        counts().forEach((s, n) -> {
            if (s == PortState.OPEN) return;
            if (openOnly || n > maxPerState) hidden.add(s);
        });
        return hidden;
    }

    /** The ports shown when {@code hidden} states are collapsed. */
    public List<PortResult> shown(Set<PortState> hidden) {
        return table.results(hidden);
    }

    public int scanned() {
        int n = 0;
        for (int c : counts().values()) n += c;
        return n;
    }

    public static List<PortResult> filter(List<PortResult> all, Set<PortState> hidden) {
        List<PortResult> out = new ArrayList<>();
        for (PortResult r : all) if (!hidden.contains(r.state())) out.add(r);
        return out;
    }
}
