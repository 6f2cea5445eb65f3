package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NmapOutputsTest {
    static String fixture(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/fixtures/scan", name), StandardCharsets.UTF_8);
    }

    @Test
    void seed440NormalOutput() throws IOException {
        String text = fixture("seed-440-nmap.txt");
        assertThat(NmapOutputs.detect(text)).contains(NmapOutputs.NORMAL);
        var r = NmapOutputs.read("seed-440", text);
        assertThat(r.problems()).isEmpty();
        assertThat(r.ports()).extracting(p -> p.port() + "/" + p.protocol().label() + " " + p.state().label() + " " + p.service())
                .containsExactly("21/tcp open ftp", "23/tcp open telnet", "80/tcp open http");
        assertThat(r.ports().get(0).address()).isEqualTo("[ArmadilloのIPアドレス]");
        assertThat(r.notShown()).hasSize(2);
        assertThat(r.count(PortState.CLOSED)).isEqualTo(841);
        assertThat(r.count(PortState.FILTERED)).isEqualTo(156);
        assertThat(r.count(PortState.OPEN)).isEqualTo(3);
        assertThat(r.hostsUp()).containsExactly("[ArmadilloのIPアドレス]");
    }

    @Test
    void seedG3NormalOutput() throws IOException {
        var r = NmapOutputs.read("seed-g3", fixture("seed-g3-nmap.txt"));
        assertThat(r.ports()).singleElement().satisfies(p -> {
            assertThat(p.port()).isEqualTo(80);
            assertThat(p.protocol()).isEqualTo(Protocol.TCP);
        });
        assertThat(r.count(PortState.CLOSED)).isEqualTo(999);
    }

    @Test
    void modernNormalOutputWithReasonsAndVersions() {
        String text = """
                Nmap scan report for dev.local (10.77.2.2)
                Host is up, received user-set (0.00030s latency).
                Not shown: 841 closed tcp ports (conn-refused), 156 filtered tcp ports (no-response)
                PORT   STATE SERVICE REASON  VERSION
                21/tcp open  ftp     syn-ack vsftpd 3.0.3
                53/udp open|filtered domain no-response
                99/tcp weird  x
                """;
        var r = NmapOutputs.read("t", text);
        assertThat(r.ports()).hasSize(3);
        assertThat(r.ports().get(0).address()).isEqualTo("10.77.2.2");
        assertThat(r.ports().get(0).reason()).isEqualTo("syn-ack");
        assertThat(r.ports().get(0).product()).isEqualTo("vsftpd 3.0.3");
        assertThat(r.ports().get(1).state()).isEqualTo(PortState.OPEN_FILTERED);
        assertThat(r.ports().get(2).state()).isEqualTo(PortState.OPEN_FILTERED);  // unknown: possibly open
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(7));
        assertThat(r.notShown()).extracting(n -> n.protocol()).containsOnly(Protocol.TCP);
        assertThat(r.notShown().get(0).reason()).isEqualTo("conn-refused");
    }

    @Test
    void nmapXml() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE nmaprun>
                <nmaprun scanner="nmap" args="nmap -sT 10.77.2.2" start="1" version="7.93" xmloutputversion="1.05">
                <host><status state="up" reason="user-set"/><address addr="10.77.2.2" addrtype="ipv4"/>
                <ports><extraports state="closed" count="841"><extrareasons reason="conn-refused" count="841"/></extraports>
                <extraports state="filtered" count="156"/>
                <port protocol="tcp" portid="21"><state state="open" reason="syn-ack"/><service name="ftp" product="vsftpd" version="3.0.3"/></port>
                </ports></host></nmaprun>
                """;
        assertThat(NmapOutputs.detect(xml)).contains(NmapOutputs.XML);
        var r = NmapOutputs.read("x", xml);
        assertThat(r.problems()).isEmpty();
        assertThat(r.ports()).singleElement().satisfies(p -> {
            assertThat(p.product()).isEqualTo("vsftpd");
            assertThat(p.version()).isEqualTo("3.0.3");
        });
        assertThat(r.count(PortState.CLOSED)).isEqualTo(841);
        assertThat(r.count(PortState.FILTERED)).isEqualTo(156);
        assertThat(r.hostsUp()).containsExactly("10.77.2.2");
    }

    @Test
    void brokenXmlIsAProblemWithItsLineNotAnException() {
        var r = NmapOutputs.read("x", "<?xml version=\"1.0\"?>\n<nmaprun>\n<host><ports><port protocol=\"tcp\" portid=\"1\">");
        assertThat(r.problems()).isNotEmpty();
        assertThat(r.problems().get(0).line()).isPositive();
    }

    @Test
    void xmlExternalEntitiesAreNeverResolved() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE nmaprun [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<nmaprun><host><address addr=\"10.77.2.2\"/><ports><port protocol=\"tcp\" portid=\"1\"><state state=\"open\"/>"
                + "<service name=\"&x;\"/></port></ports></host></nmaprun>";
        var r = NmapOutputs.read("x", xml);
        assertThat(r.ports()).allSatisfy(p -> assertThat(String.valueOf(p.service())).doesNotContain("root:"));
    }

    @Test
    void billionLaughsIsReportedAsAnEntityBombNotAsAPartialFile() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : String.valueOf(i - 1)) + ";").repeat(10)).append("\">\n");
        }
        String xml = dtd + "]>\n<nmaprun><host><address addr=\"10.77.2.2\"/><ports><port protocol=\"tcp\" portid=\"1\">"
                + "<state state=\"open\"/><service name=\"&lol9;\"/></port></ports></host></nmaprun>\n";
        var r = NmapOutputs.read("bomb.xml", xml);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("entity").doesNotContain("partial file").doesNotContain("not well-formed");
            assertThat(p.line()).isEqualTo(3);   // the first entity declaration
        });
        assertThat(r.ports()).isEmpty();
    }

    @Test
    void jsonLines() {
        String text = "{\"type\":\"start\"}\n{\"type\":\"port\",\"address\":\"127.0.0.1\",\"protocol\":\"tcp\",\"port\":22,"
                + "\"state\":\"open\",\"reason\":\"syn-ack\",\"banner\":\"SSH-2.0-x\\r\\n\"}\nnot json\n";
        assertThat(NmapOutputs.detect(text)).contains(NmapOutputs.JSON_LINES);
        var r = NmapOutputs.read("j", text);
        assertThat(r.ports()).singleElement().satisfies(p -> assertThat(p.banner()).isEqualTo("SSH-2.0-x\r\n"));
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(3));
    }

    @Test
    void otherTextIsNotDetected() {
        assertThat(NmapOutputs.detect("Chain INPUT (policy DROP)\n")).isEmpty();
        assertThat(NmapOutputs.read("y", "hello").problems()).hasSize(1);
    }

    @Test
    void realNmapOutputsOfTheLab440() throws IOException {
        // captured from nmap 7.93 -sT -T4 --top-ports 1000 against the lab's pa-440
        var xml = NmapOutputs.read("xml", fixture("nmap-pa440-top1000.xml"));
        assertThat(xml.problems()).isEmpty();
        assertThat(xml.ports()).extracting(p -> p.port()).containsExactly(21, 23, 80);
        assertThat(xml.count(PortState.CLOSED)).isEqualTo(841);
        assertThat(xml.count(PortState.FILTERED)).isEqualTo(156);
        assertThat(xml.notShown()).allSatisfy(n -> assertThat(n.ports().size()).isEqualTo(n.count()));
        var normal = NmapOutputs.read("nmap", fixture("nmap-pa440-top1000.nmap"));
        assertThat(normal.problems()).isEmpty();
        assertThat(normal.count(PortState.OPEN)).isEqualTo(3);
        assertThat(normal.count(PortState.CLOSED)).isEqualTo(841);
        assertThat(normal.count(PortState.FILTERED)).isEqualTo(156);
        assertThat(normal.hostsUp()).containsExactly("10.77.2.2");
    }
}
