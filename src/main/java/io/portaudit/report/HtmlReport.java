package io.portaudit.report;

import io.portaudit.model.Text;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.Severity;
import java.io.IOException;
import java.io.Writer;

/**
 * One self-contained HTML file (inline CSS, no scripts, no external resources): summary, the port
 * matrix firewall × listener × scan, findings with evidence and fixes. Every device string is
 * escaped, and a Content-Security-Policy forbids scripts even if one slipped through.
 */
public final class HtmlReport {
    private HtmlReport() {}

    static String esc(String s) {
        return Text.markup(s, false);
    }

    public static void write(AuditResult r, Writer out) throws IOException {
        String result = r.partial() ? "PARTIAL" : r.unreadable() ? "INCOMPLETE" : r.outcome().failed() ? "FAIL" : "PASS";
        StringBuilder h = new StringBuilder(16384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>portaudit: ").append(esc(r.snapshot().host())).append(" — ").append(result).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f0f0f0}")
                .append(".PASS{color:#1a7f37}.FAIL,.PARTIAL,.INCOMPLETE{color:#cf222e}.sev-high,.sev-critical{color:#cf222e;font-weight:bold}")
                .append(".sev-medium{color:#9a6700}.accept{background:#fff1e5}.drop,.reject{background:#eef6ee}.unknown{background:#fff8c5}")
                .append(".finding{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:.8em 0}.fails{border-left:6px solid #cf222e}")
                .append("code,pre{background:#f6f8fa;padding:.1em .3em;white-space:pre-wrap;word-break:break-all}.muted{color:#666}\n")
                .append("</style></head><body>\n");
        h.append("<h1>portaudit audit: ").append(esc(r.snapshot().host())).append(" <span class=\"").append(result).append("\">")
                .append(result).append("</span></h1>\n");
        h.append("<section id=\"summary\"><h2>Summary</h2><table>")
                .append(row("source", r.snapshot().source()))
                .append(row("collected", String.valueOf(r.snapshot().collectedAt())))
                .append(row("views present", String.join(", ", r.viewsPresent())))
                .append(row("views missing", String.join(", ", r.viewsMissing())))
                .append(row("policy", r.policy() == null || r.policy().product() == null ? "(none)" : r.policy().product()))
                .append(row("fail threshold", r.outcome().failOn().label()))
                .append(row("failing findings", String.valueOf(r.count(Gate.Status.FAILS))));
        for (Severity s : Severity.values()) {
            long n = r.outcome().findings().stream().filter(g -> g.finding().severity() == s).count();
            if (n > 0) h.append(row(s.label() + " findings", String.valueOf(n)));
        }
        h.append("</table>");
        if (!r.unknowns().isEmpty()) {
            h.append("<ul class=\"muted\">");
            for (String u : r.unknowns()) h.append("<li>").append(esc(u)).append("</li>");
            h.append("</ul>");
        }
        h.append("</section>\n");

        h.append("<section id=\"ports\"><h2>Ports: firewall × listener × scan</h2><table><tr><th>protocol</th><th>port</th>")
                .append("<th>family</th><th>service</th><th>firewall</th><th>deciding rule</th><th>listener</th><th>scan</th>")
                .append("<th>expected</th></tr>\n");
        for (PortRow p : r.rows()) {
            String v = p.firewall() == null ? "unknown" : p.firewall().verdict().label();
            h.append("<tr class=\"").append(v).append("\"><td>").append(p.protocol().label()).append("</td><td>").append(p.port())
                    .append("</td><td>").append(p.family().label()).append("</td><td>").append(esc(p.service())).append("</td><td>")
                    .append(p.firewall() == null ? "?" : esc(v)).append("</td><td><code>")
                    .append(p.firewall() == null ? "" : esc(p.firewall().rule().label() + ": " + squeeze(p.firewall().rule().text())))
                    .append(p.firewall() == null || p.firewall().redirect() == null ? ""
                            : esc(" → " + (p.firewall().redirect().forwarded() ? "" : "port ") + p.firewall().redirect().target() + " (" + p.firewall().redirect().rule().label() + ")"))
                    .append("</code></td><td>");
            p.listeners().forEach(l -> h.append(esc(l.endpoint())).append(l.owners().isEmpty() ? "" : " " + esc(l.owners().get(0).comm()))
                    .append(" <span class=\"muted\">").append(esc(l.scope().label())).append("</span><br>"));
            h.append("</td><td>");
            if (p.scan() != null) {
                h.append(esc(p.scan().state().label()));
                if (p.scan().banner() != null) h.append("<br><code>").append(esc(p.scan().banner())).append("</code>");
                p.scan().weaknesses().forEach(w -> h.append("<br><strong>").append(esc(w.id())).append("</strong> ")
                        .append(esc(w.detail() == null ? "" : w.detail())));
            }
            h.append("</td><td>").append(esc(p.expected())).append("</td></tr>\n");
        }
        h.append("</table></section>\n");

        if (!r.outcome().changes().isEmpty()) {
            h.append("<section id=\"policy\"><h2>Compared with ").append(esc(r.policy().product() == null ? "the policy" : r.policy().product()))
                    .append("</h2><table><tr><th>change</th><th>port</th><th>detail</th></tr>");
            for (Gate.Change c : r.outcome().changes()) {
                h.append("<tr><td>").append(esc(c.kind())).append("</td><td>").append(esc(c.port())).append("</td><td>")
                        .append(esc(c.detail())).append("</td></tr>");
            }
            h.append("</table></section>\n");
        }
        h.append("<section id=\"findings\"><h2>Findings</h2>\n");
        for (Gate.Gated g : r.outcome().findings()) {
            Finding f = g.finding();
            h.append("<div class=\"finding").append(g.status() == Gate.Status.FAILS ? " fails" : "").append("\" data-id=\"")
                    .append(esc(f.id())).append("\"><h3><span class=\"sev-").append(f.severity().label()).append("\">")
                    .append(f.severity().label()).append("</span> <code>").append(esc(f.id())).append("</code> ")
                    .append(esc(f.title())).append("</h3>");
            h.append("<p class=\"muted\">").append(esc(g.status().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(g.note() == null ? "" : ": " + esc(g.note())).append("</p>");
            h.append("<p>").append(esc(f.detail())).append("</p><table><tr><th>view</th><th>evidence</th><th>source</th></tr>");
            for (Evidence e : f.evidence()) {
                h.append("<tr><td>").append(esc(e.view())).append("</td><td><code>").append(esc(e.text())).append("</code></td><td>")
                        .append(esc(e.source())).append("</td></tr>");
            }
            h.append("</table>");
            if (!f.remedy().isEmpty()) {
                h.append("<p>Fix:</p><pre>");
                for (String fix : f.remedy()) h.append(esc(fix)).append('\n');
                h.append("</pre>");
            }
            h.append("</div>\n");
        }
        h.append("</section>\n");
        if (!r.notChecked().isEmpty()) {
            h.append("<section id=\"not-checked\"><h2>Not checked</h2><p>The view or probe these read did not run: not a pass.</p><ul>");
            r.notChecked().forEach((id, why) -> h.append("<li><code>").append(esc(id)).append("</code>: ").append(esc(why)).append("</li>"));
            h.append("</ul></section>\n");
        }
        if (!r.problems().isEmpty() || !r.notes().isEmpty()) {
            h.append("<section id=\"notes\"><h2>Input problems and notes</h2><ul>");
            r.problems().forEach(p -> h.append("<li><code>").append(esc(p.format())).append("</code></li>"));
            r.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul></section>\n");
        }
        h.append("<footer class=\"muted\">portaudit ").append(esc(Reports.version())).append("</footer>\n</body></html>\n");
        out.write(h.toString());
    }

    /** Listings pad columns with runs of blanks; one blank reads better in a table cell. */
    private static String squeeze(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    private static String row(String k, String v) {
        return "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>";
    }
}
