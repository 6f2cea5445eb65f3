package io.portaudit.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.Text;
import io.portaudit.store.Facts;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The merged report of one or more fleet runs (shards run without a shared id merge too): per device the gate result
 * and counts; per (protocol, port) how many devices expose it and with which programs; outliers — devices whose exposed
 * ports differ from their model's baseline or from the majority of their model; failures with reasons. Computed from the
 * store alone, so every shard's store, once imported, gives the same report.
 */
public final class FleetReport {
    public static final Set<String> FORMATS = Set.of("text", "json", "markdown", "md", "html", "junit");
    /** A model's majority is only spoken of with at least this many audited devices. */
    static final int MIN_GROUP = 3;

    /** One device's line. {@code exposed}: "tcp/22"-style keys of its exposed ports (empty when not audited). */
    public record Device(String name, String model, String state, DeviceOutcome.Status status, String reason, Long auditId,
                         int findings, int failing, int exposedCount, TreeSet<String> exposed, int attempts, String worker) {}

    /** A (protocol, port) exposed by some devices. */
    public record Port(String key, int devices, TreeSet<String> programs, TreeSet<String> names) {}

    /** A device that differs from its model's baseline or majority. */
    public record Outlier(String device, String model, String against, List<String> extra, List<String> missing) {}

    private final List<String> runIds;
    private final List<Device> devices;
    private final List<Port> ports;
    private final List<Outlier> outliers;

    private FleetReport(List<String> runIds, List<Device> devices, List<Port> ports, List<Outlier> outliers) {
        this.runIds = runIds;
        this.devices = devices;
        this.ports = ports;
        this.outliers = outliers;
    }

    public List<Device> devices() {
        return devices;
    }

    public List<Port> ports() {
        return ports;
    }

    public List<Outlier> outliers() {
        return outliers;
    }

    /** Builds the report of {@code runIds} (ids or {@code latest}) from the store. */
    public static FleetReport of(Store store, List<String> runIds) {
        FleetRuns runs = new FleetRuns(store);
        List<String> ids = new ArrayList<>();
        Map<String, FleetRuns.Entry> byName = new LinkedHashMap<>();
        for (String r : runIds) {
            FleetRuns.Run run = runs.require(r);
            if (ids.contains(run.id())) continue;
            ids.add(run.id());
            for (FleetRuns.Entry e : runs.devices(run.id())) {
                FleetRuns.Entry had = byName.get(e.device());
                // the same device in two merged runs: a recorded result wins over none, else the later one
                if (had == null || (had.auditId() == null && e.auditId() != null)
                        || ((had.auditId() == null) == (e.auditId() == null) && e.updated().compareTo(had.updated()) > 0)) {
                    byName.put(e.device(), e);
                }
            }
        }
        // fleet-file order (shards merged from several stores come back in it too), then by name
        List<FleetRuns.Entry> ordered = new ArrayList<>(byName.values());
        ordered.sort(java.util.Comparator.comparingInt((FleetRuns.Entry e) -> e.spec().line()).thenComparing(FleetRuns.Entry::device));
        List<Device> devices = new ArrayList<>();
        Map<String, Port> ports = new TreeMap<>(FleetReport::portOrder);
        for (FleetRuns.Entry e : ordered) {
            String model = e.spec().model();
            TreeSet<String> exposed = new TreeSet<>(FleetReport::portOrder);
            int findings = 0, failing = 0;
            if (e.auditId() != null) {
                Facts f = store.facts(e.auditId());
                if (model == null) model = store.device(store.audit(e.auditId()).deviceId()).model();
                findings = f.findings().size();
                failing = (int) f.findings().stream().filter(x -> x.status().equals("fails")).count();
                Map<String, TreeSet<String>> programs = new TreeMap<>();
                for (Facts.Row row : f.rows()) {
                    if (!row.exposed()) continue;
                    String key = row.protocol().label() + "/" + row.port();
                    exposed.add(key);
                    TreeSet<String> p = programs.computeIfAbsent(key, k -> new TreeSet<>());
                    if (row.program() != null && !row.program().isBlank()) p.add(row.program());
                    else if (row.product() != null && !row.product().isBlank()) p.add(row.product());
                    else if (row.service() != null && !row.service().isBlank()) p.add(row.service());
                }
                for (String key : exposed) {
                    Port p = ports.computeIfAbsent(key, k -> new Port(k, 0, new TreeSet<>(), new TreeSet<>()));
                    p.programs().addAll(programs.getOrDefault(key, new TreeSet<>()));
                    p.names().add(e.device());
                    ports.put(key, new Port(key, p.devices() + 1, p.programs(), p.names()));
                }
            }
            devices.add(new Device(e.device(), model, e.state(), e.status(), e.reason(), e.auditId(), findings, failing, exposed.size(), exposed,
                    e.attempts(), e.worker()));
        }
        return new FleetReport(ids, devices, new ArrayList<>(ports.values()), outliers(store, devices));
    }

    /** Devices differing from their model's baseline (when the store has one), else from the majority of their model. */
    static List<Outlier> outliers(Store store, List<Device> devices) {
        Map<String, List<Device>> byModel = new TreeMap<>();
        for (Device d : devices) if (d.auditId() != null) byModel.computeIfAbsent(d.model() == null ? "" : d.model(), k -> new ArrayList<>()).add(d);
        List<Outlier> out = new ArrayList<>();
        for (var g : byModel.entrySet()) {
            String model = g.getKey();
            TreeSet<String> reference = null;
            String against = null;
            if (!model.isEmpty()) {
                try {
                    long golden = store.baseline(model);
                    reference = new TreeSet<>(FleetReport::portOrder);
                    for (Facts.Row r : store.facts(golden).rows()) if (r.exposed()) reference.add(r.protocol().label() + "/" + r.port());
                    against = io.portaudit.model.L10n.t("fr.against.baseline", model, golden);
                } catch (StoreException e) {
                    reference = null;   // no baseline for this model
                }
            }
            if (reference == null) {
                if (g.getValue().size() < MIN_GROUP) continue;
                Map<String, Integer> counts = new TreeMap<>();
                for (Device d : g.getValue()) for (String k : d.exposed()) counts.merge(k, 1, Integer::sum);
                reference = new TreeSet<>(FleetReport::portOrder);
                int n = g.getValue().size();
                for (var c : counts.entrySet()) if (c.getValue() * 2 > n) reference.add(c.getKey());
                against = io.portaudit.model.L10n.t("fr.against.majority", model.isEmpty() ? io.portaudit.model.L10n.t("fr.nomodel") : model, n);
            }
            TreeSet<String> ref = reference;
            for (Device d : g.getValue()) {
                List<String> extra = d.exposed().stream().filter(k -> !ref.contains(k)).toList();
                List<String> missing = ref.stream().filter(k -> !d.exposed().contains(k)).toList();
                if (!extra.isEmpty() || !missing.isEmpty()) out.add(new Outlier(d.name(), model.isEmpty() ? null : model, against, extra, missing));
            }
        }
        return out;
    }

    /** tcp before udp, then by port number. */
    static int portOrder(String a, String b) {
        String[] x = a.split("/"), y = b.split("/");
        int c = x[0].compareTo(y[0]);
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    /** 3 when a device could not be audited (or is not done), else 1 when one failed the gate, else 0. */
    public int exitCode() {
        List<DeviceOutcome.Status> s = new ArrayList<>();
        for (Device d : devices) s.add(d.status() == null ? DeviceOutcome.Status.ERROR : d.status());
        return DeviceOutcome.exitCode(s);
    }

    public long count(DeviceOutcome.Status s) {
        return devices.stream().filter(d -> d.status() == s).count();
    }

    public long notDone() {
        return devices.stream().filter(d -> d.status() == null).count();
    }

    // ---------------------------------------------------------------- formats

    public void write(String format, PrintWriter w) {
        switch (format) {
            case "json" -> json(w);
            case "markdown", "md" -> markdown(w);
            case "html" -> html(w);
            case "junit" -> junit(w);
            default -> text(w);
        }
        w.flush();
    }

    private String status(Device d) {
        return d.status() == null ? io.portaudit.model.L10n.t("fr.notdone", stateWord(d.state())) : statusWord(d.status().label());
    }

    /** The devices table's column names. */
    private static List<String> columns() {
        return List.of(io.portaudit.model.L10n.t("fr.col.device"), io.portaudit.model.L10n.t("fr.col.result"), io.portaudit.model.L10n.t("fr.col.model"), io.portaudit.model.L10n.t("fr.col.exposed"), io.portaudit.model.L10n.t("fr.col.findings"),
                io.portaudit.model.L10n.t("fr.col.failing"), io.portaudit.model.L10n.t("fr.col.audit"));
    }

    /** "differs from AGAINST: also exposes EXTRA; does not expose MISSING" ({@code semicolon}: the text report's ';' between the two). */
    private static String differs(String against, String extra, String missing, boolean semicolon) {
        return io.portaudit.model.L10n.t("fr.differs", against)
                + (extra.isEmpty() ? "" : " " + io.portaudit.model.L10n.t("fr.also", extra))
                + (missing.isEmpty() ? "" : (semicolon && !extra.isEmpty() ? ";" : "") + " " + io.portaudit.model.L10n.t("fr.notexposed", missing));
    }

    /** A device's status word (pass, fail, ...) in the reader's language; English: unchanged. */
    private static String statusWord(String label) {
        return io.portaudit.model.L10n.ja() && io.portaudit.model.L10n.has("cmd.status." + label) ? io.portaudit.model.L10n.t("cmd.status." + label) : label;
    }

    private static String stateWord(String state) {
        return io.portaudit.model.L10n.ja() && io.portaudit.model.L10n.has("cmd.fleet.state." + state) ? io.portaudit.model.L10n.t("cmd.fleet.state." + state) : state;
    }

    private String summary() {
        return io.portaudit.model.L10n.t("fr.summary", devices.size(), count(DeviceOutcome.Status.PASS), count(DeviceOutcome.Status.FAIL), count(DeviceOutcome.Status.PARTIAL), count(DeviceOutcome.Status.ERROR))
                + (notDone() > 0 ? io.portaudit.model.L10n.t("fr.summary.notdone", notDone()) : "");
    }

    void text(PrintWriter w) {
        w.println(io.portaudit.model.L10n.t("fr.title", String.join(" + ", runIds)) + ": " + summary());
        w.println();
        w.println(io.portaudit.model.L10n.t("fr.h.devices"));
        int width = Math.max(6, devices.stream().mapToInt(d -> d.name().length()).max().orElse(6));
        for (Device d : devices) {
            w.println("  " + io.portaudit.model.DisplayWidth.pad(Text.terminal(d.name()), width) + "  " + io.portaudit.model.DisplayWidth.pad(status(d), 8)
                    + "  " + io.portaudit.model.DisplayWidth.pad(d.model() == null ? "-" : Text.terminal(d.model()), 14) + "  "
                    + io.portaudit.model.L10n.t("fr.counts", String.format("%3d", d.exposedCount()), String.format("%3d", d.findings()), String.format("%3d", d.failing()))
                    + (d.auditId() == null ? "" : "  " + io.portaudit.model.L10n.t("fr.audit", d.auditId())));
        }
        w.println();
        w.println(io.portaudit.model.L10n.t("fr.h.ports.text"));
        if (ports.isEmpty()) w.println("  " + io.portaudit.model.L10n.t("fr.none"));
        for (Port p : ports) {
            w.println("  " + String.format("%-10s ", p.key()) + io.portaudit.model.L10n.t("fr.of", String.format("%4d", p.devices()), audited()) + "  " + (p.programs().isEmpty() ? "-" : Text.terminal(String.join(", ", p.programs()))));
        }
        w.println();
        w.println(io.portaudit.model.L10n.t("fr.h.outliers.text"));
        if (outliers.isEmpty()) w.println("  " + io.portaudit.model.L10n.t("fr.none"));
        for (Outlier o : outliers) {
            w.println("  " + Text.terminal(o.device()) + ": " + differs(Text.terminal(o.against()), String.join(", ", o.extra()), String.join(", ", o.missing()), true));
        }
        w.println();
        w.println(io.portaudit.model.L10n.t("fr.h.failures.text"));
        List<Device> bad = devices.stream().filter(d -> d.status() != DeviceOutcome.Status.PASS).toList();
        if (bad.isEmpty()) w.println("  " + io.portaudit.model.L10n.t("fr.none"));
        for (Device d : bad) w.println("  " + Text.terminal(d.name()) + "  " + status(d) + (d.reason() == null ? "" : ": " + Text.terminal(FleetReasons.shown(d.reason()))));
    }

    long audited() {
        return devices.stream().filter(d -> d.auditId() != null).count();
    }

    void json(PrintWriter w) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("format", "portaudit-fleet-report");
        root.put("version", 1);
        ArrayNode r = root.putArray("runs");
        runIds.forEach(r::add);
        ObjectNode counts = root.putObject("counts");
        counts.put("devices", devices.size());
        for (DeviceOutcome.Status s : DeviceOutcome.Status.values()) counts.put(s.label(), count(s));
        counts.put("notDone", notDone());
        root.put("exitCode", exitCode());
        ArrayNode ds = root.putArray("devices");
        for (Device d : devices) {
            ObjectNode n = ds.addObject();
            n.put("name", d.name());
            n.put("model", d.model());
            n.put("state", d.state());
            n.put("status", d.status() == null ? null : d.status().label());
            n.put("reason", d.reason());
            if (d.auditId() != null) n.put("auditId", d.auditId()); else n.putNull("auditId");
            n.put("findings", d.findings());
            n.put("failing", d.failing());
            ArrayNode ex = n.putArray("exposed");
            d.exposed().forEach(ex::add);
            n.put("attempts", d.attempts());
            n.put("worker", d.worker());
        }
        ArrayNode ps = root.putArray("ports");
        for (Port p : ports) {
            ObjectNode n = ps.addObject();
            n.put("port", p.key());
            n.put("devices", p.devices());
            ArrayNode pr = n.putArray("programs");
            p.programs().forEach(pr::add);
            ArrayNode nm = n.putArray("deviceNames");
            p.names().forEach(nm::add);
        }
        ArrayNode os = root.putArray("outliers");
        for (Outlier o : outliers) {
            ObjectNode n = os.addObject();
            n.put("device", o.device());
            n.put("model", o.model());
            n.put("against", o.against());
            ArrayNode e = n.putArray("extra");
            o.extra().forEach(e::add);
            ArrayNode mi = n.putArray("missing");
            o.missing().forEach(mi::add);
        }
        ArrayNode fs = root.putArray("failures");
        for (Device d : devices) {
            if (d.status() == DeviceOutcome.Status.PASS) continue;
            ObjectNode n = fs.addObject();
            n.put("device", d.name());
            n.put("status", d.status() == null ? "not-done" : d.status().label());
            n.put("reason", d.reason());
        }
        try {
            w.println(m.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md(String s) {
        return s == null ? "" : Text.printable(s, 500).replace("|", "\\|").replace("<", "&lt;");
    }

    void markdown(PrintWriter w) {
        w.println("# " + io.portaudit.model.L10n.t("fr.h.title", md(String.join(" + ", runIds))));
        w.println();
        w.println(summary());
        w.println();
        w.println("## " + io.portaudit.model.L10n.t("fr.h.devices.md"));
        w.println();
        w.println("| " + String.join(" | ", columns()) + " |");
        w.println("|---|---|---|---:|---:|---:|---:|");
        for (Device d : devices) {
            w.println("| " + md(d.name()) + " | " + md(status(d)) + " | " + md(d.model()) + " | " + d.exposedCount() + " | " + d.findings() + " | "
                    + d.failing() + " | " + (d.auditId() == null ? "" : d.auditId()) + " |");
        }
        w.println();
        w.println("## " + io.portaudit.model.L10n.t("fr.h.ports"));
        w.println();
        w.println("| " + io.portaudit.model.L10n.t("fr.col.port") + " | " + io.portaudit.model.L10n.t("fr.col.devices") + " | " + io.portaudit.model.L10n.t("fr.col.programs") + " |");
        w.println("|---|---:|---|");
        for (Port p : ports) w.println("| " + p.key() + " | " + io.portaudit.model.L10n.t("fr.of", p.devices(), audited()) + " | " + md(String.join(", ", p.programs())) + " |");
        w.println();
        w.println("## " + io.portaudit.model.L10n.t("fr.h.outliers"));
        w.println();
        if (outliers.isEmpty()) w.println(io.portaudit.model.L10n.t("fr.nonemd"));
        for (Outlier o : outliers) {
            w.println("- **" + md(o.device()) + "** " + differs(md(o.against()), String.join(", ", o.extra()), String.join(", ", o.missing()), false));
        }
        w.println();
        w.println("## " + io.portaudit.model.L10n.t("fr.h.failures"));
        w.println();
        List<Device> bad = devices.stream().filter(d -> d.status() != DeviceOutcome.Status.PASS).toList();
        if (bad.isEmpty()) w.println(io.portaudit.model.L10n.t("fr.nonemd"));
        for (Device d : bad) w.println("- **" + md(d.name()) + "** " + md(status(d)) + (d.reason() == null ? "" : ": " + md(FleetReasons.shown(d.reason()))));
    }

    private static String h(String s) {
        return Text.markup(s == null ? "" : s, false);
    }

    void html(PrintWriter w) {
        w.println("<!DOCTYPE html><html lang=\"" + io.portaudit.model.L10n.lang().tag() + "\"><head><meta charset=\"utf-8\">");
        w.println("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        w.println("<title>" + h(io.portaudit.model.L10n.t("fr.h.title", String.join(" + ", runIds))) + "</title>");
        w.println("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
                + "text-align:left}.pass{color:#060}.fail{color:#a00}.error,.partial{color:#a60}</style></head><body>");
        w.println("<h1>" + h(io.portaudit.model.L10n.t("fr.h.title", String.join(" + ", runIds))) + "</h1><p>" + h(summary()) + "</p>");
        w.println("<h2>" + h(io.portaudit.model.L10n.t("fr.h.devices.md")) + "</h2><table><tr><th>" + String.join("</th><th>", columns().stream().map(FleetReport::h).toList()) + "</th></tr>");
        for (Device d : devices) {
            String cls = d.status() == null ? "error" : d.status().label();
            w.println("<tr><td>" + h(d.name()) + "</td><td class=\"" + cls + "\">" + h(status(d)) + "</td><td>" + h(d.model()) + "</td><td>"
                    + d.exposedCount() + "</td><td>" + d.findings() + "</td><td>" + d.failing() + "</td><td>" + (d.auditId() == null ? "" : d.auditId())
                    + "</td></tr>");
        }
        w.println("</table><h2>" + h(io.portaudit.model.L10n.t("fr.h.ports")) + "</h2><table><tr><th>" + h(io.portaudit.model.L10n.t("fr.col.port")) + "</th><th>" + h(io.portaudit.model.L10n.t("fr.col.devices")) + "</th><th>" + h(io.portaudit.model.L10n.t("fr.col.programs")) + "</th></tr>");
        for (Port p : ports) {
            w.println("<tr><td>" + h(p.key()) + "</td><td>" + h(io.portaudit.model.L10n.t("fr.of", p.devices(), audited())) + "</td><td>" + h(String.join(", ", p.programs())) + "</td></tr>");
        }
        w.println("</table><h2>" + h(io.portaudit.model.L10n.t("fr.h.outliers")) + "</h2>");
        if (outliers.isEmpty()) w.println("<p>" + h(io.portaudit.model.L10n.t("fr.nonemd")) + "</p>");
        else {
            w.println("<ul>");
            for (Outlier o : outliers) {
                w.println("<li><b>" + h(o.device()) + "</b> " + h(differs(o.against(), String.join(", ", o.extra()), String.join(", ", o.missing()), false)) + "</li>");
            }
            w.println("</ul>");
        }
        w.println("<h2>" + h(io.portaudit.model.L10n.t("fr.h.failures")) + "</h2>");
        List<Device> bad = devices.stream().filter(d -> d.status() != DeviceOutcome.Status.PASS).toList();
        if (bad.isEmpty()) w.println("<p>" + h(io.portaudit.model.L10n.t("fr.nonemd")) + "</p>");
        else {
            w.println("<ul>");
            for (Device d : bad) w.println("<li><b>" + h(d.name()) + "</b> " + h(status(d)) + (d.reason() == null ? "" : ": " + h(FleetReasons.shown(d.reason()))) + "</li>");
            w.println("</ul>");
        }
        w.println("</body></html>");
    }

    void junit(PrintWriter w) {
        long failures = count(DeviceOutcome.Status.FAIL);
        long errors = devices.size() - failures - count(DeviceOutcome.Status.PASS);
        String suite = "fleet " + String.join(" + ", runIds);
        w.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        w.println("<testsuites name=\"portaudit fleet\" tests=\"" + devices.size() + "\" failures=\"" + failures + "\" errors=\"" + errors + "\">");
        w.println("  <testsuite name=\"" + Text.markup(suite, true) + "\" tests=\"" + devices.size() + "\" failures=\"" + failures + "\" errors=\""
                + errors + "\">");
        for (Device d : devices) {
            String cls = "fleet." + (d.model() == null ? "device" : d.model());
            w.print("    <testcase classname=\"" + Text.markup(cls, true) + "\" name=\"" + Text.markup(d.name(), true) + "\"");
            String msg = d.reason() == null ? status(d) : d.reason();
            if (d.status() == DeviceOutcome.Status.PASS) {
                w.println("/>");
            } else if (d.status() == DeviceOutcome.Status.FAIL) {
                w.println(">");
                w.println("      <failure message=\"" + Text.markup(msg, true) + "\" type=\"gate\">" + Text.markup(detail(d), false) + "</failure>");
                w.println("    </testcase>");
            } else {
                w.println(">");
                w.println("      <error message=\"" + Text.markup(msg, true) + "\" type=\"" + (d.status() == null ? "not-done" : d.status().label())
                        + "\">" + Text.markup(detail(d), false) + "</error>");
                w.println("    </testcase>");
            }
        }
        w.println("  </testsuite>");
        w.println("</testsuites>");
    }

    private static String detail(Device d) {
        return status(d.status(), d.state()) + (d.reason() == null ? "" : ": " + d.reason()) + (d.auditId() == null ? "" : " (portaudit show "
                + d.auditId() + ")") + (d.exposed().isEmpty() ? "" : "; exposed: " + String.join(", ", d.exposed()));
    }

    private static String status(DeviceOutcome.Status s, String state) {
        return s == null ? "not done (" + state + ")" : s.label();
    }
}
