package io.portaudit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.ScanFacts;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * What an audit looked at: which views ran, and which ports its scan probed. A port an audit did not cover
 * is <em>unknown</em> for that audit, never closed: the listener view covers every port of both families (a
 * socket table lists every listener), a scan covers only the ports it probed, of its target's family.
 *
 * @param scanFamily null when no scan ran
 */
public record Coverage(List<String> views, AddressFamily scanFamily, PortSet scanTcp, PortSet scanUdp) {
    /** Made on first use: the stored coverage is read without Jackson ({@link #parse(String)}). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public Coverage {
        views = List.copyOf(views);
        if (scanTcp == null) scanTcp = PortSet.empty();
        if (scanUdp == null) scanUdp = PortSet.empty();
    }

    public boolean listeners() {
        return views.contains("listeners");
    }

    /** Did this audit see whether (protocol, family, port) was exposed? */
    public boolean covers(Protocol protocol, AddressFamily family, int port) {
        if (listeners()) return true;
        if (scanFamily != family) return false;
        return (protocol == Protocol.TCP ? scanTcp : scanUdp).contains(port);
    }

    /** From a result in memory: the scan's listed ports and the "not shown" ports whose numbers it knows. */
    public static Coverage of(AuditResult r) {
        ScanFacts s = r.scan();
        if (s == null) return new Coverage(r.viewsPresent(), null, null, null);
        PortSet tcp = PortSet.empty();
        PortSet udp = PortSet.empty();
        List<PortRange> t = new ArrayList<>();
        List<PortRange> u = new ArrayList<>();
        // open|filtered (a UDP port that answered nothing) says neither open nor closed: such a port stays unknown,
        // or a later audit would call a service that was there "closed" on the strength of silence
        for (PortResult p : s.results()) {
            if (p.state() == PortState.OPEN_FILTERED) continue;
            (p.protocol() == Protocol.TCP ? t : u).add(PortRange.of(p.port()));
        }
        tcp = tcp.union(PortSet.of(t));
        udp = udp.union(PortSet.of(u));
        for (ScanFacts.Hidden h : s.hidden()) {
            if (h.ports() == null || h.protocol() == null || h.state() == PortState.OPEN_FILTERED) continue;
            if (h.protocol() == Protocol.TCP) tcp = tcp.union(h.ports()); else udp = udp.union(h.ports());
        }
        return new Coverage(r.viewsPresent(), s.family(), tcp, udp);
    }

    /** From a result document without a coverage record: only the ports it lists a scan state for count as scanned. */
    public static Coverage ofDocument(JsonNode doc) {
        List<String> views = new ArrayList<>();
        doc.path("views").path("present").forEach(v -> views.add(v.asText()));
        if (!views.contains("scan")) return new Coverage(views, null, null, null);
        AddressFamily fam = null;
        List<PortRange> t = new ArrayList<>();
        List<PortRange> u = new ArrayList<>();
        for (JsonNode p : doc.path("ports")) {
            if (!p.path("scan").isObject() || PortState.OPEN_FILTERED.label().equals(p.path("scan").path("state").asText())) continue;
            fam = Facts.family(p.path("family").asText());
            ("udp".equals(p.path("protocol").asText()) ? u : t).add(PortRange.of(p.path("port").asInt()));
        }
        return new Coverage(views, fam, PortSet.of(t), PortSet.of(u));
    }

    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        views.forEach(o.putArray("views")::add);
        if (scanFamily != null) {
            ObjectNode s = o.putObject("scan");
            s.put("family", scanFamily.label());
            s.put("tcp", ports(scanTcp));
            s.put("udp", ports(scanUdp));
        }
        return o.toString();
    }

    /** Parsed coverages by their stored text: the audits of a fleet share a few (the same views, the same scan ports). */
    private static final java.util.Map<String, Coverage> PARSED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Coverage> e) {
                    return size() > 256;
                }
            });

    public static Coverage parse(String json) {
        Coverage c = json == null || json.length() > 65_536 ? null : PARSED.get(json);
        if (c != null) return c;
        c = parseText(json);
        if (json != null && json.length() <= 65_536) PARSED.put(json, c);
        return c;
    }

    private static Coverage parseText(String json) {
        Coverage quick = parseWritten(json);
        if (quick != null) return quick;
        try {
            return parse(Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new StoreException(io.portaudit.model.L10n.t("store.coverage", e.getMessage()), 3);
        }
    }

    public static Coverage parse(JsonNode o) {
        List<String> views = new ArrayList<>();
        o.path("views").forEach(v -> views.add(v.asText()));
        JsonNode s = o.path("scan");
        if (!s.isObject()) return new Coverage(views, null, null, null);
        return new Coverage(views, Facts.family(s.path("family").asText()), portSet(s.path("tcp").asText("")),
                portSet(s.path("udp").asText("")));
    }

    private static final java.util.regex.Pattern WRITTEN = java.util.regex.Pattern.compile(
            "\\{\"views\":\\[((?:\"[a-z-]+\"(?:,\"[a-z-]+\")*)?)\\](?:,\"scan\":\\{\"family\":\"([a-z0-9]+)\",\"tcp\":\"([0-9,-]*)\",\"udp\":\"([0-9,-]*)\"\\})?\\}");

    /**
     * The coverage exactly as {@link #toJson} writes it ({@code {"views":[...],"scan":{"family":..,"tcp":"1-1000","udp":""}}}),
     * read without Jackson: diff and history read one per audit, and building an ObjectMapper is a good part of a short
     * run. Anything else: null (Jackson reads it).
     */
    static Coverage parseWritten(String json) {
        java.util.regex.Matcher m = WRITTEN.matcher(json);
        if (!m.matches()) return null;
        List<String> views = new ArrayList<>();
        if (!m.group(1).isEmpty()) for (String v : m.group(1).split(",")) views.add(v.substring(1, v.length() - 1));
        if (m.group(2) == null) return new Coverage(views, null, null, null);
        try {
            return new Coverage(views, Facts.family(m.group(2)), portSet(m.group(3)), portSet(m.group(4)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String ports(PortSet s) {
        return s.isEmpty() ? "" : s.toString();
    }

    static PortSet portSet(String text) {
        List<PortRange> ranges = new ArrayList<>();
        if (text.isBlank()) return PortSet.empty();
        for (String part : text.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part.strip() : part.substring(0, dash).strip());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).strip());
            ranges.add(new PortRange(from, to));
        }
        return PortSet.of(ranges);
    }
}
