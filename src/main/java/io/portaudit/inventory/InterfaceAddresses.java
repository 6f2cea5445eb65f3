package io.portaudit.inventory;

import io.portaudit.model.L10n;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Text;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which interface holds which local address, from {@code ip -j addr}, {@code /proc/net/if_inet6}
 * or {@code /proc/net/fib_trie} (which knows the addresses but not the interface names).
 */
public final class InterfaceAddresses {
    /** Held by the device, interface name unknown (fib_trie). */
    public static final String UNKNOWN_IFACE = "?";
    private final Map<String, List<String>> byAddress;

    private InterfaceAddresses(Map<String, List<String>> byAddress) {
        this.byAddress = byAddress;
    }

    public static InterfaceAddresses empty() {
        return new InterfaceAddresses(Map.of());
    }

    public boolean isEmpty() {
        return byAddress.isEmpty();
    }

    /** The interfaces holding an address (canonical text as {@link Addresses#text}); empty when none known. */
    public List<String> interfaces(String address) {
        return byAddress.getOrDefault(address, List.of());
    }

    /** Every address known to be held (canonical text). */
    public java.util.Set<String> addresses() {
        return java.util.Collections.unmodifiableSet(byAddress.keySet());
    }

    public InterfaceAddresses merge(InterfaceAddresses other) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        byAddress.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
        other.byAddress.forEach((k, v) -> {
            List<String> l = m.computeIfAbsent(k, x -> new ArrayList<>());
            for (String i : v) {
                if (i.equals(UNKNOWN_IFACE) && !l.isEmpty()) continue;
                l.remove(UNKNOWN_IFACE);
                if (!l.contains(i)) l.add(i);
            }
        });
        return new InterfaceAddresses(freeze(m));
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    private static void put(Map<String, List<String>> m, String addr, String iface) {
        Optional<InetAddress> a = AddressLiterals.literal(addr);
        if (a.isEmpty()) return;
        List<String> l = m.computeIfAbsent(AddressLiterals.text(a.get()), k -> new ArrayList<>());
        if (!l.contains(iface)) l.add(iface);
    }

    /** {@code /proc/net/if_inet6}: {@code 32-hex-address ifindex prefixlen scope flags name}. */
    public static InterfaceAddresses fromIfInet6(String source, String text, Problems problems) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) continue;
            if (f.length < 6 || f[0].length() != 32) {
                problems.add(ParseProblem.warning(source, i + 1, 1, lines[i], L10n.t("pp.if.inet6")));
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 32; k += 4) sb.append(k == 0 ? "" : ":").append(f[0], k, k + 4);
            put(m, sb.toString(), f[5]);
        }
        return new InterfaceAddresses(freeze(m));
    }

    /** {@code ip -j addr}: a JSON array of links with {@code addr_info[].local}. */
    public static InterfaceAddresses fromIpJson(String source, String text, Problems problems) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            for (JsonNode link : root) {
                String name = link.path("ifname").asText(null);
                for (JsonNode ai : link.path("addr_info")) {
                    String local = ai.path("local").asText(null);
                    if (name != null && local != null) put(m, local, name);
                }
            }
        } catch (Exception e) {
            problems.add(ParseProblem.warning(source, 0, 0, null, L10n.t("pp.if.ipaddr", e.getMessage())));
        }
        return new InterfaceAddresses(freeze(m));
    }

    /** {@code ip addr} text: {@code 2: eth0: <...>} then {@code inet 10.0.0.2/24 ...} lines. */
    public static InterfaceAddresses fromIpText(String source, String text, Problems problems) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        String iface = null;
        for (String line : Text.lines(text)) {
            if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                String[] f = line.split(":\\s*", 3);
                if (f.length >= 2) {
                    iface = f[1].trim();
                    int at = iface.indexOf('@');
                    if (at > 0) iface = iface.substring(0, at);
                }
            } else if (iface != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && (f[0].equals("inet") || f[0].equals("inet6"))) {
                    String a = f[1];
                    int slash = a.indexOf('/');
                    put(m, slash < 0 ? a : a.substring(0, slash), iface);
                }
            }
        }
        return new InterfaceAddresses(freeze(m));
    }

    /** {@code /proc/net/fib_trie}: local IPv4 addresses ({@code /32 host LOCAL}); interface names unknown. */
    public static InterfaceAddresses fromFibTrie(String source, String text, Problems problems) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        String last = null;
        for (String line : Text.lines(text)) {
            String t = line.trim();
            if (t.startsWith("|-- ") || t.startsWith("+-- ")) last = t.substring(4).split("\\s+")[0];
            else if (t.equals("/32 host LOCAL") && last != null) put(m, last, UNKNOWN_IFACE);
        }
        return new InterfaceAddresses(freeze(m));
    }

    /**
     * IPv4 local addresses from {@code fib_trie}, each given the interface of the
     * {@code /proc/net/route} entry (a directly connected prefix) that contains it.
     */
    public static InterfaceAddresses fromFibTrieAndRoute(String fibTrie, String route, Problems problems) {
        InterfaceAddresses fib = fromFibTrie("fib_trie", fibTrie, problems);
        if (route == null) return fib;
        record R(long dest, long mask, String iface) {}
        List<R> routes = new ArrayList<>();
        for (String line : Text.lines(route)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) continue;
            try {
                long dest = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xffffffffL;
                long gw = Long.parseLong(f[2], 16);
                long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xffffffffL;
                if (gw == 0 && mask != 0 && !f[0].equals("*")) routes.add(new R(dest, mask, f[0]));
            } catch (NumberFormatException ignored) {
                // a header or a broken line: no route
            }
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String addr : fib.byAddress.keySet()) {
            Optional<InetAddress> a = AddressLiterals.literal(addr);
            String iface = UNKNOWN_IFACE;
            if (a.isPresent() && a.get().getAddress().length == 4) {
                byte[] b = a.get().getAddress();
                long v = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
                if ((v >>> 24) == 127) iface = "lo";
                long best = -1;
                for (R r : routes) {
                    if ((v & r.mask()) == r.dest() && Long.bitCount(r.mask()) > best) {
                        best = Long.bitCount(r.mask());
                        iface = r.iface();
                    }
                }
            }
            m.computeIfAbsent(addr, k -> new ArrayList<>()).add(iface);
        }
        return new InterfaceAddresses(freeze(m));
    }

    /** Sniffs which of the formats above the text is. */
    public static InterfaceAddresses parse(String source, String text, Problems problems) {
        String t = text.stripLeading();
        if (t.startsWith("[")) return fromIpJson(source, text, problems);
        if (t.contains("/32 host LOCAL") || t.startsWith("Main:") || t.startsWith("Local:")) return fromFibTrie(source, text, problems);
        if (t.matches("(?s)[0-9a-f]{32} .*")) return fromIfInet6(source, text, problems);
        return fromIpText(source, text, problems);
    }
}
