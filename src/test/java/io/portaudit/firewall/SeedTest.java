package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.Verdict;
import org.junit.jupiter.api.Test;

class SeedTest {
    @Test
    void armadillo440ListingGivesTheExactExposure() {
        Problems problems = new Problems();
        Ruleset rs = Fixtures.parse("seed/a440-iptables-L.txt", problems);
        assertThat(problems.list()).isEmpty();
        assertThat(rs.format()).isEqualTo("iptables-L");
        assertThat(rs.interfacesHidden()).isTrue();
        Exposure tcp = Fixtures.expose(rs, AddressFamily.IPV4, Protocol.TCP);
        assertThat(tcp.ports(Verdict.ACCEPT)).hasToString("20-23,80,161,1024-5999,6011-65535");
        assertThat(tcp.ports(Verdict.REJECT)).hasToString("113");
        assertThat(tcp.at(113).rejectWith()).isEqualTo("icmp-port-unreachable");
        assertThat(tcp.ports(Verdict.DROP)).hasToString("1-19,24-79,81-112,114-160,162-1023,6000-6010");
        assertThat(tcp.at(6005).rule().index()).isEqualTo(10);
        assertThat(tcp.at(5).rule().isPolicy()).isTrue();
        assertThat(tcp.ports(Verdict.UNKNOWN).isEmpty()).isTrue();
        Exposure udp = Fixtures.expose(rs, AddressFamily.IPV4, Protocol.UDP);
        assertThat(udp.ports(Verdict.ACCEPT)).hasToString("22,123,161,1024-65535");
        assertThat(udp.ports(Verdict.DROP)).hasToString("1-21,23-122,124-160,162-1023");
        assertThat(udp.at(22222).rule().index()).isEqualTo(15); // udp dpt:22222
    }

    @Test
    void iotG3ListingAcceptsEverything() {
        Problems problems = new Problems();
        Ruleset rs = Fixtures.parse("seed/g3-iptables-L.txt", problems);
        assertThat(problems.list()).isEmpty();
        for (Protocol p : Protocol.values()) {
            Exposure e = Fixtures.expose(rs, AddressFamily.IPV4, p);
            assertThat(e.ports(Verdict.ACCEPT).isAll()).isTrue();
            assertThat(e.at(1).rule().isPolicy()).isTrue();
        }
    }
}
