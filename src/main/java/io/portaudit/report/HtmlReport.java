package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.PortRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One self-contained HTML file (inline CSS, no scripts, no external resources): summary, the port matrix
 * firewall × listener × scan, findings with evidence and fixes. Rendered by the shared templates
 * ({@code src/main/jte/report}, see {@link Templates}) that the dashboard's audit page uses too. Every device string is
 * escaped, and a Content-Security-Policy forbids scripts even if one slipped through.
 */
public final class HtmlReport {
    /** The report's style sheet: inlined in the file, served as {@code /assets/report.css} by the dashboard. */
    public static final String CSS = resource("report.css");

    private HtmlReport() {}

    public static void write(AuditResult r, Writer out) throws IOException {
        out.write(Templates.render("report/html.jte", Map.of("r", r, "css", CSS, "version", Reports.version())));
    }

    /** The gate's word for the audit: PARTIAL, INCOMPLETE, FAIL or PASS. */
    public static String result(AuditResult r) {
        return r.partial() ? "PARTIAL" : r.unreadable() ? "INCOMPLETE" : r.outcome().failed() ? "FAIL" : "PASS";
    }

    /** The row's firewall verdict label; {@code unknown} when no ruleset covered its family. */
    public static String verdict(PortRow p) {
        return p.firewall() == null ? "unknown" : p.firewall().verdict().label();
    }

    /** The deciding rule (chain and index: text) and where a redirect or DNAT sends the port; empty without a firewall. */
    public static String decidingRule(PortRow p) {
        if (p.firewall() == null) return "";
        String s = p.firewall().rule().label() + ": " + squeeze(p.firewall().rule().text());
        var redirect = p.firewall().redirect();
        if (redirect != null) {
            s += " → " + (redirect.forwarded() ? "" : "port ") + redirect.target() + " (" + redirect.rule().label() + ")";
        }
        return s;
    }

    /** Listings pad columns with runs of blanks; one blank reads better in a table cell. */
    static String squeeze(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
