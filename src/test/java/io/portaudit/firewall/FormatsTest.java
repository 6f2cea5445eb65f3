package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same ruleset, captured from the real tools in every format, gives the same exposure. */
class FormatsTest {
    static Ruleset filterOnly(Ruleset rs) {
        return new Ruleset(rs.format(), rs.source(), rs.backend(), rs.tables().stream().filter(t -> t.name().equals("filter")).toList(),
                rs.warnings(), rs.interfacesHidden());
    }

    static String both(Ruleset rs, AddressFamily f) {
        return Fixtures.summary(Fixtures.expose(rs, f, Protocol.TCP)) + " || " + Fixtures.summary(Fixtures.expose(rs, f, Protocol.UDP));
    }

    static Ruleset clean(String path) {
        Problems p = new Problems();
        Ruleset rs = Fixtures.parse(path, p);
        assertThat(p.list()).as(path).filteredOn(x -> x.severity() == ParseProblem.Severity.ERROR).isEmpty();
        return rs;
    }

    @Test
    void fullSaveNftTextAndJsonAgree() {
        String ref = both(clean("captured/iptables-save.txt"), AddressFamily.IPV4);
        assertThat(ref).isEqualTo(
                "accept 22,80,443,1024-5999,6011-6999,7001-9998,10000-65535 | drop 1-21,23-79,81-112,114-442,444-1023,6000-6010,7000,9999"
                        + " | reject 113"
                        + " || accept 123 | reject 1-122,124-160,162-5352,5354-65535 | unknown 161,5353");
        // 161: accepted only from 10.0.0.1-50; 5353: accepted only on interfaces not named eth*: both depend on the sender
        // 8080: redirected to 80 on eth0 (accepted), accepted as itself elsewhere
        assertThat(both(clean("captured/iptables-save-c.txt"), AddressFamily.IPV4)).isEqualTo(ref);
        assertThat(both(clean("captured/nft-from-iptables.txt"), AddressFamily.IPV4)).isEqualTo(ref);
        // nft -j cannot show the parameters of iptables-nft's xt matches/targets (conntrack, multiport, REJECT):
        // those rules are kept as unknown, so the JSON view of iptables-nft rules is honest but vague
        Ruleset json = clean("captured/nft-from-iptables.json");
        assertThat(Fixtures.expose(json, AddressFamily.IPV4, Protocol.TCP).at(9999).verdict()).isEqualTo(Verdict.DROP);
        assertThat(Fixtures.expose(json, AddressFamily.IPV4, Protocol.TCP).at(22).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void nativeNftTextJsonAndHandlesAgree() {
        String v4 = "accept 22,80,1024-5999,6011-9998,10000-65535 | drop 1-20,24-79,81-1023,6000-6010,9999 | reject 21,23"
                + " || accept 53,5000-5100 | drop 1-52,54-66,69-4999,5101-65535 | reject 67-68";
        String v6 = "accept 22,80,1024-2999,3001-5999,6011-65535 | drop 1-20,24-79,81-1023,3000,6000-6010 | reject 21,23"
                + " || accept 53,5000-5100 | drop 1-52,54-66,69-4999,5101-65535 | reject 67-68";
        for (String f : List.of("captured/nft-native.txt", "captured/nft-native-a.txt", "captured/nft-native.json")) {
            Ruleset rs = clean(f);
            assertThat(both(rs, AddressFamily.IPV4)).as(f).isEqualTo(v4);
            assertThat(both(rs, AddressFamily.IPV6)).as(f).isEqualTo(v6);
            Exposure tcp = Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP);
            assertThat(tcp.at(21).rejectWith()).isEqualTo("tcp-reset");
            assertThat(tcp.at(443).rule().isPolicy()).as("goto web returns past input: policy").isTrue();
        }
        Ruleset a = clean("captured/nft-native-a.txt");
        assertThat(a.tables().get(0).chain("input").rules().get(0).handle()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"captured/iptables-S.txt", "captured/iptables-S-v.txt", "captured/iptables-L-v-n-line.txt",
            "captured/iptables-L-v-x-n.txt", "captured/iptables-L-v.txt"})
    void filterTableFormatsAgree(String path) {
        String ref = both(filterOnly(clean("captured/iptables-save.txt")), AddressFamily.IPV4);
        assertThat(both(clean(path), AddressFamily.IPV4)).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"captured/iptables-L.txt", "captured/iptables-L-n.txt", "captured/iptables-L-line.txt"})
    void listingsWithoutVerboseDifferOnlyWhereInterfacesHide(String path) {
        Ruleset rs = clean(path);
        assertThat(rs.interfacesHidden()).isTrue();
        Exposure udp = Fixtures.expose(rs, AddressFamily.IPV4, Protocol.UDP);
        // "! -i eth+ ... dpt:5353" shows as a plain accept
        assertThat(udp.at(5353).verdict()).isEqualTo(Verdict.ACCEPT);
        String ref = both(filterOnly(clean("captured/iptables-save.txt")), AddressFamily.IPV4);
        assertThat(Fixtures.summary(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP))).isEqualTo(ref.split(" \\|\\| ")[0]);
    }

    @Test
    void ip6tablesFormatsAgree() {
        String ref = both(filterOnly(clean("captured/ip6tables-save.txt")), AddressFamily.IPV6);
        assertThat(both(clean("captured/ip6tables-L-v-n-line.txt"), AddressFamily.IPV6)).isEqualTo(ref);
        assertThat(both(clean("captured/ip6tables-S.txt"), AddressFamily.IPV6)).isEqualTo(ref);
        Ruleset l = clean("captured/ip6tables-L.txt");
        assertThat(l.tables().get(0).family()).isEqualTo(TableFamily.IP6);
        assertThat(clean("captured/ip6tables-save.txt").tables().get(0).family()).isEqualTo(TableFamily.IP6);
    }

    @Test
    void detection() {
        assertThat(FirewallFormat.detect(Fixtures.read("captured/iptables-save.txt"))).hasValue("iptables-save");
        assertThat(FirewallFormat.detect(Fixtures.read("captured/ip6tables-save.txt"))).hasValue("ip6tables-save");
        assertThat(FirewallFormat.detect(Fixtures.read("captured/iptables-S.txt"))).hasValue("iptables-S");
        assertThat(FirewallFormat.detect(Fixtures.read("captured/iptables-L.txt"))).hasValue("iptables-L");
        assertThat(FirewallFormat.detect(Fixtures.read("captured/ip6tables-L.txt"))).hasValue("ip6tables-L");
        assertThat(FirewallFormat.detect(Fixtures.read("seed/a440-iptables-L.txt"))).hasValue("iptables-L");
        assertThat(FirewallFormat.detect(Fixtures.read("captured/nft-from-iptables.txt"))).hasValue("nft");
        assertThat(FirewallFormat.detect(Fixtures.read("captured/nft-from-iptables.json"))).hasValue("nft-json");
        assertThat(FirewallFormat.detect("Proto Recv-Q Send-Q Local Address")).isEmpty();
    }

    @Test
    void explicitOverrideWins() {
        Problems p = new Problems();
        Ruleset rs = FirewallFormat.parse("iptables-S", "x", "-P INPUT DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n",
                io.portaudit.model.ServiceNames.iana(), p);
        assertThat(p.list()).isEmpty();
        assertThat(Fixtures.summary(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP))).isEqualTo("accept 22 | drop 1-21,23-65535");
        List<String> warnings = FirewallFormat.parse(null, "w", "# Warning: iptables-legacy tables present, use iptables-legacy to see them\n"
                + Fixtures.read("captured/iptables-L.txt"), io.portaudit.model.ServiceNames.iana(), p).warnings();
        assertThat(warnings).containsExactly("# Warning: iptables-legacy tables present, use iptables-legacy to see them");
    }
}
