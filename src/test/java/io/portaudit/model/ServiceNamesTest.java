package io.portaudit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServiceNamesTest {
    private final ServiceNames iana = ServiceNames.iana();

    @Test
    void resolvesEveryNameInTheSeedListings() {
        // iptables -L of the Armadillo-440 and netstat -a of both boards
        assertThat(iana.port("http", Protocol.TCP)).hasValue(80);
        assertThat(iana.port("telnet", Protocol.TCP)).hasValue(23);
        assertThat(iana.port("ftp", Protocol.TCP)).hasValue(21);
        assertThat(iana.port("snmp", Protocol.TCP)).hasValue(161);
        assertThat(iana.port("ssh", Protocol.TCP)).hasValue(22);
        assertThat(iana.port("ftp-data", Protocol.TCP)).hasValue(20);
        assertThat(iana.port("auth", Protocol.TCP)).hasValue(113);
        assertThat(iana.port("x11", Protocol.TCP)).hasValue(6000);
        assertThat(iana.port("ntp", Protocol.UDP)).hasValue(123);
        assertThat(iana.port("snmp", Protocol.UDP)).hasValue(161);
        assertThat(iana.port("ssh", Protocol.UDP)).hasValue(22);
        assertThat(iana.port("mdns", Protocol.UDP)).hasValue(5353);
    }

    @Test
    void namesPortsTheWayListingsDo() {
        assertThat(iana.name(80, Protocol.TCP)).hasValue("http");
        assertThat(iana.name(113, Protocol.TCP)).hasValueSatisfying(n -> assertThat(n).isIn("ident", "auth"));
        assertThat(iana.name(6000, Protocol.TCP)).hasValue("x11");
        assertThat(iana.name(20, Protocol.TCP)).hasValue("ftp-data");
        assertThat(iana.name(123, Protocol.UDP)).hasValue("ntp");
        assertThat(iana.name(5353, Protocol.UDP)).hasValue("mdns");
    }

    @Test
    void aDevicesServicesFileOverridesTheRegistry() {
        Problems problems = new Problems();
        ServiceNames dev = iana.withServicesText("device-services", String.join("\n",
                "# a board's own /etc/services",
                "myapp\t22222/udp\t\tmyapp-alias  # vendor daemon",
                "www\t\t80/tcp",
                "auth\t\t113/tcp\t\tauthentication tap ident",
                "sctpthing\t9/sctp"), problems);
        assertThat(problems.isEmpty()).isTrue();
        assertThat(dev.port("myapp", Protocol.UDP)).hasValue(22222);
        assertThat(dev.port("MYAPP-ALIAS", Protocol.UDP)).hasValue(22222);
        assertThat(dev.name(22222, Protocol.UDP)).hasValue("myapp");
        assertThat(dev.name(80, Protocol.TCP)).hasValue("www");
        assertThat(dev.name(113, Protocol.TCP)).hasValue("auth");
        assertThat(dev.port("myapp", Protocol.TCP)).isEmpty();
        // the registry itself is untouched
        assertThat(iana.port("myapp", Protocol.UDP)).isEmpty();
    }

    @Test
    void badServicesLinesAreReportedWithTheirLine() {
        Problems problems = new Problems();
        iana.withServicesText("svc", "ok 1/tcp\nbroken-line\nneg 99999/tcp\n", problems);
        assertThat(problems.list()).extracting(ParseProblem::line).containsExactly(2, 3);
        assertThat(problems.list().get(1).format()).startsWith("svc:3:").contains("bad port number '99999'");
    }

    @Test
    void anUnknownNameIsAnErrorWithItsLineNeverAGuess() {
        Problems problems = new Problems();
        String line = "ACCEPT     tcp  --  anywhere   anywhere   tcp dpt:no-such-svc";
        OptionalInt v = iana.resolve("no-such-svc", Protocol.TCP, "iptables-L.txt", 7, 62, line, problems);
        assertThat(v).isEmpty();
        assertThat(problems.list()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.column()).isEqualTo(62);
            assertThat(p.severity()).isEqualTo(ParseProblem.Severity.ERROR);
            assertThat(p.format()).startsWith("iptables-L.txt:7:62: error: unknown service name 'no-such-svc' for tcp");
        });
    }

    @Test
    void numbersPassThroughAndOutOfRangeIsAnError() {
        Problems problems = new Problems();
        assertThat(iana.resolve("6010", Protocol.TCP, "f", 1, 1, "", problems)).hasValue(6010);
        assertThat(iana.resolve("65536", Protocol.TCP, "f", 2, 1, "", problems)).isEmpty();
        assertThat(problems.list()).singleElement().extracting(ParseProblem::line).isEqualTo(2);
    }

    @Test
    void problemListIsBounded() {
        Problems problems = new Problems(3);
        for (int i = 0; i < 10; i++) problems.add(ParseProblem.error("f", i, 1, "", "x"));
        assertThat(problems.size()).isEqualTo(3);
        assertThat(problems.dropped()).isEqualTo(7);
    }
}
