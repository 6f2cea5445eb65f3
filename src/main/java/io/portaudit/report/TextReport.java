package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.DisplayWidth;
import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Severity;
import io.portaudit.model.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plain-text audit report for a terminal or a log; colour only when asked (a terminal). It opens with the verdict
 * (at most five lines) and the fix-first list. Verbosity: {@code -q} (-1) prints the verdict and the failing findings
 * only; the default adds the port table, every finding with its reasons, evidence (shortened, without sources) and
 * fixes; {@code -v} (1) adds what the default hides: each reason's own title, status and detail, and the evidence in
 * full with the file and line it came from.
 */
public final class TextReport {
    private TextReport() {}

    public static void write(AuditResult r, PrintWriter out, boolean color) {
        write(r, out, color, 0);
    }

    public static void write(AuditResult r, PrintWriter out, boolean color, int verbosity) {
        Ansi a = new Ansi(color);
        List<String> verdict = Overview.lines(r);
        for (int i = 0; i < verdict.size(); i++) {
            String line = Text.printable(verdict.get(i), 400);
            out.println(i == 0 ? (Overview.bad(r) ? a.red(a.bold(line)) : a.green(a.bold(line))) : line);
        }
        if (verbosity < 0) {
            List<Gate.Gated> failing = r.outcome().findings().stream().filter(g -> g.status() == Gate.Status.FAILS).toList();
            for (Gate.Gated g : failing) {
                finding(a, out, g, -1);
            }
            out.flush();
            return;
        }
        out.println();
        out.printf("%s %s (%s)%s%n", a.bold(L10n.t("text.audit.of")), Text.printable(r.snapshot().host(), 80), Text.printable(r.snapshot().source(), 200),
                r.partial() ? "  [" + L10n.t("verdict.partial") + "]" : "");
        out.printf("%s %s%n", L10n.t("text.collected"), r.snapshot().collectedAt());
        out.printf("%s %s%s%n", L10n.t("text.views"), r.viewsPresent().isEmpty() ? L10n.t("text.none") : views(r.viewsPresent()),
                r.viewsMissing().isEmpty() ? "" : "   " + L10n.t("text.missing") + " " + views(r.viewsMissing()));
        for (String u : r.unknowns()) out.println("  " + L10n.t("text.unknown") + " " + Text.printable(u, 300));
        out.println();

        List<Overview.Fix> fixes = Overview.fixFirst(r);
        if (!fixes.isEmpty()) {
            out.println(a.bold(L10n.t("heading.fixfirst")));
            int n = 0;
            for (Overview.Fix f : fixes) {
                if (++n > 10) {
                    out.println("  " + L10n.t("fixfirst.more", fixes.size() - 10));
                    break;
                }
                out.printf("%3d. %s %s %s  [%s]%n", n, pad(Overview.severity(f.gated().finding().severity()), 8),
                        pad(Text.printable(f.subject(), 24), 24), Text.printable(f.remedy(), 160), f.effort().label());
            }
            out.println();
        }

        // every column as wide as its widest cell, header included, in terminal columns (a kanji or kana takes two: the
        // Japanese header ポート is six columns wide); the SERVICE column holds IANA names of up to 15 characters
        // (xinuexpansion4), never cut
        List<String[]> table = new java.util.ArrayList<>();
        table.add(new String[] {L10n.t("col.proto"), L10n.t("col.port"), L10n.t("col.family"), L10n.t("col.service"),
                L10n.t("col.firewall"), L10n.t("col.scan"), L10n.t("col.listener")});
        for (PortRow row : r.rows()) {
            String fw = row.firewall() == null ? "?" : row.firewall().verdict().label()
                    + (row.firewall().redirect() == null ? "" : "->" + row.firewall().redirect().target());
            String scan = row.scan() == null ? "-" : row.scan().state().label();
            String listener = row.listeners().isEmpty() ? "-" : String.join(",", row.listeners().stream()
                    .map(l -> l.endpoint() + (l.owners().isEmpty() ? "" : " " + l.owners().get(0).comm())).toList());
            table.add(new String[] {row.protocol().label(), String.valueOf(row.port()), row.family().label(),
                    Text.printable(row.service() == null ? "-" : row.service(), 40), fw, scan, Text.printable(listener, 80)});
        }
        int[] widths = {5, 5, 6, 12, 10, 14, 0};
        for (String[] cells : table) for (int c = 0; c < cells.length - 1; c++) widths[c] = Math.max(widths[c], DisplayWidth.of(cells[c]));
        for (String[] cells : table) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cells.length; c++) line.append(c == 0 ? "" : " ").append(c == cells.length - 1 ? cells[c] : DisplayWidth.pad(cells[c], widths[c]));
            out.println(line);
        }
        if (r.rows().isEmpty()) out.println(L10n.t("text.noports"));
        out.println();

        out.println(a.bold(L10n.t("heading.findings")) + " (" + r.outcome().findings().size() + ")");
        for (Gate.Gated g : r.outcome().findings()) finding(a, out, g, verbosity);
        if (r.outcome().findings().isEmpty()) out.println(L10n.t("text.none"));
        if (!r.notChecked().isEmpty()) {
            out.println();
            out.println(a.bold(L10n.t("heading.notchecked")) + " " + L10n.t("text.notchecked.why"));
            for (var e : r.notChecked().entrySet()) out.printf("  %-22s %s%n", e.getKey(), e.getValue());
        }
        if (!r.outcome().changes().isEmpty()) {
            out.println();
            out.println(a.bold(L10n.t("heading.compared", r.policy().product() == null ? L10n.t("text.thepolicy") : Text.printable(r.policy().product(), 120))));
            for (Gate.Change c : r.outcome().changes()) out.printf("  %-7s %-28s %s%n", c.kind(), Text.printable(c.port(), 120), Text.printable(c.detail(), 120));
        }
        if (!r.problems().isEmpty()) {
            out.println();
            for (ParseProblem p : r.problems()) out.println(p.format());
        }
        if (!r.notes().isEmpty()) {
            out.println();
            for (String n : r.notes()) out.println(L10n.t("text.note") + " " + Text.printable(n, 2000)); // a console paste's note names every skipped line range
        }
        out.println();
        String word = Overview.word(r);
        out.printf("%s %s%n", L10n.t("text.result"), (Overview.bad(r) ? a.red(word) : a.green(word)) + " "
                + L10n.t("text.result.counts", r.count(Gate.Status.FAILS), Overview.severity(r.outcome().failOn()), r.count(Gate.Status.ACCEPTED)));
        out.flush();
    }

    /** One finding: its status, severity, id and title; then by verbosity its reasons, evidence and fixes. */
    private static void finding(Ansi a, PrintWriter out, Gate.Gated g, int verbosity) {
        Finding f = g.finding();
        String tag = switch (g.status()) {
            case FAILS -> a.red(pad(L10n.t("tag.fail"), 4));
            case ACCEPTED -> a.green(pad(L10n.t("tag.ok"), 4));
            default -> "    ";
        };
        out.printf("%s %-8s %-22s %s%n", tag, sev(a, f.severity()), f.id(), Text.printable(f.title(), 200));
        if (verbosity < 0) {
            if (!g.reasons().isEmpty()) out.printf("       %s %s%n", L10n.t("text.reasons"), reasons(g));
            if (!f.remedy().isEmpty()) out.printf("       %s %s%n", L10n.t("text.fix"), Text.printable(f.remedy().get(0), 200));
            return;
        }
        if (g.note() != null) out.printf("       %s%n", Text.printable(g.note(), 200));
        if (verbosity == 0) {
            for (Gate.Gated reason : g.reasons()) {
                out.printf("     - %-8s %-22s %s%n", sev(a, reason.finding().severity()), reason.finding().id(), Text.printable(reason.finding().title(), 200));
            }
            List<String> lines = new ArrayList<>(new LinkedHashSet<>(f.evidence().stream()
                    .map(e -> "       " + pad(view(e.view()), 8) + " " + Text.printable(e.text(), 110)).toList()));
            lines.stream().limit(SHOWN).forEach(out::println);
            List<String> fixes = f.remedy();
            for (String fix : fixes.stream().limit(SHOWN).toList()) out.printf("       %s %s%n", L10n.t("text.fix"), Text.printable(fix, 200));
            int hidden = Math.max(0, lines.size() - SHOWN) + Math.max(0, fixes.size() - SHOWN);
            if (hidden > 0) out.printf("       %s%n", L10n.t("text.hidden", hidden));
            return;
        }
        if (f.detail() != null) out.printf("       %s%n", Text.printable(f.detail(), 2000));
        for (Gate.Gated reason : g.atoms()) {
            Finding rf = reason.finding();
            if (!g.reasons().isEmpty()) {
                out.printf("     - %-8s %-22s %s [%s]%n", sev(a, rf.severity()), rf.id(), Text.printable(rf.title(), 200),
                        Overview.status(reason.status()));
                if (reason.note() != null) out.printf("         %s%n", Text.printable(reason.note(), 200));
                if (rf.detail() != null && !rf.detail().equals(f.detail())) out.printf("         %s%n", Text.printable(rf.detail(), 2000));
            }
            for (Evidence e : rf.evidence()) {
                out.printf("       %s %s%s%n", pad(view(e.view()), 8), Text.printable(e.text(), 400),
                        e.source() == null ? "" : "  [" + Text.printable(e.source(), 200) + "]");
            }
        }
        for (String fix : f.remedy()) out.printf("       %s %s%n", L10n.t("text.fix"), Text.printable(fix, 200));
    }

    /** Evidence lines and fixes the default shows per finding; {@code -v} shows all. */
    private static final int SHOWN = 4;

    /** Pads to a width in terminal columns (a CJK character takes two). */
    static String pad(String s, int width) {
        return DisplayWidth.pad(s, width);
    }

    /** An evidence's view in words of the current language (an unknown one as it is). */
    static String view(String v) {
        String key = "ev." + v;
        return L10n.has(key) ? L10n.t(key) : Text.printable(v, 20);
    }

    /** View names in words of the current language. */
    public static String views(List<String> names) {
        return String.join(", ", names.stream().map(n -> L10n.t("view." + n)).toList());
    }

    private static String reasons(Gate.Gated g) {
        return String.join(", ", g.reasons().stream().map(r -> r.finding().id() + " (" + Overview.severity(r.finding().severity()) + ")").toList());
    }

    private static String sev(Ansi a, Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> a.red(pad(Overview.severity(s), 8));
            case MEDIUM -> a.yellow(pad(Overview.severity(s), 8));
            default -> pad(Overview.severity(s), 8);
        };
    }

    private record Ansi(boolean on) {
        String wrap(String code, String s) {
            return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
        }

        String bold(String s) {
            return wrap("1", s);
        }

        String red(String s) {
            return wrap("31", s);
        }

        String green(String s) {
            return wrap("32", s);
        }

        String yellow(String s) {
            return wrap("33", s);
        }
    }
}
