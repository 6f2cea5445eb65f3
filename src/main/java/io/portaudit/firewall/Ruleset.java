package io.portaudit.firewall;

import java.util.List;

/**
 * What one input said about a firewall: its tables, in one model for every format.
 *
 * @param format           the format it was read as ({@link FirewallFormat} kinds)
 * @param source           file or command it came from
 * @param backend          {@code iptables-nft}, {@code iptables-legacy}, {@code nft}, or {@code iptables} when unknown
 * @param warnings         warnings the tool itself printed ({@code # Warning: iptables-legacy tables present})
 * @param interfacesHidden true for {@code iptables -L} without {@code -v}: interface and some other matches are not shown
 */
public record Ruleset(String format, String source, String backend, List<Table> tables, List<String> warnings,
                      boolean interfacesHidden) {
    public Ruleset {
        tables = List.copyOf(tables);
        warnings = List.copyOf(warnings);
    }

    public boolean covers(io.portaudit.model.AddressFamily f) {
        return tables.stream().anyMatch(t -> t.family().covers(f));
    }
}
