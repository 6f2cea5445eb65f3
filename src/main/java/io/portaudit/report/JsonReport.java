package io.portaudit.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Gate;
import io.portaudit.audit.PortRow;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Finding;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortResult;
import io.portaudit.model.RuleRef;
import io.portaudit.model.Severity;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit as JSON; the schema is documented in docs/FORMATS.md and versioned by {@code schemaVersion}. */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonReport() {}

    public static void write(AuditResult r, Writer out) throws IOException {
        MAPPER.writeValue(out, tree(r));
        out.write('\n');
        out.flush();
    }

    public static Map<String, Object> tree(AuditResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "portaudit-audit");
        root.put("schemaVersion", AuditResult.SCHEMA_VERSION);
        root.put("tool", Map.of("name", "portaudit", "version", Reports.version()));
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("host", r.snapshot().host());
        device.put("source", r.snapshot().source());
        device.put("collectedAt", String.valueOf(r.snapshot().collectedAt()));
        device.put("partial", r.partial());
        root.put("device", device);
        root.put("views", Map.of("present", r.viewsPresent(), "missing", r.viewsMissing(), "unknown", r.unknowns()));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("result", r.partial() ? "partial" : r.outcome().failed() ? "fail" : "pass");
        summary.put("exitCode", r.exitCode());
        summary.put("failOn", r.outcome().failOn().label());
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            bySeverity.put(s.label(), r.outcome().findings().stream().filter(g -> g.finding().severity() == s).count());
        }
        summary.put("findingsBySeverity", bySeverity);
        summary.put("failing", r.count(Gate.Status.FAILS));
        summary.put("accepted", r.count(Gate.Status.ACCEPTED));
        root.put("summary", summary);

        if (r.policy() != null && r.policy().source() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("product", r.policy().product());
            p.put("source", r.policy().source());
            p.put("allow", r.policy().allow().stream().map(a -> a.label()).toList());
            p.put("changes", r.outcome().changes().stream().map(c -> Map.of("kind", c.kind(), "port", c.port(), "detail",
                    c.detail() == null ? "" : c.detail())).toList());
            root.put("policy", p);
        } else {
            root.put("policy", null);
        }

        List<Object> ports = new ArrayList<>();
        for (PortRow row : r.rows()) ports.add(port(row));
        root.put("ports", ports);
        List<Object> findings = new ArrayList<>();
        for (Gate.Gated g : r.outcome().findings()) findings.add(finding(g));
        root.put("findings", findings);
        root.put("notChecked", r.notChecked().entrySet().stream().map(e -> Map.of("id", e.getKey(), "reason", e.getValue())).toList());
        root.put("problems", r.problems().stream().map(JsonReport::problem).toList());
        root.put("notes", r.notes());
        return root;
    }

    static Map<String, Object> port(PortRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", row.protocol().label());
        m.put("family", row.family().label());
        m.put("port", row.port());
        m.put("service", row.service());
        ExposureRange fw = row.firewall();
        if (fw != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("verdict", fw.verdict().label());
            f.put("rejectWith", fw.rejectWith());
            f.put("range", Map.of("from", fw.range().from(), "to", fw.range().to()));
            f.put("rule", rule(fw.rule()));
            f.put("redirect", fw.redirect() == null ? null
                    : Map.of("from", fw.redirect().to().from(), "to", fw.redirect().to().to(), "rule", rule(fw.redirect().rule())));
            m.put("firewall", f);
        } else {
            m.put("firewall", null);
        }
        m.put("listeners", row.listeners().stream().map(JsonReport::listener).toList());
        PortResult s = row.scan();
        if (s != null) {
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("state", s.state().label());
            sc.put("reason", s.reason());
            sc.put("service", s.service());
            sc.put("product", s.product());
            sc.put("version", s.version());
            sc.put("banner", s.banner());
            m.put("scan", sc);
        } else {
            m.put("scan", null);
        }
        m.put("expectedScanState", row.expected());
        return m;
    }

    static Map<String, Object> rule(RuleRef rule) {
        if (rule == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", rule.table());
        m.put("chain", rule.chain());
        m.put("index", rule.index());
        m.put("text", rule.text());
        m.put("source", rule.source());
        return m;
    }

    public static Map<String, Object> listener(Listener l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", l.protocol().label());
        m.put("family", l.family().label());
        m.put("address", l.address());
        m.put("port", l.port());
        m.put("scope", l.scope().label());
        m.put("dualStack", l.dualStack());
        m.put("note", l.note());
        m.put("state", l.state());
        m.put("inode", l.inode());
        m.put("netns", l.netns());
        List<Object> owners = new ArrayList<>();
        for (Owner o : l.owners()) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("pid", o.pid());
            om.put("comm", o.comm());
            om.put("cmdline", o.cmdline());
            om.put("user", o.user());
            om.put("unit", o.unit());
            om.put("container", o.container());
            owners.add(om);
        }
        m.put("owners", owners);
        m.put("source", l.source());
        return m;
    }

    static Map<String, Object> finding(Gate.Gated g) {
        Finding f = g.finding();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("severity", f.severity().label());
        m.put("status", g.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("note", g.note());
        m.put("title", f.title());
        m.put("protocol", f.protocol() == null ? null : f.protocol().label());
        m.put("family", f.family() == null ? null : f.family().label());
        m.put("ports", f.ports() == null ? null : Map.of("from", f.ports().from(), "to", f.ports().to()));
        m.put("detail", f.detail());
        m.put("evidence", f.evidence().stream().map(e -> {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("view", e.view());
            em.put("text", e.text());
            em.put("source", e.source());
            return em;
        }).toList());
        m.put("remedy", f.remedy());
        return m;
    }

    /** A parse problem as JSON (the same shape in every command's output). */
    public static Map<String, Object> problem(ParseProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", p.source());
        m.put("line", p.line());
        m.put("column", p.column());
        m.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
        m.put("message", p.message());
        m.put("text", p.text());
        return m;
    }
}
