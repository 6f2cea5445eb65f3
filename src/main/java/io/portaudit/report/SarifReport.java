package io.portaudit.report;

import io.portaudit.model.L10n;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.FindingCatalog;
import io.portaudit.audit.Gate;
import io.portaudit.model.Evidence;
import io.portaudit.model.Finding;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SARIF 2.1.0: one result per finding, rule metadata from the findings catalogue. */
public final class SarifReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final Pattern FILE_LINE = Pattern.compile("^(.+?):(\\d+)$");

    private SarifReport() {}

    public static void write(AuditResult r, Writer out) throws IOException {
        List<String> ids = new ArrayList<>(FindingCatalog.IDS.keySet());
        List<Object> rules = new ArrayList<>();
        for (String id : ids) {
            FindingCatalog.Entry e = FindingCatalog.IDS.get(id);
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", id);
            rule.put("name", camel(id));
            // in the report's language (SARIF allows any); the rule ids stay
            rule.put("shortDescription", Map.of("text", FindingCatalog.shortText(id)));
            rule.put("fullDescription", Map.of("text", FindingCatalog.fullText(id)));
            rule.put("help", Map.of("text", FindingCatalog.help(id)));
            rule.put("helpUri", "https://github.com/portaudit/portaudit/blob/main/docs/FINDINGS.md#" + id);
            rule.put("defaultConfiguration", Map.of("level", level(e.severity())));
            rule.put("properties", ordered("security-severity", securitySeverity(e.severity()), "tags", List.of("security", "network")));
            rules.add(rule);
        }
        List<Object> results = new ArrayList<>();
        for (Gate.Gated g : r.outcome().atoms()) { // a result per rule id: a merged finding's reasons one by one
            Finding f = g.finding();
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("ruleId", f.id());
            res.put("ruleIndex", ids.indexOf(f.id()));
            res.put("level", level(f.severity()));
            StringBuilder msg = new StringBuilder(f.title()).append(". ").append(f.detail() == null ? "" : f.detail());
            if (!f.remedy().isEmpty()) msg.append(' ').append(L10n.t("sarif.fix")).append(' ').append(String.join(" ; ", f.remedy()));
            res.put("message", Map.of("text", msg.toString()));
            res.put("locations", List.of(location(r, f)));
            if (g.status() == Gate.Status.ACCEPTED) {
                res.put("suppressions", List.of(ordered("kind", "external", "justification", g.note() == null ? "" : g.note())));
            }
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("severity", f.severity().label());
            props.put("gate", g.status().name().toLowerCase(java.util.Locale.ROOT));
            props.put("evidence", f.evidence().stream().map(e -> e.view() + ": " + e.text()).toList());
            res.put("properties", props);
            res.put("partialFingerprints", Map.of("portaudit/v1", f.id() + "|" + f.protocol() + "|" + f.family() + "|" + f.ports()));
            results.add(res);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "portaudit");
        driver.put("version", Reports.version());
        driver.put("informationUri", "https://github.com/portaudit/portaudit");
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("executionSuccessful", !r.incomplete());
        // checks that never ran: a notification each, so that no result is not read as "passed"
        List<Object> notes = new ArrayList<>();
        for (var e : r.notChecked().entrySet()) {
            notes.add(ordered("level", "note", "message", Map.of("text", e.getKey() + ": " + e.getValue()),
                    "associatedRule", ordered("id", e.getKey(), "index", ids.indexOf(e.getKey()))));
        }
        if (!notes.isEmpty()) invocation.put("toolExecutionNotifications", notes);
        run.put("invocations", List.of(invocation));
        run.put("results", results);
        run.put("properties", ordered("host", String.valueOf(r.snapshot().host()), "source", String.valueOf(r.snapshot().source())));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        root.put("runs", List.of(run));
        MAPPER.writeValue(out, root);
        out.write('\n');
    }

    /** The evidence's file:line when it has one (a pasted input), else the device and port as a logical location. */
    /** A map that keeps the order it is given in ({@code Map.of}'s order changes from one JVM to the next). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static Map<String, Object> location(AuditResult r, Finding f) {
        for (Evidence e : f.evidence()) {
            if (e.source() == null) continue;
            Matcher m = FILE_LINE.matcher(e.source());
            if (m.matches()) {
                return Map.of("physicalLocation", ordered("artifactLocation", Map.of("uri", m.group(1)),
                        "region", Map.of("startLine", Integer.parseInt(m.group(2)))));
            }
        }
        String name = (r.snapshot().host() == null ? "device" : r.snapshot().host())
                + (f.protocol() == null ? "" : "/" + f.protocol().label() + "/" + f.ports());
        return Map.of("logicalLocations", List.of(ordered("name", name, "kind", "resource")));
    }

    private static String level(io.portaudit.model.Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    private static String securitySeverity(io.portaudit.model.Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }

    private static String camel(String id) {
        StringBuilder sb = new StringBuilder();
        for (String part : id.split("-")) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return sb.toString();
    }
}
