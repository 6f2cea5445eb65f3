package io.portaudit.report;

import io.portaudit.model.L10n;
import io.portaudit.model.Text;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.FindingCatalog;
import io.portaudit.audit.Gate;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * JUnit XML so that CI shows the gate as tests: one testcase per policy rule (every finding id,
 * and every port the policy allows); a testcase fails when a finding of its id fails the gate, and is
 * skipped when its view or probe did not run (never shown as passed) or the policy does not gate on it.
 */
public final class JunitReport {
    private JunitReport() {}

    static String xml(String s) {
        return Text.markup(s, false);
    }

    public static void write(AuditResult r, Writer out) throws IOException {
        String suite = "portaudit." + (r.snapshot().host() == null ? "device" : r.snapshot().host());
        StringBuilder cases = new StringBuilder();
        int tests = 0, failures = 0, skipped = 0;
        java.util.Map<String, String> notChecked = r.notChecked();
        for (String id : FindingCatalog.IDS.keySet()) {
            tests++;
            List<Gate.Gated> failing = r.outcome().atoms().stream()
                    .filter(g -> g.finding().id().equals(id) && g.status() == Gate.Status.FAILS).toList();
            boolean gated = r.policy() == null || r.policy().gates(id);
            String notRun = notChecked.get(id);
            cases.append("    <testcase classname=\"").append(xml(suite)).append(".findings\" name=\"").append(xml(id)).append("\" time=\"0\">\n");
            if (!failing.isEmpty()) {
                failures++;
                StringBuilder body = new StringBuilder();
                for (Gate.Gated g : failing) body.append(text(g.finding())).append('\n');
                cases.append("      <failure message=\"").append(xml(L10n.t("junit.failing", failing.size(), id, r.outcome().failOn().label()))).append("\" type=\"").append(xml(id)).append("\">")
                        .append(xml(body.toString())).append("</failure>\n");
            } else if (notRun != null) {
                // a check whose view or probe did not run is not a pass
                skipped++;
                cases.append("      <skipped message=\"").append(xml(notRun)).append("\"/>\n");
            } else if (!gated) {
                skipped++;
                cases.append("      <skipped message=\"").append(xml(L10n.t("junit.notgated", id))).append("\"/>\n");
            }
            cases.append("    </testcase>\n");
        }
        if (r.policy() != null) {
            for (var allow : r.policy().allow()) {
                tests++;
                cases.append("    <testcase classname=\"").append(xml(suite)).append(".allow\" name=\"").append(xml(allow.label()))
                        .append("\" time=\"0\"/>\n");
            }
        }
        if (r.partial()) {
            tests++;
            failures++;
            cases.append("    <testcase classname=\"").append(xml(suite)).append("\" name=\"collection-complete\" time=\"0\">\n")
                    .append("      <failure message=\"").append(xml(L10n.t("junit.partial"))).append("\" type=\"partial\"/>\n    </testcase>\n");
        }
        if (r.unreadable()) {
            tests++;
            failures++;
            cases.append("    <testcase classname=\"").append(xml(suite)).append("\" name=\"input-read\" time=\"0\">\n")
                    .append("      <failure message=\"").append(xml(L10n.t("junit.unreadable"))).append("\" type=\"incomplete\"/>\n    </testcase>\n");
        }
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write("<testsuites name=\"portaudit\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped + "\">\n");
        out.write("  <testsuite name=\"" + xml(suite) + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\""
                + skipped + "\" time=\"0\" timestamp=\"" + xml(String.valueOf(r.snapshot().collectedAt()).replaceAll("\\.\\d+Z$", "")) + "\">\n");
        out.write(cases.toString());
        out.write("  </testsuite>\n</testsuites>\n");
    }

    private static String text(Finding f) {
        StringBuilder sb = new StringBuilder(f.severity().label()).append(": ").append(f.title());
        for (Evidence e : f.evidence()) sb.append("\n  ").append(e.view()).append(": ").append(e.text());
        for (String fix : f.remedy()) sb.append("\n  fix: ").append(fix);
        return sb.toString();
    }
}
