package io.portaudit.report;

import io.portaudit.model.L10n;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.portaudit.model.Text;
import io.portaudit.store.Diff;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code portaudit diff} reports: text in the {@code -}/{@code +} style of nmap's ndiff (a changed port is its old line
 * then its new line; {@code ?} marks a port one side did not cover), JSON, Markdown, HTML and JUnit (one test case
 * per port and finding; a difference is a failure).
 */
public final class DiffReport {
    public static final List<String> FORMATS = List.of("text", "json", "markdown", "md", "html", "junit");
    /** Made on first use: a text diff (the common case, a short-lived process) never builds an ObjectMapper. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private DiffReport() {}

    public static void write(String format, Diff d, PrintWriter out, boolean all) throws IOException {
        switch (format) {
            case "text" -> text(d, out, all);
            case "json" -> {
                Json.MAPPER.writeValue(out, tree(d));
                out.println();
            }
            case "markdown", "md" -> markdown(d, out, all);
            case "html" -> html(d, out, all);
            case "junit" -> junit(d, out);
            default -> throw new IllegalArgumentException("diff writes " + String.join(", ", FORMATS) + ", not '" + format + "'");
        }
        out.flush();
    }

    /** A device string made printable and bounded (300 characters), as every diff rendering shows it. */
    public static String p(String s) {
        return Text.printable(s == null ? "" : s, 300);
    }

    /** ndiff style: unchanged ports only with {@code all}. */
    public static void text(Diff d, PrintWriter out, boolean all) {
        out.println("--- " + p(d.labelA()));
        out.println("+++ " + p(d.labelB()));
        for (Diff.PortChange c : d.ports()) {
            String port = String.format("%-16s", c.key());
            switch (c.status()) {
                case NEW -> out.println("+" + port + " " + p(c.b().summary()));
                case GONE -> out.println("-" + port + " " + p(c.a().summary()));
                case CHANGED -> {
                    out.println("-" + port + " " + p(c.a() == null ? L10n.t("diff.norow") : c.a().summary()));
                    out.println("+" + port + " " + p(c.b() == null ? L10n.t("diff.norow") : c.b().summary()));
                    out.println("  " + " ".repeat(16) + " " + L10n.t("diff.changed") + " " + p(changes(c)));
                }
                case UNKNOWN -> out.println("?" + port + " " + L10n.t("diff.unknown") + " " + c.why());
                case SAME -> {
                    if (all) out.println(" " + port + " " + p(c.b() == null ? "" : c.b().summary()));
                }
            }
        }
        boolean header = false;
        for (Diff.FindingChange f : d.findings()) {
            if (f.status().equals("still") && !all) continue;
            if (!header) {
                out.println(L10n.t("diff.findings"));
                header = true;
            }
            String mark = switch (f.status()) { case "new" -> "+"; case "resolved" -> "-"; case "unknown" -> "?"; default -> " "; };
            out.println(mark + String.format("%-26s %-18s %s %s", p(f.id()), p(f.ports()),
                    io.portaudit.model.DisplayWidth.pad(p(word("severity.", f.severity())), 8), word("diff.fst.", f.status())));
        }
        out.println(d.different() ? counts(d)
                : L10n.t("diff.nodiff", d.count(Diff.Status.SAME), d.count(Diff.Status.UNKNOWN)));
    }

    /** {@code 1 new, 0 gone, ... ports; 1 new, 0 resolved findings} in the report's language. */
    public static String counts(Diff d) {
        return L10n.t("diff.counts", d.count(Diff.Status.NEW), d.count(Diff.Status.GONE), d.count(Diff.Status.CHANGED),
                d.count(Diff.Status.SAME), d.count(Diff.Status.UNKNOWN), d.findings().stream().filter(f -> f.status().equals("new")).count(),
                d.findings().stream().filter(f -> f.status().equals("resolved")).count());
    }

    /** What changed on a port: {@code field from -> to; ...}. */
    public static String changes(Diff.PortChange c) {
        List<String> parts = new ArrayList<>();
        for (Diff.Change ch : c.changes()) parts.add(field(ch.field()) + " " + dash(ch.from()) + " -> " + dash(ch.to()));
        return String.join("; ", parts);
    }

    /** A row's field in words of the report's language ({@code row.f.*}; one without words as it is). */
    public static String field(String name) {
        return io.portaudit.model.L10n.has("row.f." + name) ? io.portaudit.model.L10n.t("row.f." + name) : name;
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    public static Map<String, Object> tree(Diff d) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "portaudit-diff");
        root.put("schemaVersion", 1);
        root.put("a", d.labelA());
        root.put("b", d.labelB());
        root.put("different", d.different());
        List<Object> ports = new ArrayList<>();
        for (Diff.PortChange c : d.ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", c.protocol().label());
            m.put("family", c.family().label());
            m.put("port", c.port());
            m.put("status", c.status().label());
            m.put("why", c.why());
            m.put("a", c.a() == null ? null : c.a().summary());
            m.put("b", c.b() == null ? null : c.b().summary());
            m.put("changes", c.changes().stream().map(ch -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("field", ch.field());
                x.put("from", ch.from());
                x.put("to", ch.to());
                return x;
            }).toList());
            ports.add(m);
        }
        root.put("ports", ports);
        root.put("findings", d.findings().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("ports", f.ports());
            m.put("severity", f.severity());
            m.put("status", f.status());
            m.put("title", f.title());
            return m;
        }).toList());
        return root;
    }

    private static void markdown(Diff d, PrintWriter out, boolean all) {
        out.println("# portaudit diff");
        out.println();
        markdownBody(d, out, all);
    }

    /** The diff's Markdown without a title: the labels and the port and finding tables. */
    static void markdownBody(Diff d, PrintWriter out, boolean all) {
        out.println("A: " + md(d.labelA()) + "  ");
        out.println("B: " + md(d.labelB()));
        out.println();
        out.println("| " + L10n.t("diff.col.port") + " | " + L10n.t("diff.col.status") + " | A | B | " + L10n.t("diff.col.what") + " |");
        out.println("|---|---|---|---|---|");
        for (Diff.PortChange c : d.ports()) {
            if (c.status() == Diff.Status.SAME && !all) continue;
            out.println("| " + c.key() + " | " + word("diff.pst.", c.status().label()) + " | " + md(c.a() == null ? "" : c.a().summary()) + " | "
                    + md(c.b() == null ? "" : c.b().summary()) + " | " + md(c.status() == Diff.Status.UNKNOWN ? c.why() : changes(c)) + " |");
        }
        out.println();
        out.println("| " + L10n.t("diff.col.finding") + " | " + L10n.t("diff.col.ports") + " | " + L10n.t("diff.col.severity") + " | "
                + L10n.t("diff.col.status") + " |");
        out.println("|---|---|---|---|");
        for (Diff.FindingChange f : d.findings()) {
            if (f.status().equals("still") && !all) continue;
            out.println("| " + md(f.id()) + " | " + md(f.ports()) + " | " + md(word("severity.", f.severity())) + " | " + word("diff.fst.", f.status()) + " |");
        }
    }

    /** A status or severity in the report's language ({@code prefix + value}); a value without a message as it is. */
    public static String word(String prefix, String value) {
        return value != null && L10n.has(prefix + value) ? L10n.t(prefix + value) : value;
    }

    private static String md(String s) {
        return Text.markup(p(s), false).replace("|", "\\|");
    }

    private static String h(String s) {
        return Text.markup(p(s), false);
    }

    private static void html(Diff d, PrintWriter out, boolean all) {
        out.println("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>portaudit diff</title>");
        out.println("<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}table{border-collapse:collapse}"
                + ".new{background:#efe}.gone{background:#fee}.changed{background:#ffd}.unknown{color:#777}</style></head><body>");
        out.println("<h1>portaudit diff</h1>");
        htmlBody(d, out, all);
        out.println("</body></html>");
    }

    /** The diff's HTML without a page around it: the labels and the port and finding tables (no style of its own). */
    static void htmlBody(Diff d, PrintWriter out, boolean all) {
        out.println("<p>A: " + h(d.labelA()) + "<br>B: " + h(d.labelB()) + "</p>");
        out.print(Templates.render("report/diff.jte", java.util.Map.of("d", d, "all", all)));
    }

    private static void junit(Diff d, PrintWriter out) {
        long failures = d.ports().stream().filter(c -> c.status() != Diff.Status.SAME && c.status() != Diff.Status.UNKNOWN).count()
                + d.findings().stream().filter(f -> f.status().equals("new") || f.status().equals("resolved")).count();
        long skipped = d.count(Diff.Status.UNKNOWN);
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.println("<testsuite name=\"portaudit diff\" tests=\"" + (d.ports().size() + d.findings().size()) + "\" failures=\"" + failures
                + "\" skipped=\"" + skipped + "\">");
        for (Diff.PortChange c : d.ports()) {
            out.print("  <testcase classname=\"port\" name=\"" + Text.markup(c.key(), true) + "\">");
            switch (c.status()) {
                case SAME -> { }
                case UNKNOWN -> out.print("<skipped message=\"" + Text.markup(c.why(), true) + "\"/>");
                default -> out.print("<failure message=\"" + c.status().label() + "\">" + h(c.status() == Diff.Status.CHANGED ? changes(c)
                        : (c.status() == Diff.Status.NEW ? c.b() : c.a()).summary()) + "</failure>");
            }
            out.println("</testcase>");
        }
        for (Diff.FindingChange f : d.findings()) {
            out.print("  <testcase classname=\"finding\" name=\"" + Text.markup(f.id() + " " + f.ports(), true) + "\">");
            if (f.status().equals("unknown")) out.print("<skipped message=\"" + Text.markup(L10n.t("diff.notcovered"), true) + "\"/>");
            else if (!f.status().equals("still")) out.print("<failure message=\"" + f.status() + "\">" + h(f.title()) + "</failure>");
            out.println("</testcase>");
        }
        out.println("</testsuite>");
    }
}
