package io.portaudit.inventory;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.Listener;
import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settles each listener's reach within one network namespace: whether {@code ::} also takes IPv4
 * (dual-stack), which interface holds a specific address, and says why in the listener's note.
 *
 * <p>Dual-stack evidence, strongest first: what the source itself says ({@code ss -e}'s
 * {@code v6only:}, or ss printing {@code *} for a dual-stack {@code ::} and {@code [::]} for a
 * v6-only one); an IPv4 socket of the same protocol on the same port (Linux refuses to bind one
 * next to a dual-stack {@code ::}, unless both set SO_REUSEPORT); {@code net.ipv6.bindv6only}
 * (the default for sockets that do not set IPV6_V6ONLY themselves). Without any of these the
 * answer is unknown and the scope is taken as {@code all+ipv4}: possibly open, never guessed safe.
 */
public final class ScopeResolver {
    /**
     * The note of a {@code ::} socket nothing in the input settles: Linux's default. The audit's
     * evidence, docs/FINDINGS.md and --help say the same.
     */
    public static final String ASSUMED_DUAL_STACK = "assumed to take IPv4 too: Linux's default (bindv6only=0); no input shows it v6-only";

    private ScopeResolver() {}

    /**
     * @param listeners  the listeners of one namespace (already carrying any dualStack the source stated)
     * @param bindv6only {@code net.ipv6.bindv6only} of that namespace, or null when unknown
     * @param ifaces     the namespace's addresses, possibly empty
     */
    public static List<Listener> resolve(List<Listener> listeners, Boolean bindv6only, InterfaceAddresses ifaces) {
        Set<String> v4Ports = new HashSet<>();
        for (Listener l : listeners) {
            if (l.family() == AddressFamily.IPV4) v4Ports.add(l.protocol() + "/" + l.port());
        }
        List<Listener> out = new ArrayList<>(listeners.size());
        for (Listener l : listeners) out.add(resolveOne(l, bindv6only, ifaces, v4Ports));
        return out;
    }

    private static Listener resolveOne(Listener l, Boolean bindv6only, InterfaceAddresses ifaces, Set<String> v4Ports) {
        String note = l.note();
        BindScope scope = l.scope();
        String iface = l.iface();
        Boolean dual = l.dualStack();
        if (l.family() == AddressFamily.IPV6 && "::".equals(l.address())) {
            String why;
            if (dual != null) {
                why = dual ? "dual-stack (IPV6_V6ONLY=0), as the source shows" : "v6-only (IPV6_V6ONLY=1), as the source shows";
            } else if (v4Ports.contains(l.protocol() + "/" + l.port())) {
                dual = false;
                why = "v6-only: an IPv4 " + l.protocol().label() + " socket holds the same port, which Linux refuses next to a "
                        + "dual-stack :: (unless both use SO_REUSEPORT" + (l.protocol() == Protocol.UDP ? " or SO_REUSEADDR" : "")
                        + "; either way IPv4 reaches a socket on this port)";
            } else if (bindv6only != null) {
                dual = !bindv6only;
                why = "net.ipv6.bindv6only=" + (bindv6only ? 1 : 0) + ": " + (dual ? "dual-stack" : "v6-only")
                        + " unless the program set IPV6_V6ONLY itself (the /proc tables do not show it; ss -e does)";
            } else {
                why = ASSUMED_DUAL_STACK;
            }
            scope = dual == null || dual ? BindScope.ALL_PLUS_IPV4 : BindScope.ALL;
            note = join(note, why);
        } else {
            dual = null;
            if (scope == BindScope.LOOPBACK) {
                note = join(note, "loopback only: not reachable from outside the device");
            } else if (scope == BindScope.SPECIFIC || scope == BindScope.LINK_LOCAL) {
                if (iface == null) {
                    List<String> held = ifaces.interfaces(l.address());
                    if (held.size() == 1 && !held.get(0).equals(InterfaceAddresses.UNKNOWN_IFACE)) iface = held.get(0);
                    else if (held.size() > 1) iface = String.join(",", held);
                    else if (held.size() == 1) note = join(note, "address held by this device (interface name not known)");
                    else if (!ifaces.isEmpty() && !isTruncated(note)) note = join(note, "no interface holds this address now");
                }
                if (scope == BindScope.LINK_LOCAL) note = join(note, "link-local: reachable on " + (iface == null ? "one link" : iface) + " only");
            }
        }
        return l.withScope(scope, dual, iface, note);
    }

    private static boolean isTruncated(String note) {
        return note != null && note.contains("truncated");
    }

    static String join(String a, String b) {
        if (a == null || a.isEmpty()) return b;
        if (b == null || b.isEmpty() || a.contains(b)) return a;
        return a + "; " + b;
    }

    /** The protocol/port key used for the coexistence rule. */
    static String key(Protocol p, int port) {
        return p + "/" + port;
    }
}
