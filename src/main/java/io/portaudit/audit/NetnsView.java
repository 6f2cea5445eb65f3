package io.portaudit.audit;

import io.portaudit.model.AddressText;
import io.portaudit.model.Listener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The listeners of a network namespace other than the device's own (a container's), with the addresses
 * that namespace holds: what a port DNATed to one of those addresses reaches (issue 14 item 2).
 *
 * @param netns     the namespace's name: {@code net:[4026532281]} from /proc, or {@code 10.77.76.2} for a listing
 *                  pasted as {@code KIND@ADDRESS:FILE}
 * @param addresses the addresses it holds, canonical ({@link #canonical}); empty when none is known
 * @param listeners its listeners (a collected view: an empty list means nothing listens)
 * @param source    where the addresses were read (a /proc/PID/net/fib_trie, the --input argument)
 */
public record NetnsView(String netns, Set<String> addresses, List<Listener> listeners, String source) {
    public NetnsView {
        addresses = Set.copyOf(new TreeSet<>(addresses));
        listeners = List.copyOf(listeners);
    }

    /** Whether this namespace holds {@code address} (any textual form of it). */
    public boolean holds(String address) {
        return canonical(address).map(addresses::contains).orElse(false);
    }

    /** The namespace among {@code views} that holds {@code address}; empty when none (or several: ambiguous). */
    public static Optional<NetnsView> holding(List<NetnsView> views, String address) {
        if (views == null || address == null) return Optional.empty();
        List<NetnsView> found = views.stream().filter(v -> v.holds(address)).toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /**
     * An address literal in canonical text ({@code 10.77.76.2}, {@code fd77:81::2}); empty when it is not a
     * literal. Only literal forms reach InetAddress, so no name is ever looked up.
     */
    public static Optional<String> canonical(String address) {
        if (address == null) return Optional.empty();
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int pct = a.indexOf('%');
        if (pct >= 0) a = a.substring(0, pct);
        boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = a.contains(":") && a.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) return Optional.empty();
        try {
            InetAddress ia = InetAddress.getByName(a);
            return Optional.of(AddressText.format(ia));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
