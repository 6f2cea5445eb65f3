package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.FixScript;
import io.portaudit.audit.Gate;
import io.portaudit.audit.ReportScenario;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import java.io.File;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String render(String format, AuditResult r) throws Exception {
        StringWriter w = new StringWriter();
        Reports.write(format, r, w, false);
        return w.toString();
    }

    @Test
    void jsonHasTheDocumentedSchema() throws Exception {
        AuditResult r = ReportScenario.result();
        JsonNode root = JSON.readTree(render("json", r));
        assertThat(root.path("schema").asText()).isEqualTo("portaudit-audit");
        assertThat(root.path("schemaVersion").asInt()).isEqualTo(3);
        assertThat(root.path("summary").path("result").asText()).isEqualTo("fail");
        assertThat(root.path("summary").path("exitCode").asInt()).isEqualTo(1);
        assertThat(root.path("views").path("present")).extracting(JsonNode::asText).containsExactly("firewall", "listeners", "scan");
        JsonNode ftp = null;
        for (JsonNode p : root.path("ports")) if (p.path("port").asInt() == 21) ftp = p;
        assertThat(ftp).isNotNull();
        assertThat(ftp.path("firewall").path("verdict").asText()).isEqualTo("accept");
        assertThat(ftp.path("firewall").path("rule").path("index").asInt()).isEqualTo(1);
        assertThat(ftp.path("listeners").get(0).path("owners").get(0).path("comm").asText()).isEqualTo("vsftpd");
        assertThat(ftp.path("scan").path("banner").asText()).isEqualTo(ReportScenario.BANNER);
        assertThat(root.path("findings").size()).isEqualTo(r.outcome().findings().size());
        for (JsonNode f : root.path("findings")) {
            assertThat(f.path("id").asText()).isNotBlank();
            assertThat(f.path("evidence").size()).isPositive();
            assertThat(f.path("remedy").size()).isPositive();
        }
    }

    @Test
    void sarifValidatesAgainstTheSarif210Schema() throws Exception {
        String sarif = render("sarif", ReportScenario.result());
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/sarif-2.1.0-rtm.5.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        JsonNode doc = JSON.readTree(sarif);
        Set<ValidationMessage> errors = schema.validate(doc);
        assertThat(errors).isEmpty();
        JsonNode run = doc.path("runs").get(0);
        // a result per rule id: a merged finding's reasons one by one
        assertThat(run.path("results").size()).isEqualTo(ReportScenario.result().outcome().atoms().size());
        for (JsonNode res : run.path("results")) {
            int idx = res.path("ruleIndex").asInt();
            assertThat(run.path("tool").path("driver").path("rules").get(idx).path("id").asText()).isEqualTo(res.path("ruleId").asText());
        }
        // a schema violation is caught: the validator is not a rubber stamp
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("version", "9.9");
        assertThat(schema.validate(doc)).isNotEmpty();
    }

    @Test
    void junitXmlIsReadByARealJunitReader(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("portaudit-junit.xml");
        Files.writeString(xml, render("junit", ReportScenario.result()));
        String py = """
                import sys
                from junitparser import JUnitXml, Failure, Skipped
                x = JUnitXml.fromfile(sys.argv[1])
                for suite in x:
                    for case in suite:
                        state = "fail" if any(isinstance(r, Failure) for r in case.result) else \
                                "skip" if any(isinstance(r, Skipped) for r in case.result) else "pass"
                        print(case.classname, case.name, state)
                """;
        Path script = dir.resolve("read.py");
        Files.writeString(script, py);
        if (!new File("/usr/bin/python3").canExecute()) LabExtension.cannotRun("Debian python3 is not installed");
        Lab.Result r = Lab.run(Duration.ofSeconds(30), "/usr/bin/python3", script.toString(), xml.toString());
        if (r.err().contains("No module named 'junitparser'")) LabExtension.cannotRun("python3-junitparser is not installed");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("findings insecure-protocol fail", "findings exposed-service pass",
                "findings scan-disagrees pass");
        long failing = ReportScenario.result().outcome().atoms().stream().filter(g -> g.status() == Gate.Status.FAILS)
                .map(g -> g.finding().id()).distinct().count();
        assertThat(r.out().lines().filter(l -> l.endsWith(" fail")).count()).isEqualTo(failing);
    }

    @Test
    void htmlRendersInChromiumWithDeviceStringsAsText(@TempDir Path dir) throws Exception {
        AuditResult r = ReportScenario.result();
        Path html = dir.resolve("report.html");
        Files.writeString(html, render("html", r));
        if (!new File("/usr/bin/chromium").canExecute()) LabExtension.cannotRun("chromium is not installed (apt-get install chromium)");
        Path profile = Files.createDirectory(dir.resolve("profile"));
        // a real browser, driven over the Chrome DevTools Protocol
        try (Cdp chrome = Cdp.start("/usr/bin/chromium", profile)) {
            chrome.open(html.toUri().toString());
            assertThat(chrome.eval("document.title").asText()).isEqualTo("portaudit: board-<b>1</b> — FAIL");
            assertThat(chrome.eval("document.querySelector('h1').textContent").asText()).startsWith("portaudit audit: board-<b>1</b>");
            assertThat(chrome.eval("document.querySelectorAll('h1 b').length").asInt()).isZero();
            // every finding is rendered
            assertThat(chrome.eval("document.querySelectorAll('.finding').length").asInt()).isEqualTo(r.outcome().findings().size());
            for (Gate.Gated g : r.outcome().findings()) {
                assertThat(chrome.eval("document.querySelectorAll('.finding[data-id=\"" + g.finding().id() + "\"]').length").asInt())
                        .as(g.finding().id()).isPositive();
            }
            // the banner carrying <script> is text on the page, not a script that ran
            assertThat(chrome.eval("document.querySelectorAll('script').length").asInt()).isZero();
            assertThat(chrome.eval("document.body.innerText.includes(\"<script>document.title='pwned'</script>\")").asBoolean()).isTrue();
            assertThat(chrome.eval("document.title").asText()).doesNotContain("pwned");
            // it renders: a laid-out page with a visible port matrix and a non-trivial screenshot
            assertThat(chrome.eval("document.querySelector('#ports table').getBoundingClientRect().height").asDouble()).isGreaterThan(100);
            byte[] png = chrome.screenshot();
            assertThat(png.length).isGreaterThan(10_000);
            Files.write(dir.resolve("report.png"), png);
        }
    }

    @Test
    void markdownAndTextEscapeDeviceStrings() throws Exception {
        AuditResult r = ReportScenario.result();
        String md = render("markdown", r);
        assertThat(md).startsWith("# portaudit: board-\\<b\\>1\\</b\\> — FAIL");
        assertThat(md).doesNotContain("<script>");
        String text = render("text", r);
        assertThat(text).contains("result: FAIL").doesNotContain("\u001b[");
        StringWriter colored = new StringWriter();
        Reports.write("text", r, colored, true);
        assertThat(colored.toString()).contains("\u001b[31mFAIL\u001b[0m");
    }

    @Test
    void fixScriptIsValidShellAndOnlyTouchesTheFirewall(@TempDir Path dir) throws Exception {
        String script = FixScript.render(ReportScenario.result());
        // the scenario's firewall facts carry no parsed ruleset: the board's backend is unknown, so nothing is run and the
        // script says which failing findings it cannot close (FixScriptTest and FixScriptLabTest cover real rulesets)
        assertThat(script).startsWith("#!/bin/sh\n").contains("# NOT CLOSED by this script:");
        for (String line : script.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) continue;
            assertThat(line).matches("^(echo '[^']*'|exit 1)$");
        }
        Path f = dir.resolve("fix.sh");
        Files.writeString(f, script, StandardCharsets.UTF_8);
        for (String sh : new String[] {"/bin/sh", "/usr/bin/dash", "/bin/busybox"}) {
            if (!new File(sh).canExecute()) continue;
            Lab.Result r = sh.endsWith("busybox") ? Lab.run(Duration.ofSeconds(10), sh, "sh", "-n", f.toString())
                    : Lab.run(Duration.ofSeconds(10), sh, "-n", f.toString());
            assertThat(r.exit()).as(sh + ": " + r.err()).isZero();
        }
    }

}
