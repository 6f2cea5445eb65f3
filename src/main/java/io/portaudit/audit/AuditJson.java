package io.portaudit.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Finding;
import io.portaudit.model.Listener;
import io.portaudit.model.ModelJson;
import io.portaudit.model.L10n;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortResult;
import io.portaudit.model.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The audit result as a JSON document and back: {@code audit --json} writes it, {@code audit --input previous.json}
 * and the history store read it. The document is documented in docs/FORMATS.md and by
 * {@code src/main/resources/schema/portaudit-audit.schema.json}; every model type in it is written by
 * {@link ModelJson}'s one mapping, keys in schema order, so the same result gives the same bytes.
 *
 * <p>{@code write(read(doc))} is {@code doc} again (with this version's {@code tool.version}). Fields this version does
 * not know (a newer portaudit's) are ignored and named in a note of the result read back; a document that is not an
 * audit result, or lacks what a report needs, is an {@link AuditJsonException}.
 */
public final class AuditJson {
    public static final String SCHEMA = "portaudit-audit";
    /** 3 since findings merged one per port and problem carry their {@code reasons}; version 2 documents are still read. */
    public static final int SCHEMA_VERSION = 3;
    /** The oldest version read back (the store holds older audits). */
    public static final int OLDEST_READ = 2;

    private AuditJson() {}

    /** Not an audit document, or one that lacks or garbles what a report needs. */
    public static final class AuditJsonException extends Exception {
        public AuditJsonException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper MAPPER = ModelJson.configure(JsonMapper.builder()).addModule(module()).build();

    /** The audit's mapper: the model's mapping plus the audit's own types (rows, gate changes, policy allows). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static SimpleModule module() {
        SimpleModule m = new SimpleModule("portaudit-audit");
        ModelJson.label(m, Gate.Status.class, s -> s.name().toLowerCase(Locale.ROOT));
        m.setMixInAnnotation(PortRow.class, PortRowMixin.class);
        m.setMixInAnnotation(Gate.Change.class, ChangeMixin.class);
        m.setMixInAnnotation(Policy.Allow.class, AllowMixin.class);
        return m;
    }

    @JsonPropertyOrder({"protocol", "family", "port", "service", "firewall", "listeners", "scan", "expectedScanState"})
    abstract static class PortRowMixin {
        @JsonProperty("expectedScanState")
        abstract String expected();
    }

    @JsonPropertyOrder({"kind", "port", "detail"})
    abstract static class ChangeMixin {}

    @JsonPropertyOrder({"protocol", "ports", "family", "program", "comment"})
    abstract static class AllowMixin {}

    public static String version() {
        String v = AuditJson.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The document, pretty-printed, ending with a newline. */
    public static String write(AuditResult r) {
        Chunks out = new Chunks();
        try {
            write(r, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Writes the document as {@link #tree} would print it, byte for byte, without holding the whole tree: the ports and
     * the findings are turned into trees and written one at a time (for a 200k-rule audit the whole tree was ~150 MB,
     * which the serial collector promoted and kept as heap).
     */
    public static void write(AuditResult r, Writer out) throws IOException {
        JsonGenerator g = MAPPER.writerWithDefaultPrettyPrinter().createGenerator(out);
        g.setCodec(STREAMING);
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = head(r).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
        g.writeFieldName("ports");
        g.writeStartArray();
        for (PortRow row : r.rows()) g.writeTree(MAPPER.valueToTree(row));
        g.writeEndArray();
        g.writeFieldName("findings");
        g.writeStartArray();
        for (Gate.Gated f : r.outcome().findings()) g.writeTree(finding(f));
        g.writeEndArray();
        for (Iterator<Map.Entry<String, JsonNode>> it = tail(r).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
        g.writeEndObject();
        g.flush();
        out.write('\n');
        out.flush();
    }

    /** The mapper that writes the parts of a streamed document: {@link #MAPPER}, without a flush after every part. */
    private static final ObjectMapper STREAMING = MAPPER.copy().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    /** A writer that keeps what it is given as pieces and joins them once (no buffer doubling, one copy). */
    private static final class Chunks extends Writer {
        private final List<String> pieces = new ArrayList<>();

        @Override
        public void write(char[] buf, int off, int len) {
            if (len > 0) pieces.add(new String(buf, off, len));
        }

        @Override
        public void write(String str, int off, int len) {
            if (len > 0) pieces.add(str.substring(off, off + len));
        }

        @Override
        public void write(int c) {
            pieces.add(String.valueOf((char) c));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return String.join("", pieces);
        }
    }

    /** The document as a tree, keys in schema order. */
    public static ObjectNode tree(AuditResult r) {
        ObjectNode root = head(r);
        root.set("ports", MAPPER.valueToTree(r.rows()));
        ArrayNode findings = root.putArray("findings");
        for (Gate.Gated g : r.outcome().findings()) findings.add(finding(g));
        root.setAll(tail(r));
        return root;
    }

    /** The document's keys before {@code ports}. */
    private static ObjectNode head(AuditResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("schemaVersion", SCHEMA_VERSION);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", "portaudit");
        tool.put("version", version());
        ObjectNode device = root.putObject("device");
        device.put("host", r.snapshot().host());
        device.put("source", r.snapshot().source());
        device.put("collectedAt", r.snapshot().collectedAt() == null ? null : r.snapshot().collectedAt().toString());
        device.put("partial", r.partial());
        ObjectNode views = root.putObject("views");
        views.set("present", MAPPER.valueToTree(r.viewsPresent()));
        views.set("missing", MAPPER.valueToTree(r.viewsMissing()));
        views.set("unknown", MAPPER.valueToTree(r.unknowns()));

        ObjectNode summary = root.putObject("summary");
        summary.put("result", r.partial() ? "partial" : r.unreadable() ? "incomplete" : r.outcome().failed() ? "fail" : "pass");
        summary.put("exitCode", r.exitCode());
        summary.put("failOn", r.outcome().failOn().label());
        ObjectNode bySeverity = summary.putObject("findingsBySeverity");
        for (Severity s : Severity.values()) {
            bySeverity.put(s.label(), r.outcome().findings().stream().filter(g -> g.finding().severity() == s).count());
        }
        summary.put("failing", r.count(Gate.Status.FAILS));
        summary.put("accepted", r.count(Gate.Status.ACCEPTED));

        if (r.policy() != null && r.policy().source() != null) {
            ObjectNode p = root.putObject("policy");
            p.put("product", r.policy().product());
            p.put("source", r.policy().source());
            p.set("allow", MAPPER.valueToTree(r.policy().allow()));
            p.set("gate", MAPPER.valueToTree(r.policy().gate().stream().sorted().toList()));
            p.set("changes", MAPPER.valueToTree(r.outcome().changes()));
        } else {
            root.putNull("policy");
        }
        return root;
    }

    /** The document's keys after {@code findings}. */
    private static ObjectNode tail(AuditResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode notChecked = root.putArray("notChecked");
        r.notChecked().forEach((id, reason) -> notChecked.addObject().put("id", id).put("reason", reason));
        root.set("problems", MAPPER.valueToTree(r.problems()));
        root.set("notes", MAPPER.valueToTree(r.notes()));
        if (r.texts() != null) {
            // the texts again as message keys and arguments, so a reader in the other language gets them in its own
            root.put("lang", r.texts().lang().tag());
            ObjectNode texts = root.putObject("texts");
            neutralTexts(r.texts().neutral(), texts);
        }
        return root;
    }

    /**
     * The neutral texts of a result, as {@code neutralTexts(tree(n), "", out)} would find them, in the same order, without
     * holding the whole tree of the neutral result: its ports and findings are turned into trees one at a time (for a
     * 200k-rule audit the neutral result's whole tree was a second ~150 MB tree beside the streamed document).
     */
    private static void neutralTexts(AuditResult n, ObjectNode out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = head(n).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            neutralTexts(e.getValue(), "/" + pointerKey(e.getKey()), out);
        }
        List<PortRow> rows = n.rows();
        for (int i = 0; i < rows.size(); i++) neutralTexts(MAPPER.valueToTree(rows.get(i)), "/ports/" + i, out);
        List<Gate.Gated> findings = n.outcome().findings();
        for (int i = 0; i < findings.size(); i++) neutralTexts(finding(findings.get(i)), "/findings/" + i, out);
        for (Iterator<Map.Entry<String, JsonNode>> it = tail(n).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            neutralTexts(e.getValue(), "/" + pointerKey(e.getKey()), out);
        }
    }

    private static String pointerKey(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** Each text of {@code node} that holds a language-neutral message, by its JSON Pointer. */
    private static void neutralTexts(JsonNode node, String at, ObjectNode out) {
        if (node.isTextual()) {
            if (L10n.marked(node.asText())) out.put(at, node.asText());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) neutralTexts(node.get(i), at + "/" + i, out);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                neutralTexts(e.getValue(), at + "/" + pointerKey(e.getKey()), out);
            }
        }
    }

    /**
     * The document with its {@code texts} put back where they were: every text a language-neutral message again; null
     * when it has none. Pointers that do not name a text of the document are ignored.
     */
    private static ObjectNode neutral(JsonNode root) {
        JsonNode texts = root.path("texts");
        if (!texts.isObject() || texts.isEmpty()) return null;
        ObjectNode copy = ((ObjectNode) root).deepCopy();
        copy.remove("texts");
        copy.remove("lang");
        for (Iterator<Map.Entry<String, JsonNode>> it = texts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) continue;
            com.fasterxml.jackson.core.JsonPointer ptr;
            try {
                ptr = com.fasterxml.jackson.core.JsonPointer.compile(e.getKey());
            } catch (IllegalArgumentException bad) {
                continue;
            }
            if (ptr.matches() || !copy.at(ptr).isTextual()) continue;
            JsonNode parent = copy.at(ptr.head());
            if (parent instanceof ObjectNode o) o.put(ptr.last().getMatchingProperty(), e.getValue().asText());
            else if (parent instanceof ArrayNode a && ptr.last().getMatchingIndex() >= 0) a.set(ptr.last().getMatchingIndex(), e.getValue().asText());
        }
        return copy;
    }

    /**
     * A gated finding: the finding's keys with the gate's {@code status} and {@code note} after its severity; a merged
     * finding's {@code reasons} last, each a gated finding of its own.
     */
    private static ObjectNode finding(Gate.Gated g) {
        ObjectNode f = MAPPER.valueToTree(g.finding());
        ObjectNode out = MAPPER.createObjectNode();
        out.set("id", f.get("id"));
        out.set("severity", f.get("severity"));
        out.put("status", g.status().name().toLowerCase(Locale.ROOT));
        out.put("note", g.note());
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
        }
        if (!g.reasons().isEmpty()) {
            ArrayNode reasons = out.putArray("reasons");
            for (Gate.Gated r : g.reasons()) reasons.add(finding(r));
        }
        return out;
    }

    /** Whether a text is an audit JSON document (the sniffer's test: its {@code "schema"} names it). */
    public static boolean looksLike(String text) {
        String head = text.length() > 4096 ? text.substring(0, 4096) : text;
        return head.stripLeading().startsWith("{") && head.matches("(?s).*\"schema\"\\s*:\\s*\"" + SCHEMA + "\".*");
    }

    /**
     * Reads a document {@link #write} wrote (this version or a newer one) back into a result, its texts in this thread's
     * language (see {@link #read(String, L10n.Lang)}).
     */
    public static AuditResult read(String json) throws AuditJsonException {
        return read(json, L10n.lang());
    }

    /**
     * Reads a document back into a result with its texts in {@code lang}: a document with {@code texts} (language-neutral
     * messages) is written in {@code lang} from them; one without (older, or from a run that had none) keeps the texts it
     * has, in the language it was made in.
     */
    public static AuditResult read(String json, L10n.Lang lang) throws AuditJsonException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AuditJsonException("not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")");
        }
        ObjectNode neutral = root == null || !root.isObject() ? null : neutral(root);
        if (neutral != null) return Localized.render(read(neutral), lang);
        return read(root);
    }

    private static AuditResult read(JsonNode root) throws AuditJsonException {
        if (root == null || !root.isObject() || !SCHEMA.equals(root.path("schema").asText(null))) {
            throw new AuditJsonException("not a portaudit audit result (no \"schema\": \"" + SCHEMA + "\")");
        }
        int version = root.path("schemaVersion").asInt(0);
        if (version < OLDEST_READ) {
            throw new AuditJsonException("an audit result of schema version " + version + " (this portaudit reads version "
                    + OLDEST_READ + " and later): run the audit again");
        }
        Reader rd = new Reader();
        rd.known(root, "", "schema", "schemaVersion", "tool", "device", "views", "summary", "policy", "ports", "findings",
                "notChecked", "problems", "notes", "changedSince", "lang", "texts");
        JsonNode device = rd.object(root, "device");
        rd.known(device, "device.", "host", "source", "collectedAt", "partial");
        rd.known(root.path("tool"), "tool.", "name", "version");
        JsonNode views = rd.object(root, "views");
        rd.known(views, "views.", "present", "missing", "unknown");
        JsonNode summary = rd.object(root, "summary");
        rd.known(summary, "summary.", "result", "exitCode", "failOn", "findingsBySeverity", "failing", "accepted");

        Instant collectedAt = rd.value(device.path("collectedAt"), Instant.class, "device.collectedAt");
        DeviceSnapshot snap = new DeviceSnapshot(device.path("source").asText(null), device.path("host").asText(null), collectedAt,
                List.of(), device.path("partial").asBoolean(false), List.of());
        List<String> present = rd.strings(views.path("present"), "views.present");
        List<String> missing = rd.strings(views.path("missing"), "views.missing");
        List<String> unknowns = rd.strings(views.path("unknown"), "views.unknown");
        Severity failOn = rd.value(summary.path("failOn"), Severity.class, "summary.failOn");
        if (failOn == null) throw new AuditJsonException("summary.failOn is missing");

        List<PortRow> rows = rd.list(root.path("ports"), new TypeReference<List<PortRow>>() {}, "ports");
        List<Gate.Gated> findings = new ArrayList<>();
        int i = 0;
        for (JsonNode f : rd.array(root, "findings")) findings.add(gated(rd, f, "findings[" + i++ + "]", true));
        Policy policy = Policy.none();
        List<Gate.Change> changes = List.of();
        JsonNode p = root.path("policy");
        if (p.isObject()) {
            rd.known(p, "policy.", "product", "source", "allow", "gate", "changes");
            List<Policy.Allow> allow = rd.list(p.path("allow"), new TypeReference<List<Policy.Allow>>() {}, "policy.allow");
            for (Policy.Allow a : allow) {
                if (a.protocol() == null || a.ports() == null) throw new AuditJsonException("policy.allow: protocol and ports are required");
            }
            policy = new Policy(p.path("product").asText(null), null, allow, failOn,
                    new LinkedHashSet<>(rd.strings(p.path("gate"), "policy.gate")), Map.of(), List.of(), p.path("source").asText(null));
            changes = rd.list(p.path("changes"), new TypeReference<List<Gate.Change>>() {}, "policy.changes");
        }
        boolean failed = findings.stream().anyMatch(g -> g.status() == Gate.Status.FAILS);
        Gate.Outcome outcome = new Gate.Outcome(findings, changes, failOn, failed);
        Map<String, String> notChecked = new LinkedHashMap<>();
        for (JsonNode n : rd.array(root, "notChecked")) notChecked.put(n.path("id").asText(), n.path("reason").asText());
        List<ParseProblem> problems = rd.list(root.path("problems"), new TypeReference<List<ParseProblem>>() {}, "problems");
        List<String> notes = new ArrayList<>(rd.strings(root.path("notes"), "notes"));

        // the listeners of the rows, once each (the document keeps them where they matter: in their rows)
        Set<Listener> listeners = new LinkedHashSet<>();
        for (PortRow row : rows) {
            rd.check(row, rows.indexOf(row));
            listeners.addAll(row.listeners());
        }
        if (!rd.unknown.isEmpty() || version > SCHEMA_VERSION) {
            notes.add(rd.unknown.isEmpty() ? L10n.t("note.readback", version, SCHEMA_VERSION)
                    : L10n.t("note.readback.unknown", version, SCHEMA_VERSION, String.join(", ", rd.unknown)));
        }
        return new AuditResult(snap, present, missing, unknowns, List.copyOf(listeners), rows, outcome, policy, null, null,
                problems, notes, notChecked);
    }

    private static Gate.Gated gated(Reader rd, JsonNode f, String at, boolean top) throws AuditJsonException {
        if (!f.isObject()) throw new AuditJsonException(at + " is not an object");
        ObjectNode copy = ((ObjectNode) f).deepCopy();
        JsonNode status = copy.remove("status");
        JsonNode note = copy.remove("note");
        JsonNode reasons = copy.remove("reasons");
        Finding finding = rd.value(copy, Finding.class, at);
        Gate.Status st = rd.value(status == null ? MAPPER.nullNode() : status, Gate.Status.class, at + ".status");
        if (finding.id() == null || finding.severity() == null || st == null) {
            throw new AuditJsonException(at + ": id, severity and status are required");
        }
        List<Gate.Gated> rs = new ArrayList<>();
        if (reasons != null && !reasons.isNull()) {
            if (!top || !reasons.isArray()) throw new AuditJsonException(at + ".reasons: " + (top ? "not an array" : "a reason has no reasons"));
            int j = 0;
            for (JsonNode r : reasons) rs.add(gated(rd, r, at + ".reasons[" + j++ + "]", false));
        }
        return new Gate.Gated(finding, st, note == null || note.isNull() ? null : note.asText(), rs);
    }

    /** Reading state: the unknown fields met so far, by path. */
    private static final class Reader {
        final Set<String> unknown = new LinkedHashSet<>();
        private final ObjectReader reader = MAPPER.reader().withHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctx, JsonParser p, JsonDeserializer<?> deser, Object bean,
                                                 String name) throws IOException {
                String type = bean instanceof Class<?> c ? c.getSimpleName() : bean == null ? "?" : bean.getClass().getSimpleName();
                unknown.add(type + "." + name);
                p.skipChildren();
                return true;
            }
        });

        void known(JsonNode node, String prefix, String... names) {
            if (!node.isObject()) return;
            Set<String> ok = Set.of(names);
            node.fieldNames().forEachRemaining(n -> {
                if (!ok.contains(n)) unknown.add(prefix + n);
            });
        }

        JsonNode object(JsonNode root, String name) throws AuditJsonException {
            JsonNode n = root.path(name);
            if (!n.isObject()) throw new AuditJsonException(name + " is missing or not an object");
            return n;
        }

        JsonNode array(JsonNode root, String name) throws AuditJsonException {
            JsonNode n = root.path(name);
            if (n.isMissingNode() || n.isNull()) return MAPPER.createArrayNode();
            if (!n.isArray()) throw new AuditJsonException(name + " is not an array");
            return n;
        }

        <T> T value(JsonNode n, Class<T> type, String at) throws AuditJsonException {
            if (n == null || n.isMissingNode() || n.isNull()) return null;
            try {
                return reader.forType(type).readValue(n);
            } catch (IOException | RuntimeException e) {
                throw new AuditJsonException(at + ": " + message(e));
            }
        }

        <T> List<T> list(JsonNode n, TypeReference<List<T>> type, String at) throws AuditJsonException {
            if (n == null || n.isMissingNode() || n.isNull()) return List.of();
            if (!n.isArray()) throw new AuditJsonException(at + " is not an array");
            try {
                List<T> out = reader.forType(type).readValue(n);
                if (out.contains(null)) throw new AuditJsonException(at + " holds a null entry");
                return out;
            } catch (IOException | RuntimeException e) {
                throw new AuditJsonException(at + ": " + message(e));
            }
        }

        List<String> strings(JsonNode n, String at) throws AuditJsonException {
            return list(n, new TypeReference<List<String>>() {}, at);
        }

        /** What a report needs of a row is there (a record read from JSON may have nulls a live one never has). */
        void check(PortRow row, int index) throws AuditJsonException {
            String at = "ports[" + index + "]";
            if (row.protocol() == null || row.family() == null) throw new AuditJsonException(at + ": protocol and family are required");
            if (row.firewall() != null && (row.firewall().range() == null || row.firewall().verdict() == null)) {
                throw new AuditJsonException(at + ".firewall: range and verdict are required");
            }
            for (Listener l : row.listeners()) {
                if (l.protocol() == null || l.family() == null || l.scope() == null || l.address() == null) {
                    throw new AuditJsonException(at + ".listeners: protocol, family, address and scope are required");
                }
            }
            PortResult s = row.scan();
            if (s != null && (s.protocol() == null || s.state() == null || s.address() == null)) {
                throw new AuditJsonException(at + ".scan: address, protocol and state are required");
            }
        }

        private static String message(Exception e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            if (e.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) m = iae.getMessage();
            return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        }
    }
}
