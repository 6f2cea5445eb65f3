package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Listener;
import io.portaudit.model.L10n;
import io.portaudit.model.Owner;
import io.portaudit.model.PortRange;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import io.portaudit.model.ShellWord;
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

    /** Deletes the rule that decided a verdict (a policy cannot be deleted: set it instead). Device names are shell-quoted. */
    static List<String> deleteRule(RuleRef rule, AddressFamily family, String backend) {
        List<String> out = new ArrayList<>();
        if (rule == null || "-".equals(rule.chain())) return out; // no rule decided it: nothing to delete
        String chain = ShellWord.quote(rule.chain());
        if (chain == null) return out;
        if (rule.isPolicy()) {
            if (isNft(backend)) {
                // the RuleRef does not carry the nft family: list the ruleset, the comment says what to change there
                out.add("nft list ruleset   # " + ShellWord.comment(L10n.t("rem.nft.policy", rule.chain(), nftTable(rule))));
            } else {
                out.add(iptables(family) + tableOpt(rule) + " -P " + chain + " DROP   # " + ShellWord.comment(L10n.t(family == AddressFamily.IPV6
                        ? "rem.policy.v6" : "rem.policy")));
            }
            return out;
        }
        if (isNft(backend)) {
            out.add("nft -a list ruleset   # " + ShellWord.comment(L10n.t("rem.nft.delete", rule.text().strip(), rule.chain(), nftTable(rule))));
        } else {
            out.add(iptables(family) + tableOpt(rule) + " -D " + chain + " " + rule.index() + "   # " + ShellWord.comment(rule.text()));
        }
        return out;
    }

    /**
     * Drops a port range before anything else accepts it. For nftables the rule goes into a table of
     * its own (created if missing), never into a table the board may not have.
     */
    static String dropPorts(Protocol protocol, PortRange ports, AddressFamily family, String backend) {
        if (isNft(backend)) {
            String fam = family == AddressFamily.IPV6 ? "ipv6" : "ipv4";
            String range = ports.from() == ports.to() ? String.valueOf(ports.from()) : ports.from() + "-" + ports.to();
            return "nft " + ShellWord.quote("add table inet portaudit_fix; add chain inet portaudit_fix input "
                    + "{ type filter hook input priority -1; policy accept; }; add rule inet portaudit_fix input iifname != \"lo\" "
                    + "meta nfproto " + fam + " " + protocol.label() + " dport " + range + " ct state new drop");
        }
        String dport = ports.from() == ports.to() ? String.valueOf(ports.from()) : ports.from() + ":" + ports.to();
        return iptables(family) + " -I INPUT -p " + protocol.label() + " --dport " + dport + " -j DROP";
    }

    /**
     * Stops and disables the programs behind a listener, only where the service is really known: a
     * systemd unit or OpenRC service read from the process's cgroup, or an inetd entry. A program name
     * is never taken for a service name; then the remedy says how to find the service instead.
     */
    static List<String> stopService(List<Listener> listeners) {
        Set<String> out = new LinkedHashSet<>();
        for (Listener l : listeners) {
            for (Owner o : l.owners()) {
                String comm = o.comm();
                String unit = o.unit() == null || o.unit().isBlank() ? null : o.unit();
                String who = (comm == null ? L10n.t("rem.theprogram") : ShellWord.quote(comm)) + (o.pid() == null ? "" : " (pid " + o.pid() + ")");
                if (o.container() != null && !o.container().isBlank()) {
                    out.add(L10n.t("rem.container", ShellWord.quote(o.container()), who));
                } else if (unit != null && unit.startsWith("openrc:") && ShellWord.quote(unit.substring(7)) != null) {
                    String svc = ShellWord.quote(unit.substring(7));
                    out.add("rc-update del " + svc + " default && rc-service " + svc + " stop");
                } else if (unit != null && (unit.endsWith(".service") || unit.endsWith(".socket"))) {
                    out.add("systemctl disable --now " + ShellWord.quote(unit));
                } else if (comm != null && (comm.equals("inetd") || comm.equals("xinetd"))) {
                    out.add(L10n.t("rem.inetd", l.protocol().label() + "/" + l.port(), "/etc/" + comm + ".conf", comm));
                } else if (comm != null) {
                    out.add(L10n.t("rem.stop", who, "rc-status, systemctl status" + (o.pid() == null ? "" : " " + o.pid())));
                }
            }
        }
        // every process's descriptors were read (as root) and none holds it: more privileges would not tell more
        boolean allRead = listeners.stream().anyMatch(l -> l.note() != null && l.note().contains(io.portaudit.inventory.Inventory.NO_OWNER_ALL_READ));
        if (out.isEmpty()) out.add(L10n.t(allRead ? "rem.stopunknown.allread" : "rem.stopunknown", listeners.get(0).endpoint()));
        return List.copyOf(out);
    }

    static String bindLoopback(Listener l) {
        String comm = l.owners().isEmpty() ? null : l.owners().get(0).comm();
        String who = comm == null ? L10n.t("rem.theprogram") : ShellWord.quote(comm);
        String lo = l.family() == AddressFamily.IPV6 ? "::1" : "127.0.0.1";
        return L10n.t("rem.bindlo", who, lo, l.address());
    }

    private static String tableOpt(RuleRef rule) {
        return rule.table() == null || rule.table().equals("filter") ? "" : " -t " + ShellWord.quote(rule.table());
    }

    private static String nftTable(RuleRef rule) {
        return rule.table() == null ? "inet filter" : rule.table();
    }
}
