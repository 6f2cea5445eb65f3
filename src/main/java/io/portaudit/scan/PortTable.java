package io.portaudit.scan;

import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One host's decided ports. Plain results (state + reason + table service name) cost one byte;
 * results with more (detected service, banner) are kept whole.
 */
public final class PortTable {
    private final String address;
    private final ServiceNames names;
    private final Map<Protocol, byte[]> codes = new EnumMap<>(Protocol.class);
    private final Map<Protocol, TreeMap<Integer, PortResult>> detailed = new EnumMap<>(Protocol.class);

    public PortTable(String address, ServiceNames names) {
        this.address = address;
        this.names = names;
    }

    public void put(PortResult r) {
        byte[] c = codes.computeIfAbsent(r.protocol(), p -> new byte[65536]);
        c[r.port()] = (byte) (1 + r.state().ordinal() * 16 + Reasons.code(r.reason()));
        boolean plain = r.product() == null && r.version() == null && r.banner() == null
                && (r.service() == null || r.service().equals(names.name(r.port(), r.protocol()).orElse(null)));
        if (!plain) detailed.computeIfAbsent(r.protocol(), p -> new TreeMap<>()).put(r.port(), r);
        else {
            var d = detailed.get(r.protocol());
            if (d != null) d.remove(r.port());
        }
    }

    /**
     * Records a port with no service details (what the port scan decides): the fast path of
     * {@link #put}, without building a {@link PortResult}.
     */
    public void putPlain(Protocol protocol, int port, PortState state, String reason) {
        byte[] c = codes.get(protocol);
        if (c == null) codes.put(protocol, c = new byte[65536]);
        c[port] = (byte) (1 + state.ordinal() * 16 + Reasons.code(reason));
        var d = detailed.get(protocol);
        if (d != null) d.remove(port);
    }

    public PortResult get(Protocol p, int port) {
        byte[] c = codes.get(p);
        if (c == null || c[port] == 0) return null;
        var d = detailed.get(p);
        if (d != null && d.containsKey(port)) return d.get(port);
        int code = (c[port] & 0xff) - 1;
        return new PortResult(address, p, port, PortState.values()[code / 16], Reasons.of(code % 16),
                names.name(port, p).orElse(null), null, null, null);
    }

    public Map<PortState, Integer> counts(Protocol p) {
        Map<PortState, Integer> m = new EnumMap<>(PortState.class);
        byte[] c = codes.get(p);
        if (c == null) return m;
        for (int i = 1; i < c.length; i++) if (c[i] != 0) m.merge(PortState.values()[((c[i] & 0xff) - 1) / 16], 1, Integer::sum);
        return m;
    }

    public Map<PortState, Map<String, Integer>> reasonCounts() {
        Map<PortState, Map<String, Integer>> m = new EnumMap<>(PortState.class);
        for (byte[] c : codes.values()) {
            for (int i = 1; i < c.length; i++) {
                if (c[i] == 0) continue;
                int code = (c[i] & 0xff) - 1;
                m.computeIfAbsent(PortState.values()[code / 16], k -> new HashMap<>()).merge(Reasons.of(code % 16), 1, Integer::sum);
            }
        }
        return m;
    }

    /** Results not in a hidden state, TCP then UDP, in port order. */
    public List<PortResult> results(Set<PortState> hidden) {
        List<PortResult> out = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            byte[] c = codes.get(p);
            if (c == null) continue;
            for (int i = 1; i < c.length; i++) {
                if (c[i] == 0) continue;
                PortState s = PortState.values()[((c[i] & 0xff) - 1) / 16];
                if (!hidden.contains(s)) out.add(get(p, i));
            }
        }
        return out;
    }
}
