package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntaxTest {
    private final ServiceNames names = ServiceNames.iana();

    @Test
    void portListsRangesAndOpenEnds() {
        PortSpec p = PortSpec.parse("22,80,1000-2000", names);
        assertThat(p.ok()).isTrue();
        assertThat(p.tcp().toString()).isEqualTo("22,80,1000-2000");
        assertThat(p.udp()).isEqualTo(p.tcp());
        assertThat(PortSpec.parse("-", names).tcp()).isEqualTo(PortSet.all());
        assertThat(PortSpec.parse("60000-", names).tcp().toString()).isEqualTo("60000-65535");
        assertThat(PortSpec.parse("-100", names).tcp().toString()).isEqualTo("1-100");
    }

    @Test
    void protocolPrefixesApplyUntilTheNextPrefix() {
        PortSpec p = PortSpec.parse("T:21-25,80,U:53,161", names);
        assertThat(p.tcp().toString()).isEqualTo("21-25,80");
        assertThat(p.udp().toString()).isEqualTo("53,161");
    }

    @Test
    void serviceNamesResolvePerProtocol() {
        PortSpec p = PortSpec.parse("http,ssh", names);
        assertThat(p.tcp().toString()).isEqualTo("22,80");
    }

    @Test
    void badItemsAreProblemsWithTheirColumn() {
        PortSpec p = PortSpec.parse("22,99999,nosuchservice", names);
        assertThat(p.ok()).isFalse();
        assertThat(p.problems()).hasSize(2);
        assertThat(p.problems().get(0).column()).isEqualTo(4);
        assertThat(p.problems().get(1).column()).isEqualTo(10);
        assertThat(p.tcp().toString()).isEqualTo("22");
        assertThat(PortSpec.parse("", names).ok()).isFalse();
        assertThat(PortSpec.parse("30-20", names).ok()).isFalse();
    }

    @Test
    void topPortsFromAnNmapServicesText() {
        String text = "# comment\nftp\t21/tcp\t0.197667\t# File Transfer\nssh\t22/tcp\t0.182286\n"
                + "telnet\t23/tcp\t0.221265\nhttp\t80/tcp\t0.484143\ndomain\t53/udp\t0.213496\nbad line\n";
        PortFrequencies f = PortFrequencies.parse(text, "test");
        assertThat(f.top(Protocol.TCP, 2).toString()).isEqualTo("23,80");
        assertThat(f.top(Protocol.TCP, 4).toString()).isEqualTo("21-23,80");
        assertThat(f.top(Protocol.UDP, 1).toString()).isEqualTo("53");
        // beyond the table: filled with the lowest free ports
        assertThat(f.top(Protocol.TCP, 6).toString()).isEqualTo("1-2,21-23,80");
    }

    @Test
    void nmapServicesWithCrlfSpacesTiesAndJunk() {
        String text = "  \r\nx 99999/tcp 0.9\r\ny 7/sctp 0.9\r\nz 8/tcp nan-ish\r\na   9/tcp   0.5 \r\n"
                + "b 10/tcp 0.5\r\nc 11/tcp 0.7\r\n#d 12/tcp 0.99\r\ne 13\r\nf 14/tcp\r\nlast 15/udp 0.1";
        PortFrequencies f = PortFrequencies.parse(text, "test");
        // 0.7 first, then the 0.5 tie in file order; out-of-range, SCTP, bad numbers, comments skipped
        assertThat(PortFrequencies.parse(text, "t").top(Protocol.TCP, 3).toString()).isEqualTo("9-11");
        assertThat(f.top(Protocol.TCP, 2).toString()).isEqualTo("9,11");
        assertThat(f.top(Protocol.TCP, 1).toString()).isEqualTo("11");
        assertThat(f.top(Protocol.UDP, 1).toString()).isEqualTo("15");
    }

    @Test
    void builtinListHasNoDuplicatesAndCoversTheSeedPorts() {
        PortFrequencies f = PortFrequencies.builtin();
        assertThat(f.top(Protocol.TCP, 1000).size()).isEqualTo(1000);
        assertThat(f.top(Protocol.TCP, 20).contains(21)).isTrue();
        assertThat(f.top(Protocol.TCP, 20).contains(23)).isTrue();
        assertThat(f.top(Protocol.TCP, 20).contains(80)).isTrue();
    }

    private static List<String> all(TargetSpec s) {
        List<String> out = new ArrayList<>();
        for (InetAddress a : s) out.add(a.getHostAddress());
        return out;
    }

    private static TargetSpec t(String... targets) {
        return TargetSpec.parse(List.of(targets), List.of(), true);
    }

    @Test
    void ipv4RangesListsAndCidr() {
        assertThat(all(t("10.77.1.1-3"))).containsExactly("10.77.1.1", "10.77.1.2", "10.77.1.3");
        assertThat(all(t("10.77.1-3.2"))).containsExactly("10.77.1.2", "10.77.2.2", "10.77.3.2");
        assertThat(all(t("10.77.1.1,5,9-10"))).containsExactly("10.77.1.1", "10.77.1.5", "10.77.1.9", "10.77.1.10");
        assertThat(all(t("10.77.2.0/30"))).containsExactly("10.77.2.0", "10.77.2.1", "10.77.2.2", "10.77.2.3");
        assertThat(all(t("10.77.2.9/30"))).first().isEqualTo("10.77.2.8");
        assertThat(t("10.77.0.0/16").size().intValue()).isEqualTo(65536);
        assertThat(t("10.77.*.1").size().intValue()).isEqualTo(256);
    }

    @Test
    void aSlash16IsIteratedLazily() {
        TargetSpec s = t("10.77.0.0/16");
        var it = s.iterator();
        String last = null;
        int n = 0;
        while (it.hasNext()) {
            last = it.next().getHostAddress();
            n++;
        }
        assertThat(n).isEqualTo(65536);
        assertThat(last).isEqualTo("10.77.255.255");
    }

    @Test
    void ipv6LiteralsPrefixesAndScopes() {
        assertThat(all(t("fd77:2::2"))).containsExactly("fd77:2:0:0:0:0:0:2");
        assertThat(all(t("fd77:2::/126"))).hasSize(4).last().isEqualTo("fd77:2:0:0:0:0:0:3");
        TargetSpec scoped = t("fe80::1%1");
        assertThat(scoped.ok()).isTrue();
        assertThat(all(scoped).get(0)).startsWith("fe80:0:0:0:0:0:0:1%");
    }

    @Test
    void exclusionsRemoveAddresses() {
        TargetSpec s = TargetSpec.parse(List.of("10.77.1.1-6"), List.of("10.77.1.2", "10.77.1.4-5"), true);
        assertThat(all(s)).containsExactly("10.77.1.1", "10.77.1.3", "10.77.1.6");
    }

    @Test
    void namesNeedDnsUnlessLocalhost() {
        TargetSpec s = t("device.example");
        assertThat(s.ok()).isFalse();
        assertThat(s.problems().get(0).message()).contains("-n");
        assertThat(all(t("localhost"))).hasSize(1);
        TargetSpec resolved = TargetSpec.parse(List.of("device.example"), List.of(), false,
                n -> InetAddress.getByName("10.77.2.2"));
        assertThat(all(resolved)).containsExactly("10.77.2.2");
    }

    @Test
    void badTargetsAreProblemsNotExceptions() {
        for (String bad : List.of("10.77.1.256", "10.77.1.1/33", "10.77.1.5-2", "fd77::/129", "a b%c", "10.77..1")) {
            TargetSpec s = t(bad);
            assertThat(s.ok()).as(bad).isFalse();
        }
    }

    @Test
    void inputListsIgnoreCommentsAndBlankLines() {
        assertThat(TargetSpec.readList("# lab\n10.77.1.2 10.77.2.2\n\n  fd77:1::2  # g3 v6\n"))
                .containsExactly("10.77.1.2", "10.77.2.2", "fd77:1::2");
    }
}
