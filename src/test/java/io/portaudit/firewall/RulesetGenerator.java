package io.portaudit.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random but loadable rulesets around a fixed set of ports, in iptables-save and nft syntax, for
 * the differential test (and the fuzz test's seed corpus). Chains only jump forward, so no loops.
 */
final class RulesetGenerator {
    static final int[] PORTS = {21, 22, 23, 80, 443, 1000, 1500, 2000, 3000, 5000, 6000, 8080};
    private final Random rnd;
    final String hostAddr;
    final String iface;
    final boolean v6;

    RulesetGenerator(long seed, String hostAddr, String iface) {
        this.rnd = new Random(seed);
        this.hostAddr = hostAddr;
        this.iface = iface;
        this.v6 = hostAddr.contains(":");
    }

    private int port() {
        return PORTS[rnd.nextInt(PORTS.length)];
    }

    /** A port spec near the interesting ports: a port, a range around one, or a multiport list. */
    private int[] range() {
        int a = port();
        int b = rnd.nextInt(3) == 0 ? Math.min(65535, a + rnd.nextInt(3000)) : a;
        if (rnd.nextInt(4) == 0) a = Math.max(1, a - rnd.nextInt(50));
        return new int[] {a, b};
    }

    private String addr() {
        if (v6) {
            return switch (rnd.nextInt(4)) {
                case 0 -> hostAddr + "/128";
                case 1 -> hostAddr.substring(0, hostAddr.lastIndexOf(':')) + ":/64";
                case 2 -> "2001:db8::/32";
                default -> "fd00::/8";
            };
        }
        return switch (rnd.nextInt(4)) {
            case 0 -> hostAddr + "/32";
            case 1 -> hostAddr.substring(0, hostAddr.lastIndexOf('.')) + ".0/24";
            case 2 -> "192.0.2.0/24";
            default -> "10.0.0.0/8";
        };
    }

    String iptablesSave() {
        int userChains = rnd.nextInt(4);
        StringBuilder sb = new StringBuilder("*filter\n");
        sb.append(":INPUT ").append(rnd.nextBoolean() ? "ACCEPT" : "DROP").append(" [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        for (int c = 1; c <= userChains; c++) sb.append(":c").append(c).append(" - [0:0]\n");
        for (int c = 0; c <= userChains; c++) {
            String name = c == 0 ? "INPUT" : "c" + c;
            int n = c == 0 ? 3 + rnd.nextInt(8) : 1 + rnd.nextInt(5);
            // as real rulesets do: established traffic passes. Without it a rule that rejects the handshake's
            // final ACK with ICMP makes a connect scan report "refused" although the SYN was accepted
            // (the ICMP arrives as a soft socket error, which SO_ERROR returns to a non-blocking connect).
            if (c == 0) sb.append("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            for (int i = 0; i < n; i++) sb.append("-A ").append(name).append(iptRule(c, userChains)).append('\n');
        }
        sb.append("COMMIT\n");
        if (rnd.nextInt(3) == 0) {
            // REDIRECT one listening port to another: the filter rules then see the new port
            sb.append("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
            int n = 1 + rnd.nextInt(2);
            for (int i = 0; i < n; i++) {
                int from = port(), to = port();
                if (from == to) continue;
                sb.append("-A PREROUTING").append(rnd.nextInt(3) == 0 ? " -i " + iface : "").append(" -p tcp -m tcp --dport ").append(from)
                        .append(" -j REDIRECT --to-ports ").append(to).append('\n');
            }
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }

    private String iptRule(int chain, int userChains) {
        StringBuilder r = new StringBuilder();
        int kind = rnd.nextInt(10);
        if (rnd.nextInt(5) == 0) r.append(rnd.nextBoolean() ? " -i " + iface : rnd.nextBoolean() ? " ! -i lo" : " -i eth+");
        if (rnd.nextInt(5) == 0) r.append(rnd.nextInt(3) == 0 ? " ! -s " : " -s ").append(addr());
        String proto = kind < 8 ? "tcp" : kind == 8 ? "udp" : null;
        if (proto != null) {
            r.append(" -p ").append(proto);
            int pk = rnd.nextInt(3);
            if (pk == 0) {
                int[] a = range();
                r.append(" -m ").append(proto).append(rnd.nextInt(5) == 0 ? " ! --dport " : " --dport ")
                        .append(a[0] == a[1] ? "" + a[0] : a[0] + ":" + a[1]);
            } else if (pk == 1) {
                List<String> l = new ArrayList<>();
                int k = 1 + rnd.nextInt(4);
                for (int i = 0; i < k; i++) {
                    int[] a = range();
                    l.add(a[0] == a[1] ? "" + a[0] : a[0] + ":" + a[1]);
                }
                r.append(" -m multiport").append(rnd.nextInt(6) == 0 ? " ! --dports " : " --dports ").append(String.join(",", l));
            }
        }
        if (rnd.nextInt(8) == 0) r.append(" -m conntrack --ctstate ").append(rnd.nextBoolean() ? "NEW" : "RELATED,ESTABLISHED");
        if (rnd.nextInt(10) == 0) r.append(" -m comment --comment \"gen rule\"");
        String tg = iptTarget(chain, userChains, proto);
        if (tg.startsWith("GOTO ")) r.append(" -g ").append(tg.substring(5));
        else r.append(" -j ").append(tg);
        return r.toString();
    }

    private String iptTarget(int chain, int userChains, String proto) {
        int t = rnd.nextInt(10);
        if (t <= 2) return "ACCEPT";
        if (t <= 4) return "DROP";
        if (t == 5) {
            String[] types = v6 ? ("tcp".equals(proto) ? new String[] {"tcp-reset", "icmp6-port-unreachable", "icmp6-adm-prohibited",
                    "icmp6-addr-unreachable"} : new String[] {"icmp6-port-unreachable", "icmp6-no-route"})
                    : "tcp".equals(proto) ? new String[] {"tcp-reset", "icmp-port-unreachable", "icmp-host-unreachable", "icmp-admin-prohibited"}
                    : new String[] {"icmp-port-unreachable", "icmp-net-unreachable"};
            return "REJECT --reject-with " + types[rnd.nextInt(types.length)];
        }
        if (t == 6) return chain > 0 ? "RETURN" : "LOG --log-prefix \"gen \"";
        if (chain < userChains) {
            int to = chain + 1 + rnd.nextInt(userChains - chain);
            return t == 7 ? "GOTO c" + to : "c" + to;
        }
        return rnd.nextBoolean() ? "ACCEPT" : "DROP";
    }

    /** The same shape in nft syntax: an inet table with an input base chain and forward-only user chains. */
    String nft() {
        int userChains = rnd.nextInt(4);
        StringBuilder sb = new StringBuilder("flush ruleset\ntable inet gen {\n");
        for (int c = userChains; c >= 0; c--) {
            String name = c == 0 ? "input" : "c" + c;
            sb.append("\tchain ").append(name).append(" {\n");
            if (c == 0) sb.append("\t\ttype filter hook input priority ").append(rnd.nextInt(3) == 0 ? "-5" : "filter").append("; policy ")
                    .append(rnd.nextBoolean() ? "accept" : "drop").append(";\n");
            int n = c == 0 ? 3 + rnd.nextInt(8) : 1 + rnd.nextInt(5);
            if (c == 0) sb.append("\t\tct state established,related accept\n");
            for (int i = 0; i < n; i++) sb.append("\t\t").append(nftRule(c, userChains)).append('\n');
            sb.append("\t}\n");
        }
        sb.append("}\n");
        if (rnd.nextInt(3) == 0) {
            int from = port(), to = port();
            if (from != to) {
                sb.append("table ip nat {\n\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\t")
                        .append(rnd.nextInt(3) == 0 ? "iifname \"" + iface + "\" " : "").append("tcp dport ").append(from)
                        .append(" redirect to :").append(to).append("\n\t}\n}\n");
            }
        }
        if (rnd.nextInt(4) == 0) {
            // a second base chain: a drop in either drops
            sb.append("table ip extra {\n\tchain pre {\n\t\ttype filter hook input priority 10; policy accept;\n"
                    + "\t\tct state established,related accept\n\t\ttcp dport ")
                    .append(port()).append(rnd.nextBoolean() ? " drop" : " reject with tcp reset").append("\n\t}\n}\n");
        }
        return sb.toString();
    }

    private String nftRule(int chain, int userChains) {
        StringBuilder r = new StringBuilder();
        if (rnd.nextInt(5) == 0) r.append(rnd.nextBoolean() ? "iifname \"" + iface + "\" " : rnd.nextBoolean() ? "iifname != \"lo\" " : "iifname \"eth*\" ");
        if (rnd.nextInt(5) == 0) {
            // on an IPv6 probe an "ip saddr" rule never matches (inet tables): sometimes test exactly that
            boolean other = rnd.nextInt(4) == 0;
            String fam = v6 != other ? "ip6" : "ip";
            String a = other ? (v6 ? "10.77.10.0/24" : "fd77:10::/64") : addr();
            r.append(fam).append(rnd.nextInt(3) == 0 ? " saddr != " : " saddr ").append(a).append(' ');
        }
        int kind = rnd.nextInt(10);
        String proto = kind < 8 ? "tcp" : kind == 8 ? "udp" : null;
        if (proto != null) {
            int pk = rnd.nextInt(3);
            if (pk == 0) {
                int[] a = range();
                r.append(proto).append(" dport ").append(rnd.nextInt(5) == 0 ? "!= " : "").append(a[0] == a[1] ? "" + a[0] : a[0] + "-" + a[1]).append(' ');
            } else if (pk == 1) {
                List<String> l = new ArrayList<>();
                int k = 1 + rnd.nextInt(4);
                java.util.TreeMap<Integer, Integer> seen = new java.util.TreeMap<>();
                for (int i = 0; i < k; i++) {
                    int[] a = range();
                    // nft refuses overlapping set elements: keep disjoint ones
                    var f = seen.floorEntry(a[1]);
                    if (f != null && f.getValue() >= a[0]) continue;
                    seen.put(a[0], a[1]);
                }
                for (var e : seen.entrySet()) l.add(e.getKey().equals(e.getValue()) ? "" + e.getKey() : e.getKey() + "-" + e.getValue());
                r.append(proto).append(" dport { ").append(String.join(", ", l)).append(" } ");
            } else {
                r.append("meta l4proto ").append(proto).append(' ');
            }
        }
        if (rnd.nextInt(8) == 0) r.append("ct state ").append(rnd.nextBoolean() ? "new" : "established,related").append(' ');
        // every generated rule counts its packets (the differential test checks shadowed-rule claims against
        // the kernel's counters); the draw stays so that each seed still gives the same ruleset otherwise
        rnd.nextInt(6);
        r.append("counter ");
        int t = rnd.nextInt(10);
        if (t <= 2) r.append("accept");
        else if (t <= 4) r.append("drop");
        else if (t == 5) r.append(rnd.nextBoolean() ? "reject" : "tcp".equals(proto) ? "reject with tcp reset" : "reject with " + (v6 ? "icmpv6 type admin-prohibited" : "icmp type host-unreachable"));
        else if (t == 6) r.append(chain > 0 ? "return" : "log prefix \"gen \"");
        else if (chain < userChains) r.append(t == 7 ? "goto c" : "jump c").append(chain + 1 + rnd.nextInt(userChains - chain));
        else r.append(rnd.nextBoolean() ? "accept" : "drop");
        return r.toString();
    }
}
