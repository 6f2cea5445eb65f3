package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.Main;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.ServiceNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FirewallCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Path fixture(String name) throws Exception {
        Path p = dir.resolve(name.replace('/', '_'));
        Files.writeString(p, Fixtures.read(name));
        return p;
    }

    @Test
    void textTableForTheSeed() throws Exception {
        Run r = run("firewall", "--services", fixture("captured/etc-services").toString(), fixture("seed/a440-iptables-L.txt").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("(backend: iptables)").contains("ipv4 tcp:")
                .containsPattern("\\n  1024-5999 +accept +filter INPUT rule 11: ACCEPT tcp -- anywhere anywhere tcp dpts:1024:65535")
                .containsPattern("\\n  113 +reject +\\(icmp-port-unreachable\\)")
                .contains("ipv6: no ruleset seen").contains("[medium] ambiguous-listing");
    }

    @Test
    void jsonShape() throws Exception {
        Run r = run("firewall", "--json", fixture("seed/a440-iptables-L.txt").toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode tcp = root.get("exposures").get(0);
        assertThat(tcp.get("family").asText()).isEqualTo("ipv4");
        assertThat(tcp.get("protocol").asText()).isEqualTo("tcp");
        JsonNode first = tcp.get("ranges").get(0);
        assertThat(first.get("range").get("from").asInt()).isEqualTo(1);
        assertThat(first.get("range").get("to").asInt()).isEqualTo(19);
        assertThat(first.get("verdict").asText()).isEqualTo("drop");
        assertThat(first.get("rule").get("index").asInt()).isZero();
        assertThat(root.get("findings").get(0).get("id").asText()).isEqualTo("ambiguous-listing");
        assertThat(root.get("problems").isArray()).isTrue();
        assertThat(root.get("backend").asText()).isEqualTo("iptables");
    }

    @Test
    void problemsLikeACompilerAndExitCodes() throws Exception {
        Run r = run("firewall", fixture("broken/iptables-save-broken.txt").toString());
        // a line that could hold a rule was not read: the answer is incomplete (exit 3) unless accepted
        assertThat(r.exit()).isEqualTo(3);
        assertThat(run("firewall", "--accept-unreadable", fixture("broken/iptables-save-broken.txt").toString()).exit()).isZero();
        assertThat(r.err()).containsPattern("broken_iptables-save-broken.txt:3:\\d+: error: port number out of range: 99999");
        assertThat(run("firewall", fixture("broken/nft-truncated.json").toString()).exit()).isEqualTo(2);
        assertThat(run("firewall", dir.resolve("missing.txt").toString()).exit()).isEqualTo(2);
        assertThat(run("firewall", "--format", "nosuch", fixture("seed/g3-iptables-L.txt").toString()).exit()).isEqualTo(2);
    }

    @Test
    void traceAndFormatOverride() throws Exception {
        Path save = fixture("captured/iptables-save.txt");
        Run r = run("firewall", "--trace", "tcp/8080", "--iface", "eth0", "iptables-save:" + save);
        assertThat(r.out()).contains("port changed to 80 by PREROUTING rule 1").contains("verdict: accept by filter services rule 2");
        Run s = run("firewall", "--trace", "tcp/22", "--src", "192.168.10.66", save.toString());
        assertThat(s.out()).contains("blocklist #1 match -> DROP").endsWith("verdict: drop by filter blocklist rule 1\n");
        assertThat(run("firewall", "--trace", "tcp/x", save.toString()).exit()).isEqualTo(2);
    }

    @Test
    void snapshotEntryPoint() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        DeviceSnapshot snap = new DeviceSnapshot("input", "dev", t, List.of(
                new Capture(DeviceSnapshot.KIND_IPTABLES_SAVE, "iptables-save", 0, Fixtures.read("lab/440/iptables-save.txt"),
                        "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n", t, "input", false),
                new Capture(DeviceSnapshot.KIND_IP6TABLES_SAVE, "ip6tables-save", 0, "", "", t, "input", false),
                new Capture(DeviceSnapshot.KIND_PROC_NET_TCP, "/proc/net/tcp", null, "sl local", "", t, "input", false)), false, List.of());
        FirewallView v = Firewall.analyze(snap, ServiceNames.iana());
        // ip6tables-save ran and printed nothing: no IPv6 rules at all, so IPv6 accepts everything
        assertThat(v.rulesets()).hasSize(2);
        assertThat(v.findings()).filteredOn(f -> f.id().equals("ipv6-unfiltered")).extracting(f -> f.severity().label()).containsOnly("high");
        assertThat(v.findings()).extracting(f -> f.id()).contains("backend-conflict", "ipv6-unfiltered", "wide-accept-range");
        assertThat(FirewallFormat.detect(Fixtures.read("lab/440/iptables-save.txt"))).hasValue(DeviceSnapshot.KIND_IPTABLES_SAVE);
    }

    @Test
    void iptablesNftTablesAreNotCountedTwice() {
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "save", Fixtures.read("lab/440/iptables-save.txt")),
                new LabeledText(null, "nft", Fixtures.read("lab/440/nft.txt"))), ServiceNames.iana());
        assertThat(v.rulesets().get(1).tables()).isEmpty();
        assertThat(v.findings()).filteredOn(f -> f.id().equals("wide-accept-range")).hasSize(2);
    }

    @Test
    void shadowedNftRuleNamesItsHandle() {
        String text = "table inet f { # handle 3\n\tchain input { # handle 1\n\t\ttype filter hook input priority filter; policy drop;\n"
                + "\t\ttcp dport 1-1000 accept # handle 4\n\t\ttcp dport 22 drop # handle 5\n\t}\n}\n";
        FirewallView v = Firewall.analyze(List.of(new LabeledText(null, "nft-a.txt", text)), ServiceNames.iana());
        assertThat(v.findings()).filteredOn(f -> f.id().equals("shadowed-rule")).singleElement()
                .satisfies(f -> assertThat(f.remedy().get(0)).startsWith("nft delete rule inet f input handle 5"));
    }
}
