package io.portaudit.model;

/** Where a listening socket can be reached from, as a person needs to know it. */
public enum BindScope {
    /** 0.0.0.0, or :: v6-only: every address of its family. */
    ALL("all"),
    /** :: with IPV6_V6ONLY=0: every IPv6 and every IPv4 address. */
    ALL_PLUS_IPV4("all+ipv4"),
    /** 127.0.0.0/8 or ::1: not reachable from outside the device. */
    LOOPBACK("loopback"),
    /** One address held by one interface. */
    SPECIFIC("specific"),
    /** fe80::/10 with a scope id: reachable on one link only. */
    LINK_LOCAL("link-local");

    private final String label;

    BindScope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean reachableFromNetwork() {
        return this != LOOPBACK;
    }
}
