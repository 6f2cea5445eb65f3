package io.portaudit.report;

import io.portaudit.model.L10n;
import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditResult;
import io.portaudit.model.Text;
import io.portaudit.store.Diff;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code audit --since AUDIT} / {@code --diff-previous}: the section "changed since the previous audit" that each audit
 * report format gets, computed by {@link Diff} exactly as {@code portaudit diff AUDIT THIS} computes it and written with
 * {@link DiffReport}'s own renderings. Text, Markdown and HTML get a section at the end, JSON a {@code changedSince} key
 * ({@link DiffReport#tree}, schema {@code portaudit-diff}), JUnit a second test suite {@code changed-since} (one test
 * case per port or finding that changed; a change is not a failure — the gate decides that; a port one side did not
 * cover is skipped). SARIF reports gate results only and gets nothing. The section is never part of the stored result.
 */
public final class SinceSection {
    /** The section's heading in the report's language ({@code since.title}). */
    static String title() {
        return io.portaudit.model.L10n.t("since.title");
    }

    private SinceSection() {}

    /** Writes {@code r} as {@code format} with the section for {@code since}; without one, as {@link Reports#write}. */
    public static void write(String format, AuditResult r, Diff since, Writer out, boolean color) throws IOException {
        write(format, r, since, out, color, 0);
    }

    /** {@code verbosity}: the text report's (-q -1, default 0, -v 1; see {@link Reports#write}). */
    public static void write(String format, AuditResult r, Diff since, Writer out, boolean color, int verbosity) throws IOException {
        write(format, r, since, out, color, verbosity, SignOff.NONE);
    }

    /** {@code signOff}: the HTML and Markdown reports' sign-off block ({@code --operator}, {@code --note}). */
    public static void write(String format, AuditResult r, Diff since, Writer out, boolean color, int verbosity, SignOff signOff)
            throws IOException {
        if (since == null) {
            Reports.write(format, r, out, color, verbosity, signOff);
            return;
        }
        switch (format) {
            case "text" -> {
                Reports.write(format, r, out, color, verbosity);
                PrintWriter pw = new PrintWriter(out);
                pw.println();
                pw.println(title() + ":");
                DiffReport.text(since, pw, false);
                pw.flush();
            }
            case "json" -> {
                var tree = AuditJson.tree(r);
                tree.set("changedSince", AuditJson.mapper().valueToTree(DiffReport.tree(since)));
                AuditJson.mapper().writerWithDefaultPrettyPrinter().writeValue(out, tree);
                out.write('\n');
            }
            case "markdown", "md" -> {
                Reports.write(format, r, out, color, verbosity, signOff);
                PrintWriter pw = new PrintWriter(out);
                pw.println();
                pw.println("## " + title());
                pw.println();
                DiffReport.markdownBody(since, pw, false);
                pw.flush();
            }
            case "html" -> {
                StringWriter rendered = new StringWriter();
                Reports.write(format, r, rendered, false, verbosity, signOff);
                String page = rendered.toString();
                StringWriter sw = new StringWriter();
                PrintWriter pw = new PrintWriter(sw);
                pw.println("<section id=\"changed-since\"><h2>" + Text.markup(title(), false) + "</h2>");
                DiffReport.htmlBody(since, pw, false);
                pw.println(summary(since) + "</section>");
                pw.flush();
                out.write(insertBefore(page, page.lastIndexOf("<section id=\"sign-off\"") >= 0 ? "<section id=\"sign-off\""
                        : page.lastIndexOf("<footer") >= 0 ? "<footer" : "</body>", sw.toString()));
            }
            case "junit" -> out.write(junit(render(format, r), since));
            default -> Reports.write(format, r, out, color);
        }
        out.flush();
    }

    private static String render(String format, AuditResult r) throws IOException {
        StringWriter sw = new StringWriter();
        Reports.write(format, r, sw, false);
        return sw.toString();
    }

    private static String insertBefore(String page, String marker, String section) {
        int at = page.lastIndexOf(marker);
        return at < 0 ? page + section : page.substring(0, at) + section + page.substring(at);
    }

    private static String summary(Diff d) {
        return "<p>" + Text.markup(counts(d), false) + "</p>";
    }

    static String counts(Diff d) {
        return DiffReport.counts(d);
    }

    private static final Pattern SUITES = Pattern.compile("<testsuites name=\"portaudit\" tests=\"(\\d+)\"([^>]*?) skipped=\"(\\d+)\">");

    /** The gate's JUnit document with a second suite, {@code changed-since}, and the totals of the root updated. */
    static String junit(String doc, Diff d) {
        StringBuilder cases = new StringBuilder();
        int tests = 0, skipped = 0;
        for (Diff.PortChange c : d.ports()) {
            if (c.status() == Diff.Status.SAME) continue;
            tests++;
            cases.append("    <testcase classname=\"changed-since.port\" name=\"").append(Text.markup(c.key() + " " + c.status().label(), true))
                    .append("\" time=\"0\">");
            if (c.status() == Diff.Status.UNKNOWN) {
                skipped++;
                cases.append("<skipped message=\"").append(Text.markup(c.why(), true)).append("\"/>");
            } else {
                String what = c.status() == Diff.Status.CHANGED ? DiffReport.changes(c)
                        : (c.status() == Diff.Status.NEW ? c.b() : c.a()).summary();
                cases.append("<system-out>").append(Text.markup(Text.printable(what, 2000), false)).append("</system-out>");
            }
            cases.append("</testcase>\n");
        }
        for (Diff.FindingChange f : d.findings()) {
            if (f.status().equals("still")) continue;
            tests++;
            cases.append("    <testcase classname=\"changed-since.finding\" name=\"")
                    .append(Text.markup(f.id() + " " + f.ports() + " " + f.status(), true)).append("\" time=\"0\">");
            if (f.status().equals("unknown")) {
                skipped++;
                cases.append("<skipped message=\"").append(Text.markup(L10n.t("diff.notcovered"), true)).append("\"/>");
            }
            cases.append("</testcase>\n");
        }
        String suite = "  <testsuite name=\"changed-since\" tests=\"" + tests + "\" failures=\"0\" errors=\"0\" skipped=\"" + skipped
                + "\" time=\"0\">\n    <properties><property name=\"since\" value=\"" + Text.markup(Text.printable(d.labelA(), 300), true)
                + "\"/></properties>\n" + cases + "  </testsuite>\n";
        Matcher m = SUITES.matcher(doc);
        String out = doc;
        if (m.find()) {
            out = doc.substring(0, m.start()) + "<testsuites name=\"portaudit\" tests=\"" + (Integer.parseInt(m.group(1)) + tests) + "\""
                    + m.group(2) + " skipped=\"" + (Integer.parseInt(m.group(3)) + skipped) + "\">" + doc.substring(m.end());
        }
        return insertBefore(out, "</testsuites>", suite);
    }
}
