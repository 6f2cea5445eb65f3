package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.ReportScenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    @Test
    void valuesAreEscapedByTheProjectsOneEscaper() {
        StringBuilder sb = new StringBuilder();
        Templates.Markup out = new Templates.Markup(sb);
        out.setContext("td", null);
        out.writeUserContent("<script>alert(1)</script>\u0001&'\"");
        assertThat(sb).hasToString("&lt;script&gt;alert(1)&lt;/script&gt;\\x01&amp;&#39;&quot;");
        sb.setLength(0);
        out.setContext("a", "title");
        out.writeUserContent("a\nb");
        assertThat(sb).hasToString("a&#xa;b");
    }

    @Test
    void aValueInAScriptOrAnEventHandlerIsRefused() {
        Templates.Markup out = new Templates.Markup(new StringBuilder());
        out.setContext("script", null);
        assertThatThrownBy(() -> out.writeUserContent("x")).isInstanceOf(IllegalStateException.class);
        out.setContext("div", "onclick");
        assertThatThrownBy(() -> out.writeUserContent("x")).isInstanceOf(IllegalStateException.class);
        out.setContext("style", null);
        out.writeUnsafeContent("body{}");   // the program's own CSS
    }

    @Test
    void thePortMatrixAndAFindingRenderAloneAsTheReportRendersThem() {
        AuditResult r = ReportScenario.result();
        String ports = Templates.render("report/ports.jte", Map.of("rows", r.rows(), "links", ReportLinks.NONE));
        assertThat(ports).startsWith("<table class=\"ports\">").contains("vsftpd").contains("220 &lt;script&gt;").doesNotContain("<a ");
        String linked = Templates.render("report/ports.jte", Map.of("rows", r.rows(),
                "links", (ReportLinks) (proto, port) -> "/port/" + proto.label() + "/" + port));
        assertThat(linked).contains("<a href=\"/port/tcp/21\">21</a>");
        var g = r.outcome().findings().get(0);
        String finding = Templates.render("report/finding.jte", Map.of("g", g));
        assertThat(finding).contains("data-id=\"" + g.finding().id() + "\"").contains("<table>");
        StringBuilder whole = new StringBuilder();
        Templates.render("report/audit.jte", Map.of("r", r, "links", ReportLinks.NONE), whole);
        assertThat(whole.toString()).contains(ports).contains(finding);
    }
}
