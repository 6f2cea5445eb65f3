package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFormatsTest {
    @TempDir
    Path dir;

    /** The 440 as the seed saw it: 21/23/80 open, 841 closed, 156 filtered (port numbers made up). */
    static HostReport host440(String address, boolean telnetOpen) {
        PortTable t = new PortTable(address, ServiceNames.iana());
        int closed = 0, filtered = 0;
        for (int p = 1; closed < 841 || filtered < 156; p++) {
            if (p == 21 || p == 23 || p == 80) continue;
            if (filtered < 156) {
                t.put(new PortResult(address, Protocol.TCP, p, PortState.FILTERED, "no-response", null, null, null, null));
                filtered++;
            } else {
                t.put(new PortResult(address, Protocol.TCP, p + 1000, PortState.CLOSED, "conn-refused", null, null, null, null));
                closed++;
            }
        }
        t.put(new PortResult(address, Protocol.TCP, 21, PortState.OPEN, "syn-ack", "ftp", "vsftpd", "3.0.3", "220 (vsFTPd 3.0.3)\r\n<&\"\u0001"));
        t.put(new PortResult(address, Protocol.TCP, 23, telnetOpen ? PortState.OPEN : PortState.CLOSED, telnetOpen ? "syn-ack" : "conn-refused",
                "telnet", null, null, null));
        t.put(new PortResult(address, Protocol.TCP, 80, PortState.OPEN, "syn-ack", "http", null, null, null));
        return new HostReport(address, true, "user-set", 300, 1_700_000_000_000L, 1_700_000_001_000L, false, t);
    }

    static ScanListener.ScanInfo info() {
        return new ScanListener.ScanInfo("portaudit scan 10.77.2.2", 1_700_000_000_000L, PortSet.range(1, 1000), PortSet.empty(), "test");
    }

    private Path writeXml(String name, HostReport h, boolean finish) throws IOException {
        Path p = dir.resolve(name);
        XmlOutput x = XmlOutput.toFile(p);
        x.started(info());
        x.host(h);
        if (finish) x.finished(new ScanListener.ScanSummary(1_700_000_002_000L, 2.0, 1, 0, false, ""));
        return p;
    }

    private static boolean have(String tool) {
        return new File("/usr/bin/" + tool).canExecute();
    }

    @Test
    void normalOutputMatchesNmapsLayout() {
        StringWriter sw = new StringWriter();
        NormalOutput n = new NormalOutput(new PrintWriter(sw), false, false, false);
        n.host(host440("10.77.2.2", true));
        String text = sw.toString();
        assertThat(text).contains("Not shown: 841 closed tcp ports (conn-refused), 156 filtered tcp ports (no-response)")
                .contains("PORT   STATE SERVICE\n21/tcp open  ftp\n23/tcp open  telnet\n80/tcp open  http\n");
        // and our own reader reads it back
        var r = NmapOutputs.read("own", text);
        assertThat(r.count(PortState.OPEN)).isEqualTo(3);
        assertThat(r.count(PortState.CLOSED)).isEqualTo(841);
        assertThat(r.count(PortState.FILTERED)).isEqualTo(156);
    }

    @Test
    void grepableOutput() {
        StringWriter sw = new StringWriter();
        new GrepOutput(new PrintWriter(sw)).host(host440("10.77.2.2", true));
        assertThat(sw.toString()).contains("Host: 10.77.2.2 ()\tPorts: 21/open/tcp//ftp//vsftpd 3.0.3/, 23/open/tcp//telnet///, 80/open/tcp//http///")
                .contains("Ignored State: ");
    }

    @Test
    void xmlReadsBackAndEscapesBanners() throws IOException {
        Path p = writeXml("a.xml", host440("10.77.2.2", true), true);
        String xml = Files.readString(p);
        assertThat(xml).contains("<extraports state=\"closed\" count=\"841\">").contains("exit=\"success\"");
        assertThat(xml).doesNotContain("\u0001");
        var r = NmapOutputs.read("a.xml", xml);
        assertThat(r.problems()).isEmpty();
        assertThat(r.count(PortState.OPEN)).isEqualTo(3);
        assertThat(r.count(PortState.FILTERED)).isEqualTo(156);
        assertThat(r.ports().get(0).banner()).startsWith("220 (vsFTPd 3.0.3)\\r\\n<&\"");
        // extrareasons name every hidden port, so the audit can know each port's state
        assertThat(r.notShown()).extracting(NmapOutputs.NotShown::state, n -> n.ports().size(), NmapOutputs.NotShown::protocol)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(PortState.CLOSED, 841, Protocol.TCP),
                        org.assertj.core.groups.Tuple.tuple(PortState.FILTERED, 156, Protocol.TCP));
        assertThat(r.notShown().stream().filter(n -> n.state() == PortState.FILTERED).findFirst().orElseThrow().ports().contains(1)).isTrue();
    }

    @Test
    void xmllintFindsCompleteAndPartialFilesWellFormed() throws IOException {
        io.portaudit.lab.LabExtension.require(have("xmllint"), "xmllint (libxml2-utils)");
        Path done = writeXml("done.xml", host440("10.77.2.2", true), true);
        Path partial = writeXml("partial.xml", host440("10.77.2.2", true), false);  // as if killed after one host
        for (Path p : List.of(done, partial)) {
            Lab.Result r = Lab.run(Duration.ofSeconds(30), "xmllint", "--noout", p.toString());
            assertThat(r.exit()).as(r.err()).isZero();
        }
        assertThat(Files.readString(partial)).contains("exit=\"error\"").contains("errormsg=\"partial: scan in progress\"");
    }

    @Test
    void ndiffReportsTheChangedPort() throws IOException {
        io.portaudit.lab.LabExtension.require(have("ndiff"), "ndiff");
        Path a = writeXml("before.xml", host440("10.77.2.2", true), true);
        Path b = writeXml("after.xml", host440("10.77.2.2", false), true);
        Lab.Result r = Lab.run(Duration.ofSeconds(30), "ndiff", a.toString(), b.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);  // ndiff: 1 = different
        assertThat(r.out()).contains("10.77.2.2").containsPattern("-23/tcp\\s+open\\s+telnet")
                .contains("+Not shown: 842 closed ports, 156 filtered ports");  // the now-closed port joined the closed ones
        Lab.Result same = Lab.run(Duration.ofSeconds(30), "ndiff", a.toString(), a.toString());
        assertThat(same.exit()).as(same.err() + same.out()).isZero();
    }

    @Test
    void jsonLinesReadBack() {
        StringWriter sw = new StringWriter();
        JsonLinesOutput j = new JsonLinesOutput(new PrintWriter(sw), false);
        j.started(info());
        HostReport h = host440("10.77.2.2", true);
        h.ports().forEach(j::port);
        j.host(h);
        j.finished(new ScanListener.ScanSummary(1, 1, 1, 0, true, "interrupted"));
        var r = NmapOutputs.read("j", sw.toString());
        assertThat(r.problems()).isEmpty();
        assertThat(r.ports()).hasSize(1000);
        assertThat(r.count(PortState.CLOSED)).isEqualTo(841);
        assertThat(sw.toString()).contains("\"partial\":true");
    }
}
