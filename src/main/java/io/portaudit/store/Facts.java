package io.portaudit.store;

import com.fasterxml.jackson.databind.JsonNode;
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
        if (!"portaudit-audit".equals(doc.path("schema").asText())) {
            throw new StoreException("not a portaudit audit result (no \"schema\": \"portaudit-audit\")", 2);
        }
        if (coverage == null) coverage = Coverage.ofDocument(doc);
        List<Row> rows = new ArrayList<>();
        for (JsonNode p : doc.path("ports")) {
            Protocol proto = Protocol.parse(p.path("protocol").asText());
            AddressFamily fam = family(p.path("family").asText());
            if (proto == null || fam == null) continue;
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
                continue;
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
        List<FindingRow> findings = new ArrayList<>();
        List<JsonNode> atoms = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        // a merged finding (one per port and problem) is normalized as its reasons, each with its own id, as before merging
        int i = 0;
        for (JsonNode f : doc.path("findings")) {
            if (f.path("reasons").isArray() && !f.path("reasons").isEmpty()) {
                for (int j = 0; j < f.path("reasons").size(); j++) {
                    atoms.add(f.path("reasons").get(j));
                    pointers.add("/findings/" + i + "/reasons/" + j + "/title");
                }
            } else {
                atoms.add(f);
                pointers.add("/findings/" + i + "/title");
            }
            i++;
        }
        // a title is kept language-neutral when the document has its neutral texts (so diff and --since show it in the
        // reader's language, L10n.render); else as the document wrote it
        JsonNode texts = doc.path("texts");
        for (int k = 0; k < atoms.size(); k++) {
            JsonNode f = atoms.get(k);
            JsonNode ports = f.path("ports");
            JsonNode neutral = texts.isObject() ? texts.get(pointers.get(k)) : null;
            findings.add(new FindingRow(f.path("id").asText(), f.path("severity").asText(), f.path("status").asText(),
                    Protocol.parse(text(f.path("protocol"))), family(text(f.path("family"))),
                    ports.isObject() ? ports.path("from").asInt() : null, ports.isObject() ? ports.path("to").asInt() : null,
                    neutral != null && neutral.isTextual() ? neutral.asText() : text(f.path("title"))));
        }
        JsonNode d = doc.path("device");
        JsonNode s = doc.path("summary");
        return new Facts(text(d.path("host")), text(d.path("source")), text(d.path("collectedAt")), s.path("result").asText("unknown"),
                s.path("exitCode").asInt(0), coverage, rows, findings);
    }

    /** A scan's open or open|filtered is exposed (open|filtered may be open: never called safe). */
    static boolean exposedByScan(String state) {
        return state.equals("open") || state.equals("open|filtered");
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
