package io.portaudit.model;

import java.util.Locale;

/** A transport protocol whose ports portaudit audits. */
public enum Protocol {
    TCP, UDP;

    /** Lower-case name as iptables, nft, netstat and nmap print it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code tcp}/{@code udp} in any case; {@code null} for anything else. */
    public static Protocol parse(String text) {
        if (text == null) return null;
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tcp", "6" -> TCP;
            case "udp", "17" -> UDP;
            default -> null;
        };
    }
}
