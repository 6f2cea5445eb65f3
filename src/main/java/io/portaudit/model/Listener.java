package io.portaudit.model;

import java.util.List;

/**
 * A listening TCP socket or a bound UDP socket.
 *
 * @param address   the bound address as text, no brackets ({@code 0.0.0.0}, {@code ::}, {@code fe80::1%eth0})
 * @param dualStack for {@code ::}: TRUE when it also takes IPv4, FALSE when v6-only, null when unknown or not {@code ::}
 * @param state     {@code LISTEN} for TCP, {@code UNCONN}/{@code ESTAB} for UDP, as ss prints it
 * @param inode     the socket inode, or 0 when the source does not show it
 * @param netns     the network namespace, e.g. {@code net:[4026531840]}, or null when unknown
 * @param owners    every process holding the socket; empty when unknown
 * @param source    where this came from (e.g. {@code /proc/net/tcp}, {@code netstat-a.txt:12})
 * @param iface     the interface that holds a specific address, or the scope id of a link-local one; null when not known
 * @param note      why scope/dualStack are what they are, or what is doubtful (truncated address...); null when nothing to say
 */
public record Listener(Protocol protocol, AddressFamily family, String address, int port, BindScope scope,
                       Boolean dualStack, String state, long inode, String netns, List<Owner> owners, String source,
                       String iface, String note) {
    public Listener {
        owners = owners == null ? List.of() : List.copyOf(owners);
    }

    /** Without interface and note (the form before those two fields existed). */
    public Listener(Protocol protocol, AddressFamily family, String address, int port, BindScope scope,
                    Boolean dualStack, String state, long inode, String netns, List<Owner> owners, String source) {
        this(protocol, family, address, port, scope, dualStack, state, inode, netns, owners, source, null, null);
    }

    public Listener withOwners(List<Owner> newOwners) {
        return new Listener(protocol, family, address, port, scope, dualStack, state, inode, netns, newOwners, source, iface, note);
    }

    public Listener withScope(BindScope newScope, Boolean newDualStack, String newIface, String newNote) {
        return new Listener(protocol, family, address, port, newScope, newDualStack, state, inode, netns, owners, source,
                newIface, newNote);
    }

    /**
     * Whether a packet of {@code f} reaches this socket (by family only; address and scope aside): its own
     * family, and IPv4 too for a {@code ::} socket that takes IPv4. That is decided in one place,
     * {@code inventory.ScopeResolver}, for every source (the device's /proc, a bundle, pasted netstat/ss): a
     * {@code ::} is dual-stack ({@code all+ipv4}) unless the input proves it v6-only.
     */
    public boolean reaches(AddressFamily f) {
        return family == f || (f == AddressFamily.IPV4 && family == AddressFamily.IPV6
                && (Boolean.TRUE.equals(dualStack) || scope == BindScope.ALL_PLUS_IPV4));
    }

    /** {@code 0.0.0.0:80} or {@code [::]:80}. */
    public String endpoint() {
        return (family == AddressFamily.IPV6 ? "[" + address + "]" : address) + ":" + port;
    }
}
