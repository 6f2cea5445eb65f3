package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Finding;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Verdict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every format captured from the shared lab devices (pa-g3, pa-440, pa-nft) reads to the seed's exposure. */
class LabCapturesTest {
    static final String TCP_440 = "accept 20-23,80,161,1024-5999,6011-65535 | drop 1-19,24-79,81-112,114-160,162-1023,6000-6010 | reject 113";
    static final String UDP_440 = "accept 22,123,161,1024-65535 | drop 1-21,23-122,124-160,162-1023";

    static Ruleset ok(String path) {
        Problems p = new Problems();
        Ruleset rs = Fixtures.parse(path, p);
        assertThat(p.list()).as(path).filteredOn(x -> x.severity() == ParseProblem.Severity.ERROR).isEmpty();
        return rs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab/440/iptables-L.txt", "lab/440/iptables-L-v-n-line.txt", "lab/440/iptables-S.txt",
            "lab/440/iptables-save.txt", "lab/440/nft.txt", "lab/440/nft.json", "lab/nft/nft.txt", "lab/nft/nft.json",
            "seed/a440-iptables-L.txt"})
    void the440InEveryFormat(String path) {
        Ruleset rs = ok(path);
        assertThat(Fixtures.summary(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP))).isEqualTo(TCP_440);
        assertThat(Fixtures.summary(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.UDP))).isEqualTo(UDP_440);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab/g3/iptables-L.txt", "lab/g3/iptables-L-v-n-line.txt", "lab/g3/iptables-S.txt",
            "lab/g3/iptables-save.txt", "lab/g3/nft.txt", "lab/g3/nft.json", "seed/g3-iptables-L.txt"})
    void theG3AcceptsEverything(String path) {
        Ruleset rs = ok(path);
        assertThat(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP).ports(Verdict.ACCEPT).isAll()).isTrue();
    }

    @Test
    void the440sMissingIpv6RulesAreAFinding() {
        FirewallView v = Firewall.analyze(List.of(
                new LabeledText(null, "iptables-save", Fixtures.read("lab/440/iptables-save.txt")),
                new LabeledText("ip6tables-save", "ip6tables-save", Fixtures.read("lab/440/ip6tables-save.txt"))), ServiceNames.iana());
        assertThat(v.families()).containsExactlyInAnyOrder(AddressFamily.IPV4, AddressFamily.IPV6);
        assertThat(v.exposure(AddressFamily.IPV6, Protocol.TCP).orElseThrow().ports(Verdict.ACCEPT).isAll()).isTrue();
        List<Finding> f = v.findings().stream().filter(x -> x.id().equals("ipv6-unfiltered")).toList();
        assertThat(f).hasSize(2);
        assertThat(f.get(0).title()).isEqualTo("IPv6 lets through 1028 tcp ports IPv4 blocks (1-19,24-79,81-160,162-1023,6000-6010)");
        assertThat(v.backend()).isEqualTo("iptables-nft,iptables");
    }
}
