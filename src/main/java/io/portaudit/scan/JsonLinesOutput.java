package io.portaudit.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.PortResult;
import java.io.PrintWriter;

/**
 * {@code --json}: JSON lines. {@code {"type":"port",...}} for every port as it is decided (with
 * {@code --open} only open ones), {@code {"type":"host",...}} when a host is done, and a final
 * {@code {"type":"summary",...,"partial":bool}}. Banners are kept raw (JSON escapes them).
 */
public final class JsonLinesOutput implements ScanListener {
    private static final ObjectMapper M = io.portaudit.model.ModelJson.mapper();
    private final PrintWriter out;
    private final boolean openOnly;

    public JsonLinesOutput(PrintWriter out, boolean openOnly) {
        this.out = out;
        this.openOnly = openOnly;
    }

    /** A port record: {@code "type": "port"} then the port in the model's one JSON mapping (docs/FORMATS.md). */
    public static ObjectNode toJson(PortResult r) {
        ObjectNode n = M.createObjectNode();
        n.put("type", "port");
        n.setAll((ObjectNode) M.valueToTree(r));
        return n;
    }

    @Override
    public void started(ScanInfo info) {
        ObjectNode n = M.createObjectNode();
        n.put("type", "start");
        n.put("scanner", "portaudit");
        n.put("version", info.version());
        n.put("args", info.args());
        n.put("start", info.startMillis());
        n.put("tcp", info.tcp() == null ? "" : info.tcp().toString());
        n.put("udp", info.udp() == null ? "" : info.udp().toString());
        out.println(n);
        out.flush();
    }

    @Override
    public void port(PortResult r) {
        if (openOnly && r.state() != io.portaudit.model.PortState.OPEN) return;
        out.println(toJson(r));
    }

    @Override
    public void host(HostReport h) {
        ObjectNode n = M.createObjectNode();
        n.put("type", "host");
        n.put("address", h.address());
        n.put("status", h.up() ? "up" : "down");
        n.put("reason", h.reason());
        if (h.srttUs() >= 0) n.put("srtt_us", h.srttUs());
        if (h.timedOut()) n.put("timed_out", true);
        ObjectNode c = n.putObject("counts");
        h.counts().forEach((s, k) -> c.put(s.label(), k));
        out.println(n);
        out.flush();
    }

    @Override
    public void finished(ScanSummary s) {
        ObjectNode n = M.createObjectNode();
        n.put("type", "summary");
        n.put("hosts_up", s.hostsUp());
        n.put("hosts_down", s.hostsDown());
        n.put("elapsed", s.elapsedSeconds());
        n.put("partial", s.partial());
        if (s.partial()) n.put("reason", s.exitReason());
        out.println(n);
        out.flush();
    }
}
