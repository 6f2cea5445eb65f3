package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Severity;
import io.portaudit.model.Text;
import java.io.PrintWriter;

/** The plain-text audit report for a terminal or a log; colour only when asked (a terminal). */
public final class TextReport {
    private TextReport() {}

    public static void write(AuditResult r, PrintWriter out, boolean color) {
        Ansi a = new Ansi(color);
        out.printf("%s%n", a.bold("portaudit audit of " + Text.printable(r.snapshot().host(), 80) + " (" + Text.printable(r.snapshot().source(), 200) + ")"
                + (r.partial() ? "  [PARTIAL]" : "")));
        out.printf("collected %s%n", r.snapshot().collectedAt());
        out.printf("views: %s%s%n", r.viewsPresent().isEmpty() ? "(none)" : String.join(", ", r.viewsPresent()),
                r.viewsMissing().isEmpty() ? "" : "   missing: " + String.join(", ", r.viewsMissing()));
        for (String u : r.unknowns()) out.println("  unknown: " + Text.printable(u, 300));
        out.println();

        out.printf("%-5s %-5s %-6s %-12s %-10s %-14s %-30s%n", "PROTO", "PORT", "FAMILY", "SERVICE", "FIREWALL", "SCAN", "LISTENER");
        for (PortRow row : r.rows()) {
            String fw = row.firewall() == null ? "?" : row.firewall().verdict().label()
                    + (row.firewall().redirect() == null ? "" : "->" + row.firewall().redirect().target());
            String scan = row.scan() == null ? "-" : row.scan().state().label();
            String listener = row.listeners().isEmpty() ? "-" : String.join(",", row.listeners().stream()
                    .map(l -> l.endpoint() + (l.owners().isEmpty() ? "" : " " + l.owners().get(0).comm())).toList());
            out.printf("%-5s %-5d %-6s %-12s %-10s %-14s %s%n", row.protocol().label(), row.port(), row.family().label(),
                    Text.printable(row.service() == null ? "-" : row.service(), 11), fw, scan, Text.printable(listener, 80));
        }
        if (r.rows().isEmpty()) out.println("(no ports: nothing listens, nothing is accepted, nothing was scanned)");
        out.println();

        out.println(a.bold("findings"));
        for (Gate.Gated g : r.outcome().findings()) {
            Finding f = g.finding();
            String tag = switch (g.status()) {
                case FAILS -> a.red("FAIL");
                case ACCEPTED -> a.green("ok  ");
                default -> "    ";
            };
            out.printf("%s %-8s %-22s %s%n", tag, sev(a, f.severity()), f.id(), Text.printable(f.title(), 200));
            if (g.note() != null) out.printf("       %s%n", Text.printable(g.note(), 200));
            for (Evidence e : f.evidence()) {
                out.printf("       %-8s %s%s%n", Text.printable(e.view(), 20), Text.printable(e.text(), 160), e.source() == null ? "" : "  [" + Text.printable(e.source(), 80) + "]");
            }
            for (String fix : f.remedy()) out.printf("       fix: %s%n", Text.printable(fix, 200));
        }
        if (r.outcome().findings().isEmpty()) out.println("(none)");
        if (!r.notChecked().isEmpty()) {
            out.println();
            out.println(a.bold("checks that did not run") + " (their view or probe is missing: not a pass)");
            for (var e : r.notChecked().entrySet()) out.printf("  %-22s %s%n", e.getKey(), e.getValue());
        }
        if (!r.outcome().changes().isEmpty()) {
            out.println();
            out.println(a.bold("compared with " + (r.policy().product() == null ? "the policy" : Text.printable(r.policy().product(), 120))));
            for (Gate.Change c : r.outcome().changes()) out.printf("  %-7s %-28s %s%n", c.kind(), Text.printable(c.port(), 120), Text.printable(c.detail(), 120));
        }
        if (!r.problems().isEmpty()) {
            out.println();
            for (ParseProblem p : r.problems()) out.println(p.format());
        }
        if (!r.notes().isEmpty()) {
            out.println();
            for (String n : r.notes()) out.println("note: " + Text.printable(n, 2000)); // a console paste's note names every skipped line range
        }
        out.println();
        String verdict = r.partial() ? a.red("PARTIAL") : r.unreadable() ? a.red("INCOMPLETE (input lines not read: unparsed-input)") : r.outcome().failed() ? a.red("FAIL") : a.green("PASS");
        out.printf("result: %s (%d finding(s) at or above %s fail the gate; %d accepted by exceptions)%n", verdict,
                r.count(Gate.Status.FAILS), r.outcome().failOn().label(), r.count(Gate.Status.ACCEPTED));
        out.flush();
    }

    private static String sev(Ansi a, Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> a.red(String.format("%-8s", s.label()));
            case MEDIUM -> a.yellow(String.format("%-8s", s.label()));
            default -> String.format("%-8s", s.label());
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
