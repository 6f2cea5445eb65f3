package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.PortRange;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Concrete fixes: the command to delete or add a rule, the service to stop, the bind to change. */
final class Remedies {
    private Remedies() {}

    static boolean isNft(String backend) {
        return backend != null && backend.toLowerCase(Locale.ROOT).contains("nft");
    }

    static String iptables(AddressFamily family) {
        return family == AddressFamily.IPV6 ? "ip6tables" : "iptables";
    }

    /** Deletes the rule that decided a verdict (a policy cannot be deleted: set it instead). */
    static List<String> deleteRule(RuleRef rule, AddressFamily family, String backend) {
        List<String> out = new ArrayList<>();
        if (rule == null || "-".equals(rule.chain())) return out; // no rule decided it: nothing to delete
        if (rule.isPolicy()) {
            if (isNft(backend)) {
                out.add("nft 'chain " + nftTable(rule) + " " + rule.chain() + " { policy drop; }'   # after adding accept rules for what must stay reachable");
            } else {
                out.add(iptables(family) + tableOpt(rule) + " -P " + rule.chain() + " DROP   # after adding ACCEPT rules for what must stay reachable");
            }
            return out;
        }
        if (isNft(backend)) {
            out.add("nft -a list chain " + nftTable(rule) + " " + rule.chain() + "   # find the rule's handle, then:");
            out.add("nft delete rule " + nftTable(rule) + " " + rule.chain() + " handle <N>   # " + rule.text());
        } else {
            out.add(iptables(family) + tableOpt(rule) + " -D " + rule.chain() + " " + rule.index() + "   # " + rule.text());
        }
        return out;
    }

    /** Drops a port range before anything else accepts it. */
    static String dropPorts(Protocol protocol, PortRange ports, AddressFamily family, String backend) {
        if (isNft(backend)) {
            return "nft insert rule inet filter input " + (family == AddressFamily.IPV6 ? "meta nfproto ipv6 " : "meta nfproto ipv4 ")
                    + protocol.label() + " dport " + ports + " drop";
        }
        String dport = ports.from() == ports.to() ? String.valueOf(ports.from()) : ports.from() + ":" + ports.to();
        return iptables(family) + " -I INPUT -p " + protocol.label() + " --dport " + dport + " -j DROP";
    }

    /** Stops and disables the programs behind a listener (systemd unit, OpenRC service, or inetd entry). */
    static List<String> stopService(List<Listener> listeners) {
        Set<String> out = new LinkedHashSet<>();
        for (Listener l : listeners) {
            for (Owner o : l.owners()) {
                String comm = o.comm();
                if (o.unit() != null && !o.unit().isBlank()) {
                    out.add("systemctl disable --now " + o.unit());
                } else if (comm != null && (comm.equals("inetd") || comm.equals("xinetd"))) {
                    out.add("remove the " + l.protocol().label() + "/" + l.port() + " line from /etc/" + comm
                            + ".conf and restart " + comm);
                } else if (comm != null) {
                    out.add("rc-update del " + comm + " default && rc-service " + comm + " stop   # OpenRC; with systemd: "
                            + "systemctl disable --now " + comm);
                }
            }
        }
        if (out.isEmpty()) out.add("stop the program listening on " + listeners.get(0).endpoint()
                + " and keep it from starting at boot (its program is not known: collect with netstat -p / ss -p, or run portaudit as root)");
        return List.copyOf(out);
    }

    static String bindLoopback(Listener l) {
        String who = l.owners().isEmpty() || l.owners().get(0).comm() == null ? "the program" : l.owners().get(0).comm();
        String lo = l.family() == AddressFamily.IPV6 ? "::1" : "127.0.0.1";
        return "make " + who + " listen on " + lo + " instead of " + l.address()
                + " (its listen/bind address setting) if only local clients use it";
    }

    private static String tableOpt(RuleRef rule) {
        return rule.table() == null || rule.table().equals("filter") ? "" : " -t " + rule.table();
    }

    private static String nftTable(RuleRef rule) {
        return rule.table() == null ? "inet filter" : rule.table();
    }
}
