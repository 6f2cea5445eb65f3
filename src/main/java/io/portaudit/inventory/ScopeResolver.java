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
     * The note of a {@code ::} socket nothing in the input settles: Linux's default (in the current language). The audit's
     * evidence, docs/FINDINGS.md and --help say the same.
     */
    public static String assumedDualStack() {
        return io.portaudit.model.L10n.t("scope.assumed");
    }

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
                why = io.portaudit.model.L10n.t(dual ? "scope.dual.source" : "scope.v6only.source");
            } else if (v4Ports.contains(l.protocol() + "/" + l.port())) {
                dual = false;
                why = io.portaudit.model.L10n.t(l.protocol() == Protocol.UDP ? "scope.v6only.v4.udp" : "scope.v6only.v4", l.protocol().label());
            } else if (bindv6only != null) {
                dual = !bindv6only;
                why = io.portaudit.model.L10n.t(dual ? "scope.sysctl.dual" : "scope.sysctl.v6only", "net.ipv6.bindv6only=" + (bindv6only ? 1 : 0));
            } else {
                why = assumedDualStack();
            }
            scope = dual == null || dual ? BindScope.ALL_PLUS_IPV4 : BindScope.ALL;
            note = join(note, why);
        } else {
            dual = null;
            if (scope == BindScope.LOOPBACK) {
                note = join(note, io.portaudit.model.L10n.t("scope.loopback"));
            } else if (scope == BindScope.SPECIFIC || scope == BindScope.LINK_LOCAL) {
                if (iface == null) {
                    List<String> held = ifaces.interfaces(l.address());
                    if (held.size() == 1 && !held.get(0).equals(InterfaceAddresses.UNKNOWN_IFACE)) iface = held.get(0);
                    else if (held.size() > 1) iface = String.join(",", held);
                    else if (held.size() == 1) note = join(note, io.portaudit.model.L10n.t("scope.held"));
                    else if (!ifaces.isEmpty() && !isTruncated(note)) note = join(note, io.portaudit.model.L10n.t("scope.noiface"));
                }
                if (scope == BindScope.LINK_LOCAL) note = join(note, iface == null ? io.portaudit.model.L10n.t("scope.linklocal.one") : io.portaudit.model.L10n.t("scope.linklocal", iface));
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
