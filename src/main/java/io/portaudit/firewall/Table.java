package io.portaudit.firewall;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table of one family: iptables {@code filter}/{@code nat}/... or an nft table. */
public record Table(TableFamily family, String name, List<Chain> chains) {
    public Table {
        chains = List.copyOf(chains);
    }

    public Map<String, Chain> byName() {
        Map<String, Chain> m = new LinkedHashMap<>();
        for (Chain c : chains) m.putIfAbsent(c.name(), c);
        return m;
    }

    public Chain chain(String name) {
        for (Chain c : chains) if (c.name().equals(name)) return c;
        return null;
    }
}
