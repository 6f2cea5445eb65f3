package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import java.io.IOException;
import java.io.Writer;

/** A Markdown report for a release ticket; every device string is escaped. */
public final class MarkdownReport {
    private MarkdownReport() {}

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("\\`*_[]<>|&#".indexOf(c) >= 0) sb.append('\\');
            if (c == '\n' || c == '\r') sb.append(' ');
            else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) sb.append(' ');
            else sb.append(c);
        }
        return sb.toString();
    }

    public static void write(AuditResult r, Writer out) throws IOException {
        StringBuilder sb = new StringBuilder();
        String result = r.partial() ? "PARTIAL" : r.unreadable() ? "INCOMPLETE" : r.outcome().failed() ? "FAIL" : "PASS";
        sb.append("# portaudit: ").append(esc(r.snapshot().host())).append(" — ").append(result).append("\n\n");
        sb.append("- source: ").append(esc(r.snapshot().source())).append("\n");
        sb.append("- collected: ").append(esc(String.valueOf(r.snapshot().collectedAt()))).append("\n");
        sb.append("- views: ").append(esc(String.join(", ", r.viewsPresent())));
        if (!r.viewsMissing().isEmpty()) sb.append(" (missing: ").append(esc(String.join(", ", r.viewsMissing()))).append(")");
        sb.append("\n");
        if (r.policy() != null && r.policy().product() != null) sb.append("- policy: ").append(esc(r.policy().product())).append("\n");
        sb.append("- gate: ").append(r.count(Gate.Status.FAILS)).append(" finding(s) at or above ")
                .append(r.outcome().failOn().label()).append("\n\n");
        sb.append("## Ports\n\n| protocol | port | family | service | firewall | scan | listener |\n|---|---|---|---|---|---|---|\n");
        for (PortRow row : r.rows()) {
            sb.append("| ").append(row.protocol().label()).append(" | ").append(row.port()).append(" | ").append(row.family().label())
                    .append(" | ").append(esc(row.service())).append(" | ")
                    .append(row.firewall() == null ? "?" : row.firewall().verdict().label()).append(" | ")
                    .append(row.scan() == null ? "" : esc(row.scan().state().label())).append(" | ")
                    .append(esc(String.join(", ", row.listeners().stream().map(l -> l.endpoint()
                            + (l.owners().isEmpty() ? "" : " " + l.owners().get(0).comm())).toList()))).append(" |\n");
        }
        if (!r.outcome().changes().isEmpty()) {
            sb.append("\n## Compared with ").append(esc(r.policy().product() == null ? "the policy" : r.policy().product()))
                    .append("\n\n| change | port | detail |\n|---|---|---|\n");
            for (Gate.Change c : r.outcome().changes()) {
                sb.append("| ").append(esc(c.kind())).append(" | ").append(esc(c.port())).append(" | ").append(esc(c.detail())).append(" |\n");
            }
        }
        sb.append("\n## Findings\n\n");
        for (Gate.Gated g : r.outcome().findings()) {
            Finding f = g.finding();
            sb.append("### ").append(g.status() == Gate.Status.FAILS ? "❌ " : "").append(esc(f.severity().label())).append(" `")
                    .append(f.id()).append("` ").append(esc(f.title())).append("\n\n");
            if (g.note() != null) sb.append("*").append(esc(g.note())).append("*\n\n");
            sb.append(esc(f.detail())).append("\n\n");
            for (Evidence e : f.evidence()) {
                sb.append("- **").append(esc(e.view())).append("**: ").append(esc(e.text()));
                if (e.source() != null) sb.append(" (").append(esc(e.source())).append(")");
                sb.append("\n");
            }
            if (!f.remedy().isEmpty()) {
                sb.append("\nFix:\n\n");
                for (String fix : f.remedy()) sb.append("    ").append(fix.replace('\n', ' ')).append("\n");
            }
            sb.append("\n");
        }
        if (!r.notChecked().isEmpty()) {
            sb.append("## Not checked\n\nThe view or probe these read did not run: not a pass.\n\n");
            for (var e : r.notChecked().entrySet()) sb.append("- `").append(e.getKey()).append("`: ").append(esc(e.getValue())).append("\n");
            sb.append("\n");
        }
        out.write(sb.toString());
    }
}
