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
        write(r, out, SignOff.NONE);
    }

    /** The report with a sign-off block naming the operator and a note ({@code --operator}, {@code --note}). */
    public static void write(AuditResult r, Writer out, SignOff signOff) throws IOException {
        out.write(Templates.render("report/html.jte", Map.of("r", r, "css", CSS, "version", Reports.version(),
                "signoff", signOff == null ? SignOff.NONE : signOff)));
    }

    /** Findings about one port (or, for the others, the rules and the rest), under one heading and anchor. */
    public record Group(String anchor, String title, java.util.List<io.portaudit.audit.Gate.Gated> findings) {}

    /** The findings grouped by port, in the order of their first finding (most severe first); the rest last. */
    public static java.util.List<Group> groups(AuditResult r) {
        java.util.Map<String, java.util.List<io.portaudit.audit.Gate.Gated>> byKey = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> titles = new java.util.HashMap<>();
        java.util.Map<String, String> services = Overview.services(r);
        for (io.portaudit.audit.Gate.Gated g : r.outcome().findings()) {
            var f = g.finding();
            boolean port = f.protocol() != null && f.ports() != null && f.ports().size() == 1;
            String key = port ? "port-" + f.protocol().label() + "-" + f.ports().from() : "other";
            titles.putIfAbsent(key, port ? io.portaudit.model.L10n.t("html.group.port", Overview.subject(services, f))
                    : io.portaudit.model.L10n.t("html.group.other"));
            byKey.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(g);
        }
        java.util.List<Group> out = new java.util.ArrayList<>();
        byKey.forEach((k, v) -> { if (!k.equals("other")) out.add(new Group("f-" + k, titles.get(k), v)); });
        if (byKey.containsKey("other")) out.add(new Group("f-other", titles.get("other"), byKey.get("other")));
        return out;
    }

    /** The anchor of the group a finding is in. */
    public static String anchor(AuditResult r, io.portaudit.audit.Gate.Gated g) {
        var f = g.finding();
        return f.protocol() != null && f.ports() != null && f.ports().size() == 1 ? "f-port-" + f.protocol().label() + "-" + f.ports().from() : "f-other";
    }

    /** The gate's word for the audit: PARTIAL, INCOMPLETE, FAIL or PASS. */
    public static String result(AuditResult r) {
        return r.partial() ? "PARTIAL" : r.unreadable() ? "INCOMPLETE" : r.outcome().failed() ? "FAIL" : "PASS";
    }

    /** The row's firewall verdict label; {@code unknown} when no ruleset covered its family. */
    public static String verdict(PortRow p) {
        return p.firewall() == null ? "unknown" : p.firewall().verdict().label();
    }

    /** The deciding rule (chain and index: text) and where a redirect or DNAT sends the port; without a ruleset for the
     * row's family, that no ruleset was collected (never an empty cell). */
    public static String decidingRule(PortRow p) {
        if (p.firewall() == null) return io.portaudit.model.L10n.t("html.noruleset", p.family() == io.portaudit.model.AddressFamily.IPV6 ? "IPv6" : "IPv4");
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
