package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Auditor;
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
        assertThat(root.path("schemaVersion").asInt()).isEqualTo(1);
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
        assertThat(run.path("results").size()).isEqualTo(ReportScenario.result().outcome().findings().size());
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
        long failing = ReportScenario.result().outcome().findings().stream().filter(g -> g.status() == Gate.Status.FAILS)
                .map(g -> g.finding().id()).distinct().count();
        assertThat(r.out().lines().filter(l -> l.endsWith(" fail")).count()).isEqualTo(failing);
    }

    @Test
    void htmlRendersInChromiumWithDeviceStringsAsText(@TempDir Path dir) throws Exception {
        AuditResult r = ReportScenario.result();
        Path html = dir.resolve("report.html");
        Files.writeString(html, render("html", r));
        String chromium = new File("/usr/bin/chromium").canExecute() ? "/usr/bin/chromium" : null;
        if (chromium == null) LabExtension.cannotRun("chromium is not installed (apt-get install chromium)");
        Path profile = Files.createDirectory(dir.resolve("profile"));
        String[] base = {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile};
        Lab.Result dom = Lab.run(Duration.ofSeconds(90), concat(base, "--virtual-time-budget=2000", "--dump-dom", html.toUri().toString()));
        assertThat(dom.exit()).as(dom.err()).isZero();
        String out = dom.out();
        assertThat(out).contains("<h1>portaudit audit: board-&lt;b&gt;1&lt;/b&gt;");
        for (Gate.Gated g : r.outcome().findings()) assertThat(out).contains("data-id=\"" + g.finding().id() + "\"");
        // the banner's <script> is shown as text: escaped in the DOM, never run (the title stays ours)
        assertThat(out).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
        assertThat(out).doesNotContain("<script>");
        assertThat(out).contains("<title>portaudit: board-&lt;b&gt;1&lt;/b&gt; — FAIL</title>");

        Path png = dir.resolve("shot.png");
        Lab.Result shot = Lab.run(Duration.ofSeconds(90), concat(base, "--window-size=1200,1600", "--screenshot=" + png, html.toUri().toString()));
        assertThat(shot.exit()).as(shot.err()).isZero();
        assertThat(Files.size(png)).isGreaterThan(10_000);
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
        assertThat(script).startsWith("#!/bin/sh\n").contains("set -eu").contains("ip6tables -I INPUT -p tcp --dport 6000 -j DROP");
        for (String line : script.lines().toList()) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("set ") || line.startsWith("echo ")) continue;
            assertThat(line).matches("^(iptables|ip6tables|nft) .*");
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

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static { Auditor.class.getName(); }
}
