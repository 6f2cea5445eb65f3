package io.portaudit.web;

import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditResult;
import io.portaudit.report.DiffReport;
import io.portaudit.report.ReportLinks;
import io.portaudit.store.Diff;
import io.portaudit.store.Lifecycle;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What each page shows, as data (the JSON API writes it as it is; the templates under {@code src/main/jte/web} render
 * it). Everything is read from the store through a {@link StorePool}; the fleet is loaded once per change of the
 * store ({@link Store#changeMark}) and pages are cached until then.
 */
public final class Dashboard {
    public static final ReportLinks LINKS = (protocol, port) -> "/port/" + protocol.label() + "/" + port;

    private final StorePool pool;
    private volatile Fleet fleet;
    private final Object loadLock = new Object();

    Dashboard(StorePool pool) {
        this.pool = pool;
    }

    /** The store's current change mark (one small query). */
    String mark() {
        return pool.with(Store::changeMark);
    }

    /** The fleet as of {@code mark}, loaded again when the store changed. */
    Fleet fleet(String mark) {
        Fleet f = fleet;
        if (f != null && f.mark.equals(mark)) return f;
        synchronized (loadLock) {
            f = fleet;
            if (f != null && f.mark.equals(mark)) return f;
            f = pool.with(s -> Fleet.load(s, mark));
            fleet = f;
            return f;
        }
    }

    // ------------------------------------------------------------------ fleet

    /** One line of the fleet table. */
    public record FleetRow(long id, String name, String key, String model, String firmware, String lastAudit, long lastAuditId, String gate,
                    int exposed, int insecure, int audits, List<Integer> exposedOverTime, String spark) {}

    Map<String, Object> fleetPage(Fleet f, Fleet.Query q) {
        List<Fleet.Device> sel = f.select(q);
        int pages = Math.max(1, (sel.size() + q.limit() - 1) / q.limit());
        int page = Math.min(q.page(), pages);
        List<FleetRow> rows = new ArrayList<>();
        for (Fleet.Device d : sel.subList(Math.min(sel.size(), (page - 1) * q.limit()), Math.min(sel.size(), page * q.limit()))) {
            List<Integer> series = new ArrayList<>();
            List<Store.AuditBrief> audits = d.audits();
            for (Store.AuditBrief a : audits.subList(Math.max(0, audits.size() - 30), audits.size())) series.add(a.exposed());
            Store.AuditBrief last = d.latest();
            rows.add(new FleetRow(d.device().id(), d.device().label(), d.device().key(), d.model(), d.firmware(), last.collectedAt(), last.id(),
                    last.result(), last.exposed(), d.insecure(), audits.size(), series, Svg.points(series, 80, 18)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", sel.size());
        m.put("devices", f.devices.size());
        m.put("page", page);
        m.put("pages", pages);
        m.put("rows", rows);
        m.put("models", f.models());
        m.put("query", q);
        return m;
    }

    // ------------------------------------------------------------------ device

    /** An audit in a device's timeline. */
    public record TimelineAudit(long id, String collectedAt, String recordedAt, String source, String firmware, String result, int exitCode,
                         int findings, int failing, int exposed, Long previous) {}

    private record DeviceData(Store.Device device, List<Store.AuditInfo> audits, Map<Long, List<String>> exposed, String latestDocument) {}

    Map<String, Object> devicePage(long id) {
        // only the reads hold a store; reading the document back and rendering happen after
        DeviceData dd = pool.with(s -> {
            Store.Device d = device(s, id);
            List<Store.AuditInfo> audits = s.audits(id);
            Long last = audits.isEmpty() ? null : audits.get(audits.size() - 1).id();
            // the latest audit's document only when its read-back is not at hand
            return new DeviceData(d, audits, s.exposedKeys(id, null, null),
                    last == null || readbacks.get(String.valueOf(last)) != null ? null : s.document(last));
        });
        List<Store.AuditInfo> audits = dd.audits();
        Lifecycle.Result lc = Lifecycle.of(audits, dd.exposed());
        List<TimelineAudit> timeline = new ArrayList<>();
        Long prev = null;
        List<Integer> exposed = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Store.AuditInfo a : audits) {
            timeline.add(new TimelineAudit(a.id(), a.collectedAt(), a.recordedAt(), a.source(), a.firmware(), a.result(), a.exitCode(),
                    a.findings(), a.failing(), a.exposed(), prev));
            prev = a.id();
            exposed.add(a.exposed());
            labels.add("audit " + a.id() + ", " + a.collectedAt() + (a.firmware() == null ? "" : ", " + a.firmware()) + ": " + a.exposed()
                    + " exposed");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", dd.device());
        m.put("audits", timeline);
        m.put("lifecycle", lc);
        Store.AuditInfo latest = audits.isEmpty() ? null : audits.get(audits.size() - 1);
        m.put("latestAudit", latest == null ? null : latest.id());
        Readback rb = latest == null ? new Readback(null, null) : readback(latest.id(), dd::latestDocument);
        m.put("latest", rb.result());
        m.put("latestUnreadable", rb.problem());
        m.put("chart", Svg.chart(exposed, labels, 600, 160));
        m.put("maxExposed", exposed.stream().mapToInt(Integer::intValue).max().orElse(0));
        return m;
    }

    private static Store.Device device(Store s, long id) {
        try {
            return s.device(id);
        } catch (StoreException e) {
            throw BadRequest.notFound("no device " + id + " in the store");
        }
    }

    private static Store.AuditInfo audit(Store s, long id) {
        try {
            return s.audit(id);
        } catch (StoreException e) {
            throw BadRequest.notFound("no audit " + id + " in the store");
        }
    }

    public record Readback(AuditResult result, String problem) {}

    /**
     * Read-back results by audit id: a stored audit never changes (its document is keyed by its content hash), so the
     * latest audit of a device is parsed once for its device page, its audit page and their downloads, not per request.
     */
    private final WebServer.PageCache<Readback> readbacks = new WebServer.PageCache<>(128);

    Readback readback(long auditId, java.util.function.Supplier<String> document) {
        Readback r = readbacks.get(String.valueOf(auditId));
        if (r == null) {
            String doc = document.get();
            // dropped from the cache since the caller looked: read the document after all
            if (doc == null) doc = pool.with(s -> s.document(auditId));
            r = readback(doc);
            readbacks.put(String.valueOf(auditId), r);
        }
        return r;
    }

    static Readback readback(String document) {
        try {
            return new Readback(AuditJson.read(document), null);
        } catch (AuditJson.AuditJsonException e) {
            return new Readback(null, "stored in a result format this portaudit cannot read back: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ audit

    /** A download of the audit in one report format. */
    public record Download(String format, String file) {}

    static final List<Download> DOWNLOADS = List.of(new Download("json", "report.json"), new Download("html", "report.html"),
            new Download("sarif", "report.sarif"), new Download("junit", "report.junit.xml"), new Download("markdown", "report.md"),
            new Download("text", "report.txt"));
    /** The nmap XML download: the scan's nmap XML among the audit's raw captures (offered only when there is one). */
    static final Download NMAP_XML = new Download("nmap XML", io.portaudit.store.Captures.SCAN_XML_NAME);

    /** The capture an audit's nmap XML download serves: an nmap XML input, else the XML written from its scan; null when none. */
    static io.portaudit.store.Captures.Stored nmapXml(List<io.portaudit.store.Captures.Stored> captures) {
        for (var c : captures) if (c.kept() && c.kind().equals(io.portaudit.model.DeviceSnapshot.KIND_NMAP_XML)) return c;
        for (var c : captures) if (c.kept() && c.kind().equals(io.portaudit.store.Captures.SCAN_XML)) return c;
        return null;
    }

    /** Why an audit has no nmap XML download, for the page; null when it has one. */
    static String noNmapXml(List<io.portaudit.store.Captures.Stored> captures, List<String> views) {
        if (nmapXml(captures) != null) return null;
        if (!views.contains("scan")) return "no scan in this audit (views: " + String.join(", ", views) + ")";
        for (var c : captures) {
            if (!c.kept() && (c.kind().equals(io.portaudit.store.Captures.SCAN_XML) || c.kind().equals(io.portaudit.model.DeviceSnapshot.KIND_NMAP_XML))) {
                return "the scan's XML was over the per-audit capture cap and was not kept";
            }
        }
        return "recorded without its raw captures (before portaudit kept them with the audit, or imported without them)";
    }

    Map<String, Object> auditPage(long id) {
        return pool.with(s -> {
            Store.AuditInfo a = audit(s, id);
            Store.Device d = s.device(a.deviceId());
            List<Store.AuditInfo> all = s.audits(a.deviceId());
            Long prev = null, next = null;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id() != id) continue;
                if (i > 0) prev = all.get(i - 1).id();
                if (i + 1 < all.size()) next = all.get(i + 1).id();
            }
            String doc = s.document(id);
            Readback rb = readback(id, () -> doc);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("audit", new TimelineAudit(a.id(), a.collectedAt(), a.recordedAt(), a.source(), a.firmware(), a.result(), a.exitCode(),
                    a.findings(), a.failing(), a.exposed(), prev));
            m.put("next", next);
            m.put("device", d);
            m.put("views", a.coverage().views());
            m.put("result", rb.result());
            m.put("unreadable", rb.problem());
            m.put("facts", rb.result() == null ? s.facts(id) : null);
            m.put("downloads", DOWNLOADS);
            m.put("document", doc);
            m.put("evidenceSources", evidenceSources(rb.result()));
            List<io.portaudit.store.Captures.Stored> caps = s.captures(id);
            m.put("captures", caps);
            var xml = nmapXml(caps);
            m.put("nmapXml", xml == null ? null : NMAP_XML);
            m.put("noNmapXml", noNmapXml(caps, a.coverage().views()));
            m.put("captureCap", io.portaudit.store.Captures.size(io.portaudit.store.Captures.CAP_BYTES));
            return m;
        });
    }

    /** The raw inputs the audit's evidence names (files, commands), each once. */
    private static List<String> evidenceSources(AuditResult r) {
        if (r == null) return List.of();
        TreeSet<String> out = new TreeSet<>();
        for (var g : r.outcome().findings()) {
            for (var e : g.finding().evidence()) {
                // a file once, not once per line the evidence quotes
                if (e.source() != null && !e.source().isBlank()) out.add(e.source().replaceFirst(":[0-9]+(:[0-9]+)?$", ""));
            }
        }
        return List.copyOf(out);
    }

    /** The raw captures recorded with an audit (no texts). */
    List<io.portaudit.store.Captures.Stored> captures(long id) {
        return pool.with(s -> {
            audit(s, id);
            return s.captures(id);
        });
    }

    /** A kept raw capture: what the store lists of it and its bytes as kept. */
    record CaptureFile(io.portaudit.store.Captures.Stored info, io.portaudit.store.Captures.Bytes bytes) {}

    /** A raw capture's bytes as kept, or a 404 saying why there are none. */
    CaptureFile capture(long id, String name) {
        if (!io.portaudit.store.Captures.validName(name)) throw BadRequest.notFound("no capture '" + Params.shorten(name) + "' of audit " + id);
        return pool.with(s -> {
            audit(s, id);
            var info = s.captures(id).stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> BadRequest.notFound("no capture '" + name + "' of audit " + id));
            var bytes = s.captureBytes(id, name);
            if (bytes.isPresent()) return new CaptureFile(info, bytes.get());
            throw BadRequest.notFound("capture " + name + " of audit " + id + " was over the per-audit cap ("
                    + io.portaudit.store.Captures.size(io.portaudit.store.Captures.CAP_BYTES) + ") and was not kept");
        });
    }

    /** The nmap XML of an audit (the capture it is kept as), or a 404 saying why there is none. */
    CaptureFile nmapXmlFile(long id) {
        return pool.with(s -> {
            Store.AuditInfo a = audit(s, id);
            var caps = s.captures(id);
            var c = nmapXml(caps);
            if (c == null) throw BadRequest.notFound("audit " + id + " has no nmap XML: " + noNmapXml(caps, a.coverage().views()));
            return new CaptureFile(c, s.captureBytes(id, c.name()).orElseThrow(() -> BadRequest.notFound("audit " + id + ": the scan's XML was not kept")));
        });
    }

    /** The stored document of an audit and its readback, for the downloads. */
    public record Stored(Store.AuditInfo info, String document, Readback readback) {}

    Stored stored(long id) {
        return pool.with(s -> {
            Store.AuditInfo a = audit(s, id);
            String doc = s.document(id);
            return new Stored(a, doc, readback(id, () -> doc));
        });
    }

    // ------------------------------------------------------------------ diff

    /** Two audits compared as {@code portaudit diff A B} compares them (the same labels for the same references). */
    Map<String, Object> diffPage(String refA, String refB) {
        return pool.with(s -> {
            long a = resolve(s, "a", refA);
            long b = resolve(s, "b", refB);
            Store.AuditInfo ia = s.audit(a), ib = s.audit(b);
            Diff d = Diff.of(refA + " (audit " + a + ", " + ia.collectedAt() + ")", s.facts(a), refB + " (audit " + b + ", " + ib.collectedAt() + ")",
                    s.facts(b));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", a);
            m.put("b", b);
            m.put("refA", refA);
            m.put("refB", refB);
            m.put("query", "a=" + java.net.URLEncoder.encode(refA, java.nio.charset.StandardCharsets.UTF_8) + "&b="
                    + java.net.URLEncoder.encode(refB, java.nio.charset.StandardCharsets.UTF_8));
            m.put("deviceA", s.device(ia.deviceId()));
            m.put("deviceB", s.device(ib.deviceId()));
            m.put("diff", d);
            m.put("tree", DiffReport.tree(d));
            return m;
        });
    }

    private static long resolve(Store s, String name, String ref) {
        String r = Params.text(name, ref);
        if (r == null) throw BadRequest.of(name + " is missing: an audit id, DEVICE@latest, DEVICE@-N or DEVICE@YYYY-MM-DD");
        try {
            return s.resolve(r);
        } catch (StoreException e) {
            throw BadRequest.notFound(name + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ port

    /** A device that exposes the port in its latest audit. */
    public record PortDevice(long id, String name, String model, String firmware, long auditId, String collectedAt, String since, boolean reopened,
                      List<String> families, List<String> programs, String service) {}

    Map<String, Object> portPage(Fleet f, Params.Port port) {
        List<Fleet.Device> exposing = new ArrayList<>();
        for (Fleet.Device d : f.devices) if (d.exposedPorts().contains(port.label())) exposing.add(d);
        List<PortDevice> rows = pool.with(s -> {
            List<PortDevice> out = new ArrayList<>();
            for (Fleet.Device d : exposing) {
                long id = d.device().id();
                Lifecycle.Result lc = Lifecycle.of(s.audits(id), s.exposedKeys(id, port.protocol(), port.port()));
                String since = null;
                boolean reopened = false;
                for (Lifecycle.Event e : lc.events()) {
                    if (e.what().equals("opened") || e.what().equals("reopened")) since = since == null || e.what().equals("reopened") ? e.at() : since;
                    reopened |= e.what().equals("reopened");
                }
                TreeSet<String> fams = new TreeSet<>(), progs = new TreeSet<>();
                String service = null;
                for (Store.ExposedRow r : d.exposed()) {
                    if (!r.protocol().equals(port.protocol().label()) || r.port() != port.port()) continue;
                    fams.add(r.family());
                    if (r.program() != null) progs.add(r.program());
                    if (service == null) service = r.service();
                }
                out.add(new PortDevice(id, d.device().label(), d.model(), d.firmware(), d.latest().id(), d.latest().collectedAt(), since, reopened,
                        List.copyOf(fams), List.copyOf(progs), service));
            }
            return out;
        });
        rows.sort(java.util.Comparator.comparing((PortDevice p) -> p.since() == null ? "" : p.since()).thenComparing(PortDevice::name));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", port.label());
        m.put("devices", rows);
        m.put("fleetSize", f.devices.size());
        return m;
    }

    // ------------------------------------------------------------------ fleet runs

    /** A fleet run in brief: its devices counted by state and outcome. */
    public record RunRow(String id, String created, String source, String state, String shard, int devices, String updated, String finished,
                         int queued, int running, int done, int failed, int pass, int fail, int partial, int error) {
        @com.fasterxml.jackson.annotation.JsonProperty("percent")
        public int percent() {
            return devices == 0 ? 100 : (done + failed) * 100 / devices;
        }
    }

    private static RunRow runRow(io.portaudit.fleet.FleetRuns.Run r, List<io.portaudit.fleet.FleetRuns.Entry> entries) {
        int[] n = new int[8];
        for (var e : entries) {
            switch (e.state()) {
                case io.portaudit.fleet.FleetRuns.QUEUED -> n[0]++;
                case io.portaudit.fleet.FleetRuns.RUNNING -> n[1]++;
                case io.portaudit.fleet.FleetRuns.DONE -> n[2]++;
                default -> n[3]++;
            }
            if (e.status() != null) n[4 + e.status().ordinal()]++;
        }
        return new RunRow(r.id(), r.created(), r.source(), r.state(), r.shard(), r.devices(), r.updated(), r.finished(), n[0], n[1], n[2], n[3],
                n[4], n[5], n[6], n[7]);
    }

    Map<String, Object> runsPage() {
        List<RunRow> rows = pool.with(s -> {
            var runs = new io.portaudit.fleet.FleetRuns(s);
            List<RunRow> out = new ArrayList<>();
            for (var r : runs.runs()) out.add(runRow(r, runs.devices(r.id())));
            return out;
        });
        java.util.Collections.reverse(rows);   // newest first
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", rows);
        return m;
    }

    /** A run id as fleet run makes them (time and hex, e.g. 20261203-140501-3f2a), or {@code latest}. */
    static String runId(String id) {
        if (id == null || !id.matches("[0-9A-Za-z._-]{1,64}")) throw BadRequest.of("run id must be letters, digits, '.', '_' or '-' (at most 64), not '"
                + Params.shorten(id) + "'");
        return id;
    }

    Map<String, Object> runPage(String id) {
        return pool.with(s -> {
            var runs = new io.portaudit.fleet.FleetRuns(s);
            io.portaudit.fleet.FleetRuns.Run r;
            try {
                r = runs.require(runId(id));
            } catch (StoreException e) {
                throw BadRequest.notFound("no fleet run '" + Params.shorten(id) + "' in the store");
            }
            var entries = runs.devices(r.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", runRow(r, entries));
            m.put("devices", entries.stream().map(e -> new RunDevice(e.device(), e.seq(), e.state(), e.status() == null ? null : e.status().label(),
                    e.reason(), e.auditId(), e.attempts(), e.worker(), e.updated())).toList());
            return m;
        });
    }

    /** One device of a run. */
    public record RunDevice(String device, int seq, String state, String status, String reason, Long auditId, int attempts, String worker,
                            String updated) {}

    /** The merged report of a run ({@code fleet report RUN}) in one of its formats. */
    String runReport(String id, String format) {
        return pool.with(s -> {
            var runs = new io.portaudit.fleet.FleetRuns(s);
            String rid;
            try {
                rid = runs.require(runId(id)).id();
            } catch (StoreException e) {
                throw BadRequest.notFound("no fleet run '" + Params.shorten(id) + "' in the store");
            }
            java.io.StringWriter w = new java.io.StringWriter();
            io.portaudit.fleet.FleetReport.of(s, List.of(rid)).write(format, new java.io.PrintWriter(w));
            return w.toString();
        });
    }
}
