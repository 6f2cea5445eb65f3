package io.portaudit.model;

/** What a firewall does with a NEW packet to a port. */
public enum Verdict {
    /** Delivered to the socket layer: a listener answers, otherwise the kernel refuses (RST/ICMP). */
    ACCEPT,
    /** Silently discarded: a scanner sees {@code filtered}. */
    DROP,
    /** Refused by a rule with an ICMP error or a TCP reset: a TCP connect scan sees {@code closed}. */
    REJECT,
    /** A rule portaudit does not fully understand was involved; treated as possibly open. */
    UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Conservatively: may a remote host's packet reach the socket layer? */
    public boolean mayReach() {
        return this == ACCEPT || this == UNKNOWN;
    }
}
