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
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
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

    /** Issue 20 item 1: one finding per port and problem; every problem found before is still there, as a reason. */
    @Test
    void the440IsAtMost14FindingsOnePerPortAndProblem() throws Exception {
        JsonNode root = json(audit440());
        JsonNode fs = root.path("findings");
        assertThat(fs.size()).isLessThanOrEqualTo(14);
        // x11 on :::6000: exposed, insecure and unfiltered on IPv6 is one finding, at the highest severity of its reasons;
        // the IPv4 socket the firewall blocks is a reason of the same port
        List<JsonNode> x11 = new ArrayList<>();
        for (JsonNode f : fs) if (f.path("protocol").asText().equals("tcp") && f.path("ports").path("from").asInt() == 6000) x11.add(f);
        assertThat(x11).hasSize(1);
        JsonNode x = x11.get(0);
        assertThat(x.path("id").asText()).isEqualTo("insecure-protocol");
        assertThat(x.path("severity").asText()).isEqualTo("high");
        assertThat(x.path("status").asText()).isEqualTo("fails");
        assertThat(x.path("reasons").findValuesAsText("id")).containsExactly("insecure-protocol", "ipv6-unfiltered", "exposed-service",
                "blocked-listener", "wildcard-bind");
        for (JsonNode reason : x.path("reasons")) {
            assertThat(reason.path("severity").asText()).isNotBlank();
            assertThat(reason.path("status").asText()).isNotBlank();
            assertThat(reason.path("evidence").size()).as(reason.path("id").asText()).isPositive();
        }
        assertThat(x.path("reasons").get(1).path("severity").asText()).isEqualTo("high");
        assertThat(x.path("reasons").get(3).path("status").asText()).isEqualTo("below_threshold");
        // ftp and telnet: insecure and exposed, one finding each
        for (int port : new int[] {21, 23}) {
            List<JsonNode> one = new ArrayList<>();
            for (JsonNode f : fs) if (f.path("ports").path("from").asInt() == port && f.path("protocol").asText().equals("tcp")) one.add(f);
            assertThat(one).as("tcp/" + port).hasSize(1);
            assertThat(one.get(0).path("id").asText()).isEqualTo("insecure-protocol");
            assertThat(one.get(0).path("reasons").findValuesAsText("id")).containsExactly("insecure-protocol", "exposed-service");
        }
        // the accepted ports nobody listens on: one finding whose reasons are the rules, each with its ports
        List<JsonNode> latent = new ArrayList<>();
        for (JsonNode f : fs) if (f.path("id").asText().equals("open-without-listener")) latent.add(f);
        assertThat(latent).hasSize(1);
        assertThat(latent.get(0).path("reasons")).hasSize(9);
        assertThat(latent.get(0).path("title").asText()).contains("tcp 20, 22, 161, 1024-65535", "udp 22, 123, 161, 1024-65535, 22222");
        // deleting rules by number goes from the last to the first, or the numbers shift
        List<String> deletes = new ArrayList<>();
        latent.get(0).path("remedy").forEach(n -> { if (n.asText().startsWith("iptables -D INPUT ")) deletes.add(n.asText().split(" ")[3]); });
        assertThat(deletes).containsExactly("16", "15", "14", "13", "12", "11", "8", "7", "6");
        // every problem the earlier bars expect, by its own id
        assertThat(findings(root, "wide-accept-range")).hasSize(2);
        assertThat(findings(root, "ambiguous-listing")).hasSize(1);
        assertThat(findings(root, "insecure-protocol")).containsExactlyInAnyOrder("tcp/21/ipv4", "tcp/23/ipv4", "tcp/6000/ipv6");
        assertThat(findings(root, "exposed-service")).contains("tcp/80/ipv4", "tcp/6000/ipv6");
        // the summary counts findings as the report shows them
        long high = root.path("summary").path("findingsBySeverity").path("high").asLong();
        assertThat(high).isEqualTo(3);
        assertThat(root.path("summary").path("failing").asLong()).isEqualTo(3);
    }

    /** -q: the verdict (at most five lines) and the failing findings only; -v adds the evidence's sources and the details. */
    @Test
    void quietIsTheVerdictAndTheFailingFindingsVerboseAddsTheEvidence() {
        String[] in = {"--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt"};
        MainTest.Run q = MainTest.run(concat(new String[] {"audit", "-q", "--no-store"}, in));
        assertThat(q.exit()).isEqualTo(ExitCodes.FINDINGS);
        List<String> lines = q.out().lines().toList();
        assertThat(lines.size()).as(q.out()).isLessThanOrEqualTo(15);
        assertThat(lines.get(0)).startsWith("FAIL  3 of ");
        assertThat(lines.get(1)).startsWith("why: tcp/21 (ftp)");
        assertThat(lines.get(2)).startsWith("fix first: tcp/21 (ftp): ");
        assertThat(q.out()).contains("tcp/23 (telnet)", "tcp/6000 (x11)").doesNotContain("PROTO", "wide-accept-range", "http");

        MainTest.Run d = MainTest.run(concat(new String[] {"audit", "--no-store"}, in));
        MainTest.Run v = MainTest.run(concat(new String[] {"audit", "-v", "--no-store"}, in));
        assertThat(d.out().lines().findFirst().orElseThrow()).isEqualTo(lines.get(0));
        assertThat(d.out()).contains("fix first\n", "PROTO", "wide-accept-range", "     - high     ipv6-unfiltered")
                .doesNotContain("[" + SEED + "440-iptables-L.txt:7]");
        assertThat(v.out()).contains("[" + SEED + "440-iptables-L.txt:7]", "[" + SEED + "440-netstat-a.txt:7]",
                "[below the fail threshold]", "no listener on udp 22222");
        assertThat(v.out().length()).isGreaterThan(d.out().length());
        assertThat(d.out().length()).isGreaterThan(q.out().length());
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
