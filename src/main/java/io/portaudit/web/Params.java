package io.portaudit.web;

import io.portaudit.model.Protocol;
import java.util.Set;

/** Bounded, checked request parameters: a malformed one is a 400 with a message naming it. */
public final class Params {
    static final int MAX_TEXT = 200;

    private Params() {}

    /** A numeric id of at most 18 digits. */
    static long id(String name, String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            throw BadRequest.of(name + " must be a number (1 to 18 digits), not '" + shorten(value) + "'");
        }
        return Long.parseLong(value);
    }

    /** Optional free text, at most {@link #MAX_TEXT} characters; blank is absent. */
    static String text(String name, String value) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > MAX_TEXT) throw BadRequest.of(name + " is longer than " + MAX_TEXT + " characters");
        return value.strip();
    }

    static String oneOf(String name, String value, Set<String> allowed) {
        String v = text(name, value);
        if (v != null && !allowed.contains(v)) {
            throw BadRequest.of(name + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ", not '" + shorten(v) + "'");
        }
        return v;
    }

    static int number(String name, String value, int min, int max, int dflt) {
        String v = text(name, value);
        if (v == null) return dflt;
        if (!v.matches("[0-9]{1,9}") || Integer.parseInt(v) < min || Integer.parseInt(v) > max) {
            throw BadRequest.of(name + " must be a number from " + min + " to " + max + ", not '" + shorten(v) + "'");
        }
        return Integer.parseInt(v);
    }

    /** A port as {@code tcp/23} (or its two path parts). */
    public record Port(Protocol protocol, int port) {
        public String label() {
            return protocol.label() + "/" + port;
        }
    }

    static Port port(String name, String value) {
        String v = text(name, value);
        if (v == null) return null;
        String[] f = v.split("/", -1);
        return port(name, f.length == 2 ? f[0] : "", f.length == 2 ? f[1] : v, v);
    }

    static Port port(String name, String protocol, String number, String shown) {
        Protocol p = protocol == null ? null : switch (protocol) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> null;
        };
        if (p == null || number == null || !number.matches("[0-9]{1,5}") || Integer.parseInt(number) < 1 || Integer.parseInt(number) > 65535) {
            throw BadRequest.of(name + " must be tcp/N or udp/N with N in 1-65535, not '" + shorten(shown) + "'");
        }
        return new Port(p, Integer.parseInt(number));
    }

    static String shorten(String s) {
        if (s == null) return "";
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return io.portaudit.model.Text.printable(t, 60);
    }
}
