package io.portaudit.model;

import java.net.Inet6Address;
import java.net.InetAddress;

/** IPv4 or IPv6: iptables vs ip6tables, {@code tcp} vs {@code tcp6}, nft {@code ip} vs {@code ip6}. */
public enum AddressFamily {
    IPV4("ipv4"), IPV6("ipv6");

    private final String label;

    AddressFamily(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet6Address ? IPV6 : IPV4;
    }
}
