package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.Verdict;
import org.junit.jupiter.api.Test;

/** Hand-made rulesets in the shapes devices print, and broken ones. */
class HandmadeTest {
    static Ruleset ok(String path) {
        Problems p = new Problems();
        Ruleset rs = Fixtures.parse(path, p);
        assertThat(p.list()).as(path).filteredOn(x -> x.severity() == ParseProblem.Severity.ERROR).isEmpty();
        return rs;
    }

    static String tcp(Ruleset rs, AddressFamily f) {
        return Fixtures.summary(Fixtures.expose(rs, f, Protocol.TCP));
    }

    static String udp(Ruleset rs, AddressFamily f) {
        return Fixtures.summary(Fixtures.expose(rs, f, Protocol.UDP));
    }

    @Test
    void routerWithManglePreroutingRedirectAndDnat() {
        Ruleset rs = ok("handmade/router-iptables-save.txt");
        assertThat(rs.backend()).as("iptables-save v1.4 existed before the nf_tables backend").isEqualTo("iptables-legacy");
        // 8443 is DNATed to 192.168.1.20:443: forwarded, and FORWARD (policy DROP, no rule) drops it
        assertThat(tcp(rs, AddressFamily.IPV4)).isEqualTo(
                "accept 23,80,2323 | drop 1-21,24-79,81-112,114-2322,2324-65535 | reject 113 | unknown 22");
        assertThat(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP).at(8443).rule().chain()).isEqualTo("FORWARD");
        assertThat(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP).at(8443).redirect().target()).isEqualTo("192.168.1.20:443");
        assertThat(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP).at(7).rule().table()).isEqualTo("mangle");
        assertThat(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP).at(100).rule().chain()).isEqualTo("LOGDROP");
        // --sport 67:68: a remote host picks its source port
        assertThat(udp(rs, AddressFamily.IPV4)).isEqualTo("drop 1-66,69-65535 | unknown 67-68");
    }

    @Test
    void iptablesSWithUserChainAndSourceRestriction() {
        Ruleset rs = ok("handmade/device-iptables-S.txt");
        assertThat(tcp(rs, AddressFamily.IPV4)).isEqualTo("accept 80,443 | drop 1-21,23-79,81-442,444-65535 | unknown 22");
        assertThat(udp(rs, AddressFamily.IPV4)).isEqualTo("accept 5353 | drop 1-5352,5354-65535");
    }

    @Test
    void legacyIp6tablesSave() {
        Ruleset rs = ok("handmade/device-ip6tables-save.txt");
        assertThat(rs.backend()).isEqualTo("iptables-legacy");
        assertThat(rs.tables().get(0).family()).isEqualTo(TableFamily.IP6);
        assertThat(tcp(rs, AddressFamily.IPV6)).isEqualTo("accept 1-5999,6011-65535 | drop 6000-6010");
        assertThat(rs.covers(AddressFamily.IPV4)).isFalse();
    }

    @Test
    void verboseListingWithInterfacesAndServiceRanges() {
        Ruleset rs = ok("handmade/device-iptables-L-v.txt");
        assertThat(rs.interfacesHidden()).isFalse();
        assertThat(tcp(rs, AddressFamily.IPV4)).isEqualTo("drop 1-21,23-79,444-65535 | unknown 22,80-443");
        assertThat(udp(rs, AddressFamily.IPV4)).isEqualTo("drop 1-52,54-65535 | unknown 53");
        Exposure22 e = new Exposure22(rs);
        assertThat(e.onEth0()).isEqualTo(Verdict.ACCEPT);
    }

    record Exposure22(Ruleset rs) {
        Verdict onEth0() {
            return Evaluator.exposure(java.util.List.of(rs), Packet.remote(AddressFamily.IPV4, Protocol.TCP).withIface("eth0")).at(22).verdict();
        }
    }

    @Test
    void nftTextWithMultiLineSetsVmapsAndNat() {
        Ruleset rs = ok("handmade/device-nft.txt");
        assertThat(tcp(rs, AddressFamily.IPV4)).isEqualTo(
                "accept 22,80,443,8080 | drop 1-21,23-79,81-442,444-5554,5556-7999,8101-65535 | reject 5555 | unknown 8000-8079,8081-8100");
        assertThat(Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP).at(5555).rejectWith()).isEqualTo("icmp-admin-prohibited");
        assertThat(tcp(rs, AddressFamily.IPV6)).isEqualTo("accept 22,80,443 | drop 1-21,23-79,81-442,444-5554,5556-65535 | reject 5555");
        assertThat(udp(rs, AddressFamily.IPV4)).isEqualTo("accept 67,123 | drop 1-66,68-122,124-65535");
    }

    @Test
    void nftJsonWithNamedSetRangeAndJump() {
        Ruleset rs = ok("handmade/device-nft.json");
        assertThat(tcp(rs, AddressFamily.IPV4)).isEqualTo("accept 80,443 | drop 1-21,23-79,81-442,444-1999,2011-65535 | unknown 22,2000-2010");
        assertThat(tcp(rs, AddressFamily.IPV6)).isEqualTo("accept 80,443 | drop 1-21,23-79,81-442,444-1999,2011-65535 | reject 22,2000-2010");
        assertThat(udp(rs, AddressFamily.IPV4)).isEqualTo("drop 1-52,54-65535 | reject 53");
        assertThat(Fixtures.expose(rs, AddressFamily.IPV6, Protocol.TCP).at(22).rule().source()).isEqualTo("handmade/device-nft.json:handle 11");
    }

    @Test
    void brokenInputsAreReportedWithPlacesAndReadConservatively() {
        Problems p = new Problems();
        Ruleset l = Fixtures.parse("broken/iptables-L-broken.txt", p);
        assertThat(p.list()).extracting(ParseProblem::line).contains(3, 4, 5, 6);
        assertThat(p.list().get(0).format()).startsWith("broken/iptables-L-broken.txt:3:").contains("unknown service name 'nosuchservice'");
        // the rule whose port cannot be read is kept as an unknown match: possibly open
        assertThat(tcp(l, AddressFamily.IPV4)).isEqualTo("unknown 1-65535");

        p = new Problems();
        Ruleset s = Fixtures.parse("broken/iptables-save-broken.txt", p);
        assertThat(p.list()).extracting(x -> x.line() + ":" + x.severity()).contains("3:ERROR", "4:WARNING", "5:ERROR", "6:ERROR", "7:ERROR");
        // a jump to a chain the save does not declare (every chain is in a save: damaged), and no COMMIT at the end
        assertThat(p.list()).anyMatch(x -> x.line() == 7 + 1 && x.message().contains("not closed by COMMIT"));
        assertThat(tcp(s, AddressFamily.IPV4)).isEqualTo("unknown 1-65535");

        p = new Problems();
        Ruleset n = Fixtures.parse("broken/nft-truncated.txt", p);
        // cut inside a rule: the braces are unbalanced, so what the rest of the chain said (and its policy) is unknown
        assertThat(p.list()).anyMatch(x -> x.severity() == ParseProblem.Severity.ERROR && x.message().startsWith("unbalanced braces"));
        assertThat(tcp(n, AddressFamily.IPV4)).isEqualTo("unknown 1-65535");

        p = new Problems();
        Ruleset j = Fixtures.parse("broken/nft-truncated.json", p);
        assertThat(j.tables()).isEmpty();
        assertThat(p.list().get(0).message()).startsWith("not valid JSON");
    }

    @Test
    void legacyIp6tablesListingWithEmptyOptColumn() {
        Ruleset rs = ok("handmade/legacy-ip6tables-L.txt");
        assertThat(FirewallFormat.detect(Fixtures.read("handmade/legacy-ip6tables-L.txt"))).hasValue("ip6tables-L");
        assertThat(rs.tables().get(0).family()).isEqualTo(TableFamily.IP6);
        assertThat(tcp(rs, AddressFamily.IPV6)).isEqualTo("accept 22,80 | drop 1-21,23-79,81-65535");
        FirewallView v = Firewall.analyze(java.util.List.of(new LabeledText(null, "l6", Fixtures.read("handmade/legacy-ip6tables-L.txt"))),
                io.portaudit.model.ServiceNames.iana());
        assertThat(v.findings()).filteredOn(f -> f.id().equals("ambiguous-listing")).singleElement()
                .satisfies(f -> assertThat(f.remedy().get(1)).contains("ip6tables -D INPUT 1"));
    }
}
