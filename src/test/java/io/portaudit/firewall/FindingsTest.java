package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.Finding;
import io.portaudit.model.ServiceNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsTest {
    static FirewallView view(String... paths) {
        return Firewall.analyze(java.util.Arrays.stream(paths).map(p -> new LabeledText(null, p, Fixtures.read(p))).toList(),
                ServiceNames.iana());
    }

    static List<Finding> ids(FirewallView v, String id) {
        return v.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    @Test
    void seed440HasTheListingAmbiguityOnRuleOne() {
        FirewallView v = view("seed/a440-iptables-L.txt");
        List<Finding> amb = ids(v, "ambiguous-listing");
        assertThat(amb).hasSize(1);
        Finding f = amb.get(0);
        assertThat(f.evidence().get(0).source()).isEqualTo("seed/a440-iptables-L.txt:3");
        assertThat(f.evidence().get(0).text()).startsWith("ACCEPT     all  --  anywhere");
        assertThat(f.detail()).contains("tcp 1-19,24-79,81-112,114-160,162-1023,6000-6010 (drop if -i lo, accept if it matches every interface); tcp 113 (reject if -i lo, accept")
                .contains("udp 1-21,");
        assertThat(f.remedy()).anyMatch(r -> r.startsWith("if the 'in' column is not 'lo': iptables -D INPUT 1"));
        assertThat(v.backend()).isEqualTo("iptables");
        assertThat(v.at(io.portaudit.model.AddressFamily.IPV4, io.portaudit.model.Protocol.TCP, 23).orElseThrow().verdict())
                .isEqualTo(io.portaudit.model.Verdict.ACCEPT);
        assertThat(v.at(io.portaudit.model.AddressFamily.IPV6, io.portaudit.model.Protocol.TCP, 23)).isEmpty();
    }

    @Test
    void seed440WideRangesAndMissingIpv6() {
        FirewallView v = view("seed/a440-iptables-L.txt");
        assertThat(ids(v, "wide-accept-range")).extracting(Finding::title)
                .containsExactly("INPUT rule 11 accepts 64501 tcp ports (1024-5999,6011-65535)",
                        "INPUT rule 16 accepts 64511 udp ports (1024-22221,22223-65535)");
        assertThat(ids(v, "wide-accept-range").get(0).remedy().get(0)).isEqualTo("iptables -D INPUT 11");
        assertThat(ids(v, "ipv6-unfiltered")).isNotEmpty();
        assertThat(ids(v, "accept-all-policy")).isEmpty();
        assertThat(ids(v, "shadowed-rule")).as("identical-looking rules of a listing without -v may differ in interface").isEmpty();
    }

    @Test
    void seedG3AcceptsAll() {
        FirewallView v = view("seed/g3-iptables-L.txt");
        List<Finding> a = ids(v, "accept-all-policy");
        assertThat(a).hasSize(1);
        assertThat(a.get(0).evidence().get(0).text()).isEqualTo("Chain INPUT (policy ACCEPT)");
        assertThat(a.get(0).evidence().get(0).source()).isEqualTo("seed/g3-iptables-L.txt:1");
        assertThat(ids(v, "ipv6-unfiltered")).isEmpty(); // nothing is filtered on IPv4 either
    }

    static FirewallView save(String text) {
        return Firewall.analyze(List.of(new LabeledText(null, "r.save", text)), ServiceNames.iana());
    }

    @Test
    void aHundredThousandShadowedRulesAreListedUpToTheCapAndSummedUp() {
        // every rule after '-j DROP' is shadowed: one finding each made 200,000-line rulesets into gigabyte reports
        StringBuilder sb = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\n");
        for (int i = 1; i <= 1500; i++) sb.append("-A INPUT -p tcp -m tcp --dport ").append(i).append(" -j ACCEPT\n");
        List<Finding> s = ids(save(sb.append("COMMIT\n").toString()), "shadowed-rule");
        assertThat(s).hasSize(Finding.MAX_PER_ID + 1);
        Finding summary = s.get(s.size() - 1);
        assertThat(summary.title()).isEqualTo("500 more shadowed-rule findings (the first 1000 are listed one by one)");
        assertThat(summary.ports()).isNull();   // shadowed rules are about rules, not ports
        assertThat(summary.severity()).isEqualTo(s.get(0).severity());
        assertThat(summary.evidence()).isNotEmpty();
        assertThat(summary.detail()).contains("INPUT rule 1002");
        assertThat(s.subList(0, Finding.MAX_PER_ID)).noneMatch(f -> f.title().contains("more shadowed-rule"));
    }

    @Test
    void policyAcceptWithOneDropRuleIsStillAcceptAll() {
        FirewallView v = save("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 23 -j DROP\nCOMMIT\n");
        List<Finding> a = ids(v, "accept-all-policy");
        assertThat(a).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("chain INPUT: policy ACCEPT decides most ports (tcp 65534 of 65535, udp 65535 of 65535)");
            assertThat(f.family()).isEqualTo(io.portaudit.model.AddressFamily.IPV4);
            assertThat(f.evidence()).extracting(e -> e.source()).containsExactly("r.save:2", "r.save:3");
            assertThat(f.remedy()).contains("iptables -P INPUT DROP");
        });
    }

    @Test
    void policyAcceptWithAFail2banChainThatReturnsIsAcceptAll() {
        FirewallView v = save("""
                *filter
                :INPUT ACCEPT [0:0]
                :f2b-sshd - [0:0]
                -A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd
                -A f2b-sshd -s 192.0.2.7/32 -j REJECT --reject-with icmp-port-unreachable
                -A f2b-sshd -j RETURN
                COMMIT
                """);
        assertThat(ids(v, "accept-all-policy")).singleElement()
                .satisfies(f -> assertThat(f.title()).contains("policy ACCEPT decides most ports", "tcp 65535 of 65535"));
    }

    @Test
    void policyAcceptThatDecidesFewPortsIsNotAcceptAll() {
        // the last rule drops everything: the policy decides nothing
        assertThat(ids(save("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n"),
                "accept-all-policy")).isEmpty();
        // tcp and udp closed above 1023: the policy decides only 1023 ports of each
        assertThat(ids(save("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 1024:65535 -j DROP\n"
                + "-A INPUT -p udp --dport 1024:65535 -j DROP\n-A INPUT -p icmp -j ACCEPT\nCOMMIT\n"), "accept-all-policy")).isEmpty();
        // nft: one drop rule in an input chain with policy accept fires, per the same rule
        FirewallView nft = Firewall.analyze(List.of(new LabeledText(null, "r.nft", """
                table inet filter {
                    chain input {
                        type filter hook input priority 0; policy accept;
                        tcp dport 23 drop
                    }
                }
                """)), ServiceNames.iana());
        assertThat(ids(nft, "accept-all-policy")).singleElement().satisfies(f -> assertThat(f.title()).contains("ipv4 tcp 65534 of 65535"));
    }

    @Test
    void shadowedRuleInSaveFormatWithDeleteCommand() {
        String text = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 1000:2000 -j ACCEPT\n"
                + "-A INPUT -p tcp -m tcp --dport 1500 -j DROP\n-A INPUT -p udp -m udp --dport 1500 -j DROP\nCOMMIT\n";
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "r.save", text)), ServiceNames.iana());
        List<Finding> s = ids(v, "shadowed-rule");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).remedy().get(0)).startsWith("iptables -D INPUT 2");
        assertThat(s.get(0).evidence().get(1).source()).isEqualTo("r.save:3");
    }

    /** Rules of one iptables-save INPUT chain (policy DROP) -> the numbers of the rules found shadowed. */
    private static List<String> shadowedRules(String... rules) {
        String text = "*filter\n:INPUT DROP [0:0]\n" + String.join("\n", rules) + "\nCOMMIT\n";
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "r.save", text)), ServiceNames.iana());
        return ids(v, "shadowed-rule").stream().map(Finding::title).toList();
    }

    @Test
    void aRuleWithMoreConditionsIsShadowedByABroaderEarlierOne() {
        // a source, an interface, a state: each only narrows what the later rule matches
        assertThat(shadowedRules("-A INPUT -p tcp -m tcp --dport 22 -j DROP",
                "-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT")).containsExactly("INPUT rule 2 never matches");
        assertThat(shadowedRules("-A INPUT -i eth0 -p tcp -m tcp --dport 1:1000 -j DROP",
                "-A INPUT -i eth0 -s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j ACCEPT")).containsExactly("INPUT rule 2 never matches");
        assertThat(shadowedRules("-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT",
                "-A INPUT -p tcp -m state --state RELATED,ESTABLISHED -m tcp --dport 80 -j ACCEPT"))
                .containsExactly("INPUT rule 2 never matches");
        assertThat(shadowedRules("-A INPUT -i eth0 -j DROP", "-A INPUT -i eth0 -s 10.0.0.0/8 -j ACCEPT", "-A INPUT -i eth0 -p icmp -j ACCEPT"))
                .containsExactly("INPUT rule 2 never matches", "INPUT rule 3 never matches");
        // two groups together: all of tcp for eth0 from two rules with different conditions
        assertThat(shadowedRules("-A INPUT -p tcp -m tcp --dport 1:1023 -j DROP",
                "-A INPUT -i eth0 -p tcp -m tcp --dport 1024:65535 -j ACCEPT",
                "-A INPUT -i eth0 -s 192.168.0.0/16 -p tcp -j ACCEPT")).containsExactly("INPUT rule 3 never matches");
    }

    @Test
    void differentConditionsOrTestsNotUnderstoodNeverShadow() {
        assertThat(shadowedRules("-A INPUT -i eth0 -p tcp -j DROP", "-A INPUT -i eth1 -p tcp -m tcp --dport 22 -j ACCEPT")).isEmpty();
        assertThat(shadowedRules("-A INPUT -s 10.0.0.0/8 -p tcp -j DROP", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT")).isEmpty();
        assertThat(shadowedRules("-A INPUT -m state --state ESTABLISHED -j ACCEPT",
                "-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT")).isEmpty();
        // a rate limit matches only sometimes: the packets it lets pass reach the next rule
        assertThat(shadowedRules("-A INPUT -p tcp -m tcp --dport 22 -m limit --limit 5/sec -j ACCEPT",
                "-A INPUT -p tcp -m tcp --dport 22 -j DROP")).isEmpty();
        // ICMP (and every protocol but TCP and UDP) still reaches a rule without a protocol test
        assertThat(shadowedRules("-A INPUT -p tcp -j DROP", "-A INPUT -p udp -j DROP", "-A INPUT -j ACCEPT")).isEmpty();
        assertThat(shadowedRules("-A INPUT -p tcp -j DROP", "-A INPUT -p udp -j DROP", "-A INPUT -p icmp -j DROP", "-A INPUT -j ACCEPT")).isEmpty();
        // a non-terminal rule decides nothing
        assertThat(shadowedRules("-A INPUT -p tcp -j LOG", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT")).isEmpty();
    }

    @Test
    void shadowedInNftTooWithConditions() {
        String text = "table inet filter {\n chain input {\n  type filter hook input priority 0; policy drop;\n"
                + "  tcp dport 22 drop\n  iifname \"eth0\" ip saddr 10.0.0.0/8 tcp dport 22 accept\n }\n}\n";
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "r.nft", text)), ServiceNames.iana());
        assertThat(ids(v, "shadowed-rule")).singleElement().satisfies(f -> assertThat(f.title()).isEqualTo("input rule 2 never matches"));
    }

    @Test
    void legacyWarningIsABackendConflict() {
        String text = "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n";
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "r.save", text)), ServiceNames.iana());
        assertThat(ids(v, "backend-conflict")).hasSize(1);
        assertThat(v.rulesets().get(0).warnings()).containsExactly("# Warning: iptables-legacy tables present, use iptables-legacy-save to see them");
    }
}
