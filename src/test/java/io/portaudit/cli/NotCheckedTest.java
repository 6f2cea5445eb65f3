package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.audit.FindingCatalog;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Issue 14 item 7: a check whose view or probe did not run is skipped (JUnit {@code <skipped/>},
 * a SARIF notification, "not checked: needs …" in text and JSON), never shown as passed.
 */
class NotCheckedTest {
    static final String SEED = SeedAuditTest.SEED;

    /** JUnit test case name → pass | fail | skip: ... */
    static Map<String, String> junit(Path file) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(Files.readString(file))));
        Map<String, String> out = new LinkedHashMap<>();
        NodeList cases = d.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (!c.getAttribute("classname").endsWith(".findings")) continue;
            NodeList skipped = c.getElementsByTagName("skipped");
            String state = c.getElementsByTagName("failure").getLength() > 0 ? "fail"
                    : skipped.getLength() > 0 ? "skip: " + ((Element) skipped.item(0)).getAttribute("message") : "pass";
            out.put(c.getAttribute("name"), state);
        }
        return out;
    }

    static Map<String, String> sarifNotifications(Path file) throws Exception {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode n : root.path("runs").get(0).path("invocations").get(0).path("toolExecutionNotifications")) {
            out.put(n.path("associatedRule").path("id").asText(), n.path("message").path("text").asText());
        }
        return out;
    }

    @Test
    void theSeed440WithoutAServiceScanDoesNotPassTheTlsAndSshChecks(@TempDir Path dir) throws Exception {
        Path junit = dir.resolve("j.xml"), sarif = dir.resolve("s.sarif"), text = dir.resolve("r.txt");
        MainTest.Run r = MainTest.run("audit", "-q", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt",
                "-o", "junit:" + junit, "-o", "sarif:" + sarif, "-o", "text:" + text);
        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        Map<String, String> cases = junit(junit);
        assertThat(cases.get("weak-tls")).startsWith("skip: not checked: needs -sV");
        assertThat(cases.get("weak-ssh-crypto")).startsWith("skip: not checked: needs -sV");
        // every view ran for these: a real pass or fail
        assertThat(cases.get("insecure-protocol")).isEqualTo("fail");
        assertThat(cases.get("blocked-listener")).isEqualTo("pass");
        assertThat(cases.get("scan-disagrees")).isEqualTo("pass");
        assertThat(sarifNotifications(sarif)).containsKeys("weak-tls", "weak-ssh-crypto").doesNotContainKey("insecure-protocol");
        assertThat(sarifNotifications(sarif).get("weak-tls")).contains("not checked: needs -sV");
        assertThat(Files.readString(text)).contains("weak-tls", "not checked: needs -sV");
        MainTest.Run json = SeedAuditTest.audit440();
        assertThat(SeedAuditTest.json(json).path("notChecked").findValuesAsText("id")).contains("weak-tls", "weak-ssh-crypto");
    }

    @Test
    void aFirewallAloneChecksOnlyWhatRulesCanTell(@TempDir Path dir) throws Exception {
        Path junit = dir.resolve("j.xml");
        MainTest.Run r = MainTest.run("audit", "-q", "--input", SEED + "440-iptables-L.txt", "-o", "junit:" + junit);
        assertThat(r.exit()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
        Map<String, String> cases = junit(junit);
        for (String id : Set.of("exposed-service", "insecure-protocol", "blocked-listener", "wildcard-bind", "scan-disagrees",
                "weak-tls", "weak-ssh-crypto")) {
            assertThat(cases.get(id)).as(id).startsWith("skip: not checked: needs");
        }
        assertThat(cases.get("blocked-listener")).contains("listening sockets");
        assertThat(cases.get("open-without-listener")).doesNotStartWith("skip");
        for (String id : Set.of("ambiguous-listing", "shadowed-rule", "accept-all-policy", "wide-accept-range", "backend-conflict",
                "ipv6-unfiltered", "unparsed-input")) {
            assertThat(cases.get(id)).as(id).doesNotStartWith("skip");
        }
    }

    @Test
    void listenersAloneDoNotPassTheFirewallChecks(@TempDir Path dir) throws Exception {
        Path junit = dir.resolve("j.xml");
        MainTest.Run r = MainTest.run("audit", "-q", "--input", SEED + "440-netstat-a.txt", "-o", "junit:" + junit);
        assertThat(r.exit()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
        Map<String, String> cases = junit(junit);
        for (String id : Set.of("open-without-listener", "ambiguous-listing", "shadowed-rule", "accept-all-policy", "wide-accept-range",
                "backend-conflict", "ipv6-unfiltered", "blocked-listener", "wildcard-bind")) {
            assertThat(cases.get(id)).as(id).startsWith("skip: not checked: needs").contains("firewall rules");
        }
        assertThat(cases.get("scan-disagrees")).startsWith("skip: not checked: needs a scan");
        // listeners with no firewall: possibly reachable, so exposed-service ran and found them
        assertThat(cases.get("exposed-service")).doesNotStartWith("skip");
        assertThat(cases.keySet()).containsExactlyInAnyOrderElementsOf(FindingCatalog.IDS.keySet());
    }

    @Test
    void policyViolationIsCheckedOnlyAgainstAPolicy(@TempDir Path dir) throws Exception {
        Path without = dir.resolve("a.xml"), with = dir.resolve("b.xml");
        MainTest.run("audit", "-q", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", "-o", "junit:" + without);
        MainTest.run("audit", "-q", "--profile", "armadillo-440", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt",
                "-o", "junit:" + with);
        assertThat(junit(without).get("policy-violation")).startsWith("skip: not checked: needs a policy");
        assertThat(junit(with).get("policy-violation")).isEqualTo("pass");
    }
}
