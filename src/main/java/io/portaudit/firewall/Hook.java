package io.portaudit.firewall;

import java.util.Locale;

/** Where a base chain is attached in the kernel's packet path. */
public enum Hook {
    PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING, INGRESS, OTHER;

    public static Hook parse(String s) {
        if (s == null) return OTHER;
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "prerouting" -> PREROUTING;
            case "input" -> INPUT;
            case "forward" -> FORWARD;
            case "output" -> OUTPUT;
            case "postrouting" -> POSTROUTING;
            case "ingress" -> INGRESS;
            default -> OTHER;
        };
    }

    /** iptables' built-in chains are named after their hook. */
    public static Hook ofBuiltin(String chain) {
        return switch (chain) {
            case "PREROUTING" -> PREROUTING;
            case "INPUT" -> INPUT;
            case "FORWARD" -> FORWARD;
            case "OUTPUT" -> OUTPUT;
            case "POSTROUTING" -> POSTROUTING;
            default -> null;
        };
    }
}
