package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed article's three manual checks, reproduced and extended by one command. */
class SeedAuditTest {
    static final String SEED = "src/test/resources/fixtures/seed/";

    static JsonNode json(MainTest.Run r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }

    static List<String> findings(JsonNode root, String id) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : root.path("findings")) {
            if (!f.path("id").asText().equals(id)) continue;
            JsonNode p = f.path("ports");
            out.add(f.path("protocol").asText() + "/" + (p.isNull() || p.isMissingNode() ? "-"
                    : p.path("from").asInt() == p.path("to").asInt() ? p.path("from").asText() : p.path("from").asText() + "-" + p.path("to").asText())
                    + "/" + f.path("family").asText());
        }
        return out;
    }

    static MainTest.Run audit440(String... extra) {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt",
                SEED + "440-nmap.txt"));
        args.addAll(List.of(extra));
        return MainTest.run(args.toArray(String[]::new));
    }

    @Test
    void the440IsReadTheWayTheArticleShouldHaveReadIt() throws Exception {
        MainTest.Run r = audit440();
        assertThat(r.err()).isEmpty();
        JsonNode root = json(r);
        assertThat(root.path("views").path("present")).extracting(JsonNode::asText).containsExactly("firewall", "listeners", "scan");
        assertThat(findings(root, "exposed-service")).contains("tcp/21/ipv4", "tcp/23/ipv4", "tcp/80/ipv4");
        assertThat(findings(root, "insecure-protocol")).contains("tcp/21/ipv4", "tcp/23/ipv4");
        assertThat(findings(root, "open-without-listener")).contains("tcp/20/ipv4", "tcp/22/ipv4", "tcp/161/ipv4",
                "udp/22/ipv4", "udp/123/ipv4", "udp/161/ipv4", "udp/22222/ipv4");
        assertThat(findings(root, "ambiguous-listing")).isNotEmpty();
        assertThat(root.path("findings").findValuesAsText("title")).anyMatch(t -> t.contains("INPUT rule 1"));
        assertThat(findings(root, "ipv6-unfiltered")).contains("tcp/6000/ipv6");
        assertThat(findings(root, "blocked-listener")).containsExactly("tcp/6000/ipv4");
        assertThat(findings(root, "scan-disagrees")).isEmpty();
        assertThat(findings(root, "accept-all-policy")).isEmpty();
        // the exposure the rules give for a remote host (rule 1 read as -i lo)
        for (JsonNode p : root.path("ports")) {
            if (p.path("family").asText().equals("ipv4") && p.path("protocol").asText().equals("tcp")) {
                String v = p.path("firewall").path("verdict").asText();
                switch (p.path("port").asInt()) {
                    case 20, 21, 22, 23, 80, 161 -> assertThat(v).isEqualTo("accept");
                    case 113 -> assertThat(v).isEqualTo("reject");
                    case 6000 -> assertThat(v).isEqualTo("drop");
                    default -> { }
                }
            }
        }
        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void the440PassesItsFactoryProfileAndFailsProductionMinimal() throws Exception {
        MainTest.Run factory = audit440("--profile", "armadillo-440");
        assertThat(factory.exit()).as(factory.out()).isEqualTo(ExitCodes.OK);
        JsonNode root = json(factory);
        assertThat(root.path("summary").path("result").asText()).isEqualTo("pass");
        assertThat(findings(root, "policy-violation")).isEmpty();
        assertThat(root.path("policy").path("product").asText()).isEqualTo("Armadillo-440");

        MainTest.Run minimal = audit440("--profile", "production-minimal");
        assertThat(minimal.exit()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode m = json(minimal);
        assertThat(findings(m, "policy-violation")).contains("tcp/21/ipv4", "tcp/23/ipv4", "tcp/80/ipv4");

        // the G3 profile allows only http: ftp and telnet are what changed
        MainTest.Run g3 = audit440("--profile", "armadillo-iot-g3");
        assertThat(g3.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(findings(json(g3), "policy-violation")).containsExactlyInAnyOrder("tcp/21/ipv4", "tcp/23/ipv4");
    }

    @Test
    void theG3HasAnAcceptAllPolicyAndHttpExposedOnBothFamilies() throws Exception {
        MainTest.Run r = MainTest.run("audit", "--json", "--input", SEED + "g3-iptables-L.txt", SEED + "g3-netstat-a.txt", SEED + "g3l-nmap.txt");
        JsonNode root = json(r);
        assertThat(findings(root, "accept-all-policy")).isNotEmpty();
        assertThat(findings(root, "exposed-service")).contains("tcp/80/ipv4", "tcp/80/ipv6");
        assertThat(findings(root, "scan-disagrees")).isEmpty();
        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        MainTest.Run factory = MainTest.run("audit", "--json", "--profile", "armadillo-iot-g3", "--input", SEED + "g3-iptables-L.txt",
                SEED + "g3-netstat-a.txt", SEED + "g3l-nmap.txt");
        assertThat(factory.exit()).as(factory.out()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void failOnAndReportsAndFixScriptFromOneRun(@TempDir Path dir) throws Exception {
        MainTest.Run critical = audit440("--fail-on", "critical");
        assertThat(critical.exit()).isEqualTo(ExitCodes.OK);
        Path html = dir.resolve("r.html"), sarif = dir.resolve("r.sarif"), fix = dir.resolve("fix.sh"), md = dir.resolve("r.md");
        MainTest.Run all = MainTest.run("audit", "-q", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt",
                "-o", "html:" + html, "-o", "sarif:" + sarif, "-o", "markdown:" + md, "--fix-script", fix.toString());
        assertThat(all.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(Files.readString(html)).contains("<!DOCTYPE html>", "insecure-protocol");
        assertThat(Files.readString(sarif)).contains("\"version\" : \"2.1.0\"");
        assertThat(Files.readString(fix)).contains("-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT\n",
                "-A portaudit-fix -p tcp -m tcp --dport 23 -j DROP", "-A portaudit-fix -p tcp -m tcp --dport 6000 -j DROP");
        assertThat(Files.readString(md)).startsWith("# portaudit:");
    }

    @Test
    void usageAndInputErrorsExitTwo(@TempDir Path dir) throws Exception {
        assertThat(MainTest.run("audit", "--fail-on", "severe").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(MainTest.run("audit", "--profile", "armadillo-9000").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(MainTest.run("audit", "-o", "pdf").exit()).isEqualTo(ExitCodes.USAGE);
        MainTest.Run missing = MainTest.run("audit", "--input", dir.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope.txt", "cannot read");
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "hello, world\nthis is not a command output\n");
        MainTest.Run unknown = MainTest.run("audit", "--input", junk.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("cannot tell what kind of output this is");
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, "allow: [{port: tcp/80}]\nfail_on: high\n");
        MainTest.Run bad = MainTest.run("audit", "--policy", policy.toString(), "--input", SEED + "440-netstat-a.txt");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown key 'fail_on'");
    }

    @Test
    void brokenLinesAreReportedAndTreatedAsPossiblyOpen(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("iptables-L.txt");
        String text = Files.readString(Path.of(SEED + "440-iptables-L.txt")).replace("tcp dpt:telnet", "tcp dpt:telnett");
        Files.writeString(broken, text);
        MainTest.Run r = MainTest.run("audit", "--json", "--input", "iptables-L:" + broken, SEED + "440-netstat-a.txt");
        JsonNode root = json(r);
        assertThat(root.path("problems").size()).isPositive();
        assertThat(root.path("problems").get(0).path("line").asInt()).isEqualTo(6);
        assertThat(findings(root, "unparsed-input")).isNotEmpty();
        assertThat(findings(root, "exposed-service")).contains("tcp/23/ipv4");
    }
}
