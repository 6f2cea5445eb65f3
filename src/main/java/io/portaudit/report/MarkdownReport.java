package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import java.io.IOException;
import java.io.Writer;

/**
 * A Markdown report for a release ticket, with the structure of the HTML report: verdict, contents, fix-first list,
 * summary, ports (with the deciding rule of every row), findings grouped by port (status in words, reasons), checks
 * that did not run, notes, and the sign-off block. Every device string is escaped.
 */
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

    /** Inline code that holds any text: fenced by more backticks than it contains. */
    static String code(String s) {
        String t = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
        int run = 0, max = 0;
        for (char c : t.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            max = Math.max(max, run);
        }
        String fence = "`".repeat(max + 1);
        return fence + (t.startsWith("`") || t.endsWith("`") ? " " + t + " " : t) + fence;
    }

    public static void write(AuditResult r, Writer out) throws IOException {
        write(r, out, SignOff.NONE);
    }

    public static void write(AuditResult r, Writer out, SignOff signOff) throws IOException {
        StringBuilder sb = new StringBuilder();
        String result = HtmlReport.result(r);
        sb.append("# portaudit: ").append(esc(r.snapshot().host())).append(" — ").append(result).append("\n\n");
        sb.append("## ").append(L10n.t("html.verdict")).append("\n\n");
        for (String line : Overview.lines(r)) sb.append(esc(line)).append("  \n");
        sb.append("\n## ").append(L10n.t("html.toc")).append("\n\n");
        var fixes = Overview.fixFirst(r);
        if (!fixes.isEmpty()) sb.append("- ").append(L10n.t("heading.fixfirst")).append("\n");
        sb.append("- ").append(L10n.t("html.summary")).append("\n- ").append(L10n.t("html.ports")).append("\n- ")
                .append(L10n.t("heading.findings")).append("\n");
        for (var group : HtmlReport.groups(r)) sb.append("  - ").append(esc(group.title())).append("\n");
        if (!r.notChecked().isEmpty()) sb.append("- ").append(L10n.t("heading.notchecked")).append("\n");
        sb.append("- ").append(L10n.t("signoff.title")).append("\n\n");
        if (!fixes.isEmpty()) {
            sb.append("## ").append(L10n.t("heading.fixfirst")).append("\n\n");
            int n = 0;
            for (Overview.Fix f : fixes) {
                sb.append(++n).append(". ").append(esc(Overview.severity(f.gated().finding().severity()))).append(" — ")
                        .append(esc(f.subject())).append(": ").append(code(f.remedy())).append(" (").append(esc(f.effort().label())).append(")\n");
            }
            sb.append("\n");
        }
        sb.append("## ").append(L10n.t("html.summary")).append("\n\n");
        sb.append("- ").append(L10n.t("html.source")).append(": ").append(esc(r.snapshot().source())).append("\n");
        sb.append("- ").append(L10n.t("text.collected")).append(": ").append(esc(String.valueOf(r.snapshot().collectedAt()))).append("\n");
        sb.append("- ").append(L10n.t("html.views.present")).append(": ").append(esc(TextReport.views(r.viewsPresent())));
        if (!r.viewsMissing().isEmpty()) sb.append(" (").append(L10n.t("text.missing")).append(" ").append(esc(TextReport.views(r.viewsMissing()))).append(")");
        sb.append("\n");
        if (r.policy() != null && r.policy().product() != null) sb.append("- ").append(L10n.t("html.policy")).append(": ").append(esc(r.policy().product())).append("\n");
        sb.append("- ").append(L10n.t("html.threshold")).append(": ").append(esc(Overview.severity(r.outcome().failOn())))
                .append("; ").append(L10n.t("html.failing")).append(": ").append(r.count(Gate.Status.FAILS)).append("\n\n");
        sb.append("## ").append(L10n.t("html.ports")).append("\n\n| ").append(String.join(" | ", L10n.t("col.proto"), L10n.t("col.port"),
                L10n.t("col.family"), L10n.t("col.service"), L10n.t("col.firewall"), L10n.t("html.deciding"), L10n.t("col.scan"),
                L10n.t("col.listener"))).append(" |\n|---|---|---|---|---|---|---|---|\n");
        for (PortRow row : r.rows()) {
            sb.append("| ").append(row.protocol().label()).append(" | ").append(row.port()).append(" | ").append(row.family().label())
                    .append(" | ").append(esc(row.service())).append(" | ")
                    .append(row.firewall() == null ? "?" : row.firewall().verdict().label()).append(" | ")
                    .append(esc(HtmlReport.decidingRule(row))).append(" | ")
                    .append(row.scan() == null ? "" : esc(row.scan().state().label())).append(" | ")
                    .append(esc(String.join(", ", row.listeners().stream().map(l -> l.endpoint()
                            + (l.owners().isEmpty() ? "" : " " + l.owners().get(0).comm())).toList()))).append(" |\n");
        }
        if (!r.outcome().changes().isEmpty()) {
            sb.append("\n## ").append(esc(L10n.t("heading.compared", r.policy().product() == null ? L10n.t("text.thepolicy") : r.policy().product())))
                    .append("\n\n| ").append(L10n.t("html.change")).append(" | ").append(L10n.t("col.port")).append(" | ")
                    .append(L10n.t("html.detail")).append(" |\n|---|---|---|\n");
            for (Gate.Change c : r.outcome().changes()) {
                sb.append("| ").append(esc(c.kind())).append(" | ").append(esc(c.port())).append(" | ").append(esc(c.detail())).append(" |\n");
            }
        }
        sb.append("\n## ").append(L10n.t("heading.findings")).append(" (").append(r.outcome().findings().size()).append(")\n\n");
        for (var group : HtmlReport.groups(r)) {
            sb.append("### ").append(esc(group.title())).append("\n\n");
            for (Gate.Gated g : group.findings()) finding(sb, g);
        }
        if (!r.notChecked().isEmpty()) {
            sb.append("## ").append(L10n.t("heading.notchecked")).append("\n\n").append(L10n.t("text.notchecked.why")).append("\n\n");
            for (var e : r.notChecked().entrySet()) sb.append("- `").append(e.getKey()).append("`: ").append(esc(e.getValue())).append("\n");
            sb.append("\n");
        }
        if (!r.notes().isEmpty()) {
            sb.append("## ").append(L10n.t("html.notes")).append("\n\n");
            for (String n : r.notes()) sb.append("- ").append(esc(n)).append("\n");
            sb.append("\n");
        }
        signOff(sb, r, signOff == null ? SignOff.NONE : signOff);
        out.write(sb.toString());
    }

    private static void finding(StringBuilder sb, Gate.Gated g) {
        Finding f = g.finding();
        sb.append("#### ").append(g.status() == Gate.Status.FAILS ? "❌ " : "").append(esc(Overview.severity(f.severity()))).append(" `")
                .append(f.id()).append("` ").append(esc(f.title())).append("\n\n");
        sb.append("*").append(esc(Overview.status(g.status()))).append(g.note() == null ? "" : ": " + esc(g.note())).append("*\n\n");
        sb.append(esc(f.detail())).append("\n\n");
        if (!g.reasons().isEmpty()) {
            sb.append("| ").append(L10n.t("html.reason")).append(" | ").append(L10n.t("html.severity")).append(" | ").append(L10n.t("html.status"))
                    .append(" | ").append(L10n.t("html.what")).append(" |\n|---|---|---|---|\n");
            for (Gate.Gated reason : g.reasons()) {
                sb.append("| `").append(reason.finding().id()).append("` | ").append(esc(Overview.severity(reason.finding().severity()))).append(" | ")
                        .append(esc(Overview.status(reason.status()))).append(" | ").append(esc(reason.finding().title())).append(" |\n");
            }
            sb.append("\n");
        }
        for (Evidence e : f.evidence()) {
            sb.append("- **").append(esc(L10n.has("ev." + e.view()) ? L10n.t("ev." + e.view()) : e.view())).append("**: ").append(esc(e.text()));
            if (e.source() != null) sb.append(" (").append(esc(e.source())).append(")");
            sb.append("\n");
        }
        if (!f.remedy().isEmpty()) {
            sb.append("\n").append(L10n.t("html.fix")).append("\n\n");
            for (String fix : f.remedy()) sb.append("    ").append(fix.replace('\n', ' ')).append("\n");
        }
        sb.append("\n");
    }

    private static void signOff(StringBuilder sb, AuditResult r, SignOff s) {
        SignOff.Facts f = s.facts(r);
        String blank = "\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_";
        sb.append("## ").append(L10n.t("signoff.title")).append("\n\n| | |\n|---|---|\n");
        String product = f.product() == null && f.model() == null ? null
                : (f.product() == null ? "" : f.product()) + (f.product() != null && f.model() != null ? " / " : "") + (f.model() == null ? "" : f.model());
        row(sb, L10n.t("signoff.product"), product, blank);
        row(sb, L10n.t("signoff.serial"), f.serial(), blank);
        row(sb, L10n.t("signoff.firmware"), f.firmware(), blank);
        row(sb, L10n.t("signoff.host"), r.snapshot().host(), blank);
        row(sb, L10n.t("signoff.when"), f.collectedAt(), blank);
        row(sb, L10n.t("signoff.how"), f.collectedHow(), blank);
        row(sb, L10n.t("signoff.result"), Overview.lines(r).get(0), blank);
        row(sb, L10n.t("signoff.operator"), f.operator(), blank);
        row(sb, L10n.t("signoff.note"), f.note(), blank);
        sb.append("\n| | ").append(L10n.t("signoff.name")).append(" | ").append(L10n.t("signoff.signature")).append(" | ")
                .append(L10n.t("signoff.date")).append(" |\n|---|---|---|---|\n");
        sb.append("| ").append(L10n.t("signoff.audited")).append(" | | | |\n");
        sb.append("| ").append(L10n.t("signoff.approved")).append(" | | | |\n");
    }

    private static void row(StringBuilder sb, String what, String value, String blank) {
        sb.append("| ").append(what).append(" | ").append(value == null ? blank : esc(value)).append(" |\n");
    }
}
