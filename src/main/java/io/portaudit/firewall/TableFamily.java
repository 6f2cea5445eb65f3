package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import java.util.Locale;

/** The address family of a table: iptables is {@code IP}, ip6tables {@code IP6}, nft adds {@code INET} (both). */
public enum TableFamily {
    IP, IP6, INET, OTHER;

    public boolean covers(AddressFamily f) {
        return switch (this) {
            case IP -> f == AddressFamily.IPV4;
            case IP6 -> f == AddressFamily.IPV6;
            case INET -> true;
            case OTHER -> false;
        };
    }

    public static TableFamily of(AddressFamily f) {
        return f == AddressFamily.IPV6 ? IP6 : IP;
    }

    public static TableFamily parse(String s) {
        return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
            case "ip" -> IP;
            case "ip6" -> IP6;
            case "inet" -> INET;
            default -> OTHER;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
