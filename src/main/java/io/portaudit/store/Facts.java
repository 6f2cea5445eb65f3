package io.portaudit.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import java.io.IOException;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An audit normalized for the store, for {@code diff} and for the exposure lifecycle: one row per (protocol,
 * family, port, bind address), the findings by id and ports, and the coverage. Built from a result document
 * (the audit's JSON, as {@code report.JsonReport} writes it) or read back from the store's tables.
 */
public record Facts(String host, String source, String collectedAt, String result, int exitCode, Coverage coverage,
                    List<Row> rows, List<FindingRow> findings) {
    public Facts {
        rows = List.copyOf(rows);
        findings = List.copyOf(findings);
    }

    /**
     * One normalized row. {@code program} is the owners' process names and {@code exe} their argv[0] (never a pid or
     * inode, which change on every boot); {@code bindAddress} is empty when no listener holds the port.
     */
    public record Row(Protocol protocol, AddressFamily family, int port, String bindAddress, String scope, String firewall,
                      String program, String exe, String scanState, String service, String product, String version,
                      boolean exposed) {
        public String key() {
            return protocol.label() + "/" + port + "/" + family.label();
        }

        /** A listener is there, or the scan found the port open: the port is live, not only named by a rule. */
        public boolean live() {
            return !bindAddress.isEmpty() || "open".equals(scanState) || "open|filtered".equals(scanState);
        }
    }

    /** One finding; {@code family} and the ports null when the finding is not about a port. */
    public record FindingRow(String id, String severity, String status, Protocol protocol, AddressFamily family,
                             Integer portFrom, Integer portTo, String title) {
        public String ports() {
            if (portFrom == null) return protocol == null ? "-" : protocol.label();
            String p = portFrom.equals(portTo) ? String.valueOf(portFrom) : portFrom + "-" + portTo;
            return (protocol == null ? "" : protocol.label() + "/") + p + (family == null ? "" : "/" + family.label());
        }

        public boolean covers(Protocol p, AddressFamily f, int port) {
            return portFrom != null && (protocol == null || protocol == p) && (family == null || family == f)
                    && portFrom <= port && port <= portTo;
        }
    }

    /** Number of rows whose port is exposed. */
    public long exposedCount() {
        return rows.stream().filter(Row::exposed).count();
    }

    public static AddressFamily family(String s) {
        return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
            case "ipv4", "ip", "inet", "4" -> AddressFamily.IPV4;
            case "ipv6", "ip6", "inet6", "6" -> AddressFamily.IPV6;
            default -> null;
        };
    }

    /** Normalizes a result document; {@code coverage} null: derived from the document ({@link Coverage#ofDocument}). */
    public static Facts of(JsonNode doc, Coverage coverage) {
        Reader r = new Reader(coverage);
        r.schema = doc.path("schema").asText();
        r.views = doc.path("views");
        for (JsonNode p : doc.path("ports")) r.port(p);
        for (JsonNode f : doc.path("findings")) r.finding(f);
        JsonNode texts = doc.path("texts");
        if (texts.isObject()) texts.fields().forEachRemaining(e -> r.neutralText(e.getKey(), e.getValue()));
        r.device = doc.path("device");
        r.summary = doc.path("summary");
        return r.facts();
    }

    /** What recording needs of a document: its facts, its schema version, and the number of findings the report shows (merged per port and problem) and of those failing the gate. */
    public record Read(Facts facts, int schemaVersion, int findings, int failing) {}

    /**
     * {@link #of} of the document {@code p} reads, without a tree of the whole document: each port and each finding is
     * read as a tree of its own and dropped (the tree of a 200k-rule audit's 27 MB document held ~80 MB), the texts are
     * skipped. The same facts as {@code of(readTree(...))}.
     */
    public static Read read(JsonParser p, Coverage coverage) throws IOException {
        Reader r = new Reader(coverage);
        int schemaVersion = 0;
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            // (a tree's path() of an array or a scalar finds nothing: not an audit result)
            if (t != null) p.skipChildren();
            throw new StoreException(io.portaudit.model.L10n.t("store.notresult"), 2);
        }
        JsonNode schema = null, views = null, device = null, summary = null, version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "ports", "findings" -> {
                    boolean ports = name.equals("ports");
                    if (v == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            JsonNode x = p.readValueAsTree();
                            if (ports) r.port(x);
                            else r.finding(x);
                        }
                    } else {
                        JsonNode all = p.readValueAsTree();
                        for (JsonNode x : all) {
                            if (ports) r.port(x);
                            else r.finding(x);
                        }
                    }
                }
                case "texts" -> {
                    // only the findings' titles are kept of the texts (33,290 of them for a 200k-rule audit)
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String pointer = p.currentName();
                            p.nextToken();
                            if (pointer.startsWith("/findings/") && pointer.endsWith("/title")) r.neutralText(pointer, p.readValueAsTree());
                            else p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "schema" -> schema = p.readValueAsTree();
                case "schemaVersion" -> version = p.readValueAsTree();
                case "views" -> views = p.readValueAsTree();
                case "device" -> device = p.readValueAsTree();
                case "summary" -> summary = p.readValueAsTree();
                default -> p.skipChildren();
            }
        }
        r.schema = schema == null ? "" : schema.asText();
        r.views = views == null ? MissingNode.getInstance() : views;
        r.device = device == null ? MissingNode.getInstance() : device;
        r.summary = summary == null ? MissingNode.getInstance() : summary;
        if (version != null) schemaVersion = version.asInt(0);
        return new Read(r.facts(), schemaVersion, r.shown, r.failing);
    }

    /** Reads a document's parts in document order: its ports, its findings, then its head. */
    private static final class Reader {
        Coverage coverage;
        String schema = "";
        JsonNode views = MissingNode.getInstance(), device = MissingNode.getInstance(), summary = MissingNode.getInstance();
        final List<Row> rows = new ArrayList<>();
        final List<FindingRow> findings = new ArrayList<>();
        int shown, failing;
        /** Each finding row's JSON Pointer to its title in the document, and the neutral titles of the document's texts. */
        final List<String> titlePointers = new ArrayList<>();
        final java.util.Map<String, String> neutralTitles = new java.util.HashMap<>();
        /** For a coverage derived from the document: what {@link Coverage#ofDocument} reads of each port. */
        AddressFamily scanFamily;
        final List<PortRange> scanTcp = new ArrayList<>(), scanUdp = new ArrayList<>();

        Reader(Coverage coverage) {
            this.coverage = coverage;
        }

        void port(JsonNode p) {
            if (coverage == null && p.path("scan").isObject() && !PortState.OPEN_FILTERED.label().equals(p.path("scan").path("state").asText())) {
                scanFamily = family(p.path("family").asText());
                ("udp".equals(p.path("protocol").asText()) ? scanUdp : scanTcp).add(PortRange.of(p.path("port").asInt()));
            }
            Protocol proto = Protocol.parse(p.path("protocol").asText());
            AddressFamily fam = family(p.path("family").asText());
            if (proto == null || fam == null) return;
            int port = p.path("port").asInt();
            String fw = text(p.path("firewall").path("verdict"));
            JsonNode scan = p.path("scan");
            String state = text(scan.path("state"));
            String service = scan.isObject() && text(scan.path("service")) != null ? text(scan.path("service")) : text(p.path("service"));
            String product = text(scan.path("product"));
            String version = text(scan.path("version"));
            JsonNode listeners = p.path("listeners");
            if (listeners.isEmpty()) {
                boolean exposed = state != null ? exposedByScan(state) : false;
                rows.add(new Row(proto, fam, port, "", null, fw, null, null, state, service, product, version, exposed));
                return;
            }
            for (JsonNode l : listeners) {
                TreeSet<String> names = new TreeSet<>();
                TreeSet<String> exes = new TreeSet<>();
                for (JsonNode o : l.path("owners")) {
                    String comm = text(o.path("comm"));
                    if (comm != null) names.add(comm);
                    String cmd = text(o.path("cmdline"));
                    if (cmd != null && !cmd.isBlank()) exes.add(cmd.strip().split("\\s+")[0]);
                }
                String scope = text(l.path("scope"));
                boolean exposed = state != null ? exposedByScan(state)
                        : !"loopback".equals(scope) && (fw == null || fw.equals("accept") || fw.equals("unknown"));
                rows.add(new Row(proto, fam, port, l.path("address").asText(""), scope, fw,
                        names.isEmpty() ? null : String.join(",", names), exes.isEmpty() ? null : String.join(",", exes),
                        state, service, product, version, exposed));
            }
        }

        /** A merged finding (one per port and problem) is normalized as its reasons, each with its own id, as before merging. */
        void finding(JsonNode f) {
            shown++;
            if ("fails".equals(f.path("status").asText())) failing++;
            int i = shown - 1;
            if (f.path("reasons").isArray() && !f.path("reasons").isEmpty()) {
                for (int j = 0; j < f.path("reasons").size(); j++) atom(f.path("reasons").get(j), "/findings/" + i + "/reasons/" + j + "/title");
            } else {
                atom(f, "/findings/" + i + "/title");
            }
        }

        private void atom(JsonNode f, String pointer) {
            JsonNode ports = f.path("ports");
            findings.add(new FindingRow(f.path("id").asText(), f.path("severity").asText(), f.path("status").asText(),
                    Protocol.parse(text(f.path("protocol"))), family(text(f.path("family"))),
                    ports.isObject() ? ports.path("from").asInt() : null, ports.isObject() ? ports.path("to").asInt() : null,
                    text(f.path("title"))));
            titlePointers.add(pointer);
        }

        /**
         * One entry of the document's neutral texts: a finding's title is kept language-neutral when the document has its
         * neutral texts (so diff and --since show it in the reader's language, L10n.render); else as the document wrote it.
         */
        void neutralText(String pointer, JsonNode value) {
            if (!pointer.startsWith("/findings/") || !pointer.endsWith("/title")) return;
            if (value != null && value.isTextual()) neutralTitles.put(pointer, value.asText());
            else neutralTitles.remove(pointer);
        }

        Facts facts() {
            if (!"portaudit-audit".equals(schema)) {
                throw new StoreException(io.portaudit.model.L10n.t("store.notresult"), 2);
            }
            if (coverage == null) {
                List<String> present = new ArrayList<>();
                views.path("present").forEach(v -> present.add(v.asText()));
                coverage = present.contains("scan") ? new Coverage(present, scanFamily, PortSet.of(scanTcp), PortSet.of(scanUdp))
                        : new Coverage(present, null, null, null);
            }
            if (!neutralTitles.isEmpty()) {
                for (int k = 0; k < findings.size(); k++) {
                    String neutral = neutralTitles.get(titlePointers.get(k));
                    if (neutral != null) {
                        FindingRow f = findings.get(k);
                        findings.set(k, new FindingRow(f.id(), f.severity(), f.status(), f.protocol(), f.family(), f.portFrom(), f.portTo(), neutral));
                    }
                }
            }
            return new Facts(text(device.path("host")), text(device.path("source")), text(device.path("collectedAt")),
                    summary.path("result").asText("unknown"), summary.path("exitCode").asInt(0), coverage, rows, findings);
        }
    }

    /** A scan's open or open|filtered is exposed (open|filtered may be open: never called safe). */
    static boolean exposedByScan(String state) {
        return state.equals("open") || state.equals("open|filtered");
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
