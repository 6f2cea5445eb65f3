package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import io.portaudit.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every report opens with: the verdict (at most five lines: pass/fail, why, what to fix first, what is not known)
 * and the "fix first" list, ordered by severity and then by effort. Computed once here so the text, HTML and Markdown
 * reports say the same.
 */
public final class Overview {
    private Overview() {}

    /** How much work a fix is: one command on the device, or a change someone has to make. */
    public enum Effort {
        COMMAND, CHANGE;

        public String label() {
            return L10n.t(this == COMMAND ? "effort.command" : "effort.change");
        }
    }

    /** One entry of the fix-first list: the finding, what it is about, its most direct fix and that fix's effort. */
    public record Fix(Gate.Gated gated, String subject, String remedy, Effort effort) {}

    /** The result word: PASS, FAIL, INCOMPLETE (unreadable input lines), PARTIAL (collection or scan incomplete). */
    public static String word(AuditResult r) {
        return r.partial() ? L10n.t("verdict.partial") : r.unreadable() ? L10n.t("verdict.incomplete")
                : r.outcome().failed() ? L10n.t("verdict.fail") : L10n.t("verdict.pass");
    }

    public static boolean bad(AuditResult r) {
        return r.partial() || r.unreadable() || r.outcome().failed();
    }

    /** The verdict, at most five lines. */
    public static List<String> lines(AuditResult r) {
        List<String> out = new ArrayList<>();
        List<Gate.Gated> fs = r.outcome().findings();
        long failing = r.count(Gate.Status.FAILS);
        String counts = bySeverity(fs);
        String head;
        if (r.partial()) head = L10n.t("verdict.head.partial", failing, fs.size(), counts);
        else if (r.unreadable()) head = L10n.t("verdict.head.incomplete", failing, fs.size(), counts);
        else if (r.outcome().failed()) head = L10n.t("verdict.head.fail", failing, fs.size(), severity(r.outcome().failOn()), counts);
        else head = L10n.t("verdict.head.pass", fs.size(), severity(r.outcome().failOn()), counts, r.count(Gate.Status.ACCEPTED));
        out.add(word(r) + "  " + head);
        List<Gate.Gated> why = fs.stream().filter(g -> g.status() == Gate.Status.FAILS).toList();
        if (why.isEmpty()) why = fs.stream().filter(g -> g.status() == Gate.Status.BELOW_THRESHOLD).limit(1).toList();
        if (!why.isEmpty()) {
            List<String> titles = why.stream().limit(2).map(g -> g.finding().title()).toList();
            out.add(L10n.t("verdict.why", String.join(L10n.t("list.sep"), titles)
                    + (why.size() > 2 ? " " + L10n.t("verdict.more", why.size() - 2) : "")));
        }
        List<Fix> fixes = fixFirst(r);
        if (!fixes.isEmpty()) {
            Fix f = fixes.get(0);
            out.add(L10n.t("verdict.fixfirst", f.subject(), f.remedy()));
        }
        List<String> unknown = new ArrayList<>(r.unknowns());
        if (!unknown.isEmpty() || !r.notChecked().isEmpty()) {
            String first = unknown.isEmpty() ? L10n.t("verdict.notchecked", r.notChecked().size()) : unknown.get(0);
            int more = Math.max(0, unknown.size() - 1) + (unknown.isEmpty() ? 0 : r.notChecked().isEmpty() ? 0 : 1);
            out.add(L10n.t("verdict.unknown", first) + (more > 0 ? " " + L10n.t("verdict.more", more) : ""));
        }
        return out;
    }

    private static String bySeverity(List<Gate.Gated> fs) {
        List<String> parts = new ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)) {
            long n = fs.stream().filter(g -> g.finding().severity() == s).count();
            if (n > 0) parts.add(n + " " + severity(s));
        }
        return String.join(", ", parts);
    }

    /** A severity in words of the current language. */
    public static String severity(Severity s) {
        return L10n.t("severity." + s.label());
    }

    /** A gate status in words (never the raw {@code below_threshold}). */
    public static String status(Gate.Status s) {
        return L10n.t("status." + s.name().toLowerCase(Locale.ROOT));
    }

    /**
     * The findings to fix, most severe first and, at one severity, the cheapest fix first: those that fail the gate,
     * then those below it; accepted and ungated ones are not listed.
     */
    public static List<Fix> fixFirst(AuditResult r) {
        List<Fix> out = new ArrayList<>();
        Map<String, String> services = services(r);
        for (Gate.Gated g : r.outcome().findings()) {
            if (g.status() != Gate.Status.FAILS && g.status() != Gate.Status.BELOW_THRESHOLD) continue;
            Finding f = g.finding();
            String remedy = f.remedy().isEmpty() ? L10n.t("fix.none") : f.remedy().get(0);
            out.add(new Fix(g, subject(services, f), remedy, effort(remedy)));
        }
        out.sort(Comparator.comparing((Fix x) -> x.gated().status() != Gate.Status.FAILS)
                .thenComparing(x -> x.gated().finding().severity(), Comparator.reverseOrder())
                .thenComparing(Fix::effort));
        return out;
    }

    /** What a finding is about, short: {@code tcp/21 (ftp)}, {@code IPv4 firewall}, or its id. */
    public static String subject(AuditResult r, Finding f) {
        return subject(services(r), f);
    }

    /**
     * The service name of each port ({@code tcp/22}): that of its first row that names one. Built once per report, so
     * that naming every finding's subject is not a walk of every row per finding (20,000 rows x thousands of findings).
     */
    public static Map<String, String> services(AuditResult r) {
        Map<String, String> out = new HashMap<>();
        for (PortRow row : r.rows()) {
            if (row.service() != null && row.protocol() != null) out.putIfAbsent(row.protocol().label() + "/" + row.port(), row.service());
        }
        return out;
    }

    /** {@link #subject(AuditResult, Finding)} with the port services of {@link #services} computed already. */
    public static String subject(Map<String, String> services, Finding f) {
        if (f.protocol() != null && f.ports() != null && f.ports().size() == 1) {
            String service = services.get(f.protocol().label() + "/" + f.ports().from());
            return f.protocol().label() + "/" + f.ports().from() + (service == null ? "" : " (" + service + ")");
        }
        if (f.id().equals("open-without-listener") && f.ports() != null && f.ports().size() > 1) return L10n.t("subject.latent");
        if (f.protocol() != null && f.ports() != null) return f.protocol().label() + "/" + f.ports();
        return f.id();
    }

    static Effort effort(String remedy) {
        String r = remedy.strip();
        for (String cmd : List.of("iptables ", "ip6tables ", "nft ", "systemctl ", "rc-update ", "iptables-restore", "ip6tables-restore")) {
            if (r.startsWith(cmd)) return Effort.COMMAND;
        }
        return Effort.CHANGE;
    }
}
