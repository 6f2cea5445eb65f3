package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Text;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/** The plain-text audit report for a terminal or a log. */
public final class TextReport {
    private TextReport() {}

    public static void write(AuditResult r, PrintWriter out) {
        out.printf("portaudit audit of %s (%s) at %s%s%n", Text.printable(r.snapshot().host(), 80), r.snapshot().source(),
                r.snapshot().collectedAt(), r.partial() ? "  [PARTIAL]" : "");
        out.printf("views: %s%s%n", String.join(", ", r.viewsPresent()),
                r.viewsMissing().isEmpty() ? "" : "   missing: " + String.join(", ", r.viewsMissing()));
        out.println();
        out.printf("%-5s %-6s %-40s %-10s %s%n", "PROTO", "FAMILY", "LOCAL ADDRESS", "SCOPE", "PROCESS");
        for (Listener l : r.listeners()) {
            String owners = l.owners().isEmpty() ? "-" : l.owners().stream().map(TextReport::owner).collect(Collectors.joining(","));
            out.printf("%-5s %-6s %-40s %-10s %s%n", l.protocol().label(), l.family().label(), Text.printable(l.endpoint(), 40),
                    l.scope().label(), owners);
        }
        if (r.listeners().isEmpty()) out.println("(no listening sockets)");
        if (!r.notes().isEmpty()) {
            out.println();
            for (String n : r.notes()) out.println("note: " + n);
        }
        for (ParseProblem p : r.problems()) out.println(p.format());
        out.flush();
    }

    private static String owner(Owner o) {
        return "\"" + Text.printable(o.comm() == null ? "?" : o.comm(), 40) + "\",pid=" + o.pid();
    }
}
