package io.portaudit.firewall;

import io.portaudit.model.PortSet;
import java.util.List;
import java.util.Set;

/** One condition of a rule. Closed family: the evaluator switches over it exhaustively. */
public sealed interface Match {
    /** True for {@code !} / {@code !=}. */
    boolean negated();

    /** {@code -p tcp}, {@code meta l4proto udp}, {@code ip protocol tcp}; name lower-case ("tcp", "icmp", "all"). */
    record Proto(Set<String> names, boolean negated) implements Match {
        public Proto { names = Set.copyOf(names); }
    }

    /** Which port of the packet a port match looks at. */
    enum PortField { DPORT, SPORT, EITHER }

    /**
     * {@code --dport}, {@code -m multiport --dports}, {@code tcp dport {21,23}}. {@code protocol}
     * is the protocol the match belongs to ({@code tcp dport}), null when it only follows {@code -p}.
     */
    record Ports(PortField field, String protocol, PortSet ports, boolean negated) implements Match {}

    /**
     * {@code -i eth0}, {@code -o ppp+}, {@code iifname "lo"}. {@code assumed} marks a match portaudit
     * added to read an {@code iptables -L} listing that hides interfaces (the {@code -i lo} reading).
     */
    record Iface(boolean in, String name, boolean negated, boolean assumed) implements Match {}

    /** {@code -s/-d ADDR[/MASK]}, {@code ip saddr}, {@code -m iprange --src-range A-B}; several = any of them. */
    record Addr(boolean source, List<AddrRange> ranges, boolean negated) implements Match {
        public Addr { ranges = List.copyOf(ranges); }
    }

    /** {@code -m state --state}, {@code -m conntrack --ctstate}, {@code ct state}; upper-case names. */
    record CtState(Set<String> states, boolean negated) implements Match {
        public CtState { states = Set.copyOf(states); }
    }

    /** {@code -m comment --comment}: matches every packet. */
    record Comment(String text) implements Match {
        public boolean negated() { return false; }
    }

    /** Something portaudit does not evaluate ({@code -m limit}, {@code meta mark}...): it may match. */
    record Unknown(String text) implements Match {
        public boolean negated() { return false; }
    }
}
