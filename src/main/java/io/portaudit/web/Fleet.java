package io.portaudit.web;

import io.portaudit.store.Facts;
import io.portaudit.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fleet as the dashboard shows it, read from the store in a few queries and kept until the store changes: every
 * device with its audits in brief, its latest audit's exposed ports and insecure ports. Immutable.
 */
public final class Fleet {
    /** Finding ids that make a port insecure: a clear-text or unauthenticated protocol, weak SSH or TLS. */
    static final Set<String> INSECURE = Set.of("insecure-protocol", "weak-ssh-crypto", "weak-tls");

    public record Device(Store.Device device, List<Store.AuditBrief> audits, List<Store.ExposedRow> exposed, int insecure) {
        Store.AuditBrief latest() {
            return audits.get(audits.size() - 1);
        }

        /** Exposed ports of the latest audit as {@code tcp/23}, each once (both families together). */
        Set<String> exposedPorts() {
            Set<String> out = new TreeSet<>();
            for (Store.ExposedRow r : exposed) out.add(r.protocol() + "/" + r.port());
            return out;
        }

        String model() {
            return device.model();
        }

        String firmware() {
            return latest().firmware() != null ? latest().firmware() : device.firmware();
        }
    }

    final String mark;
    final List<Device> devices;
    final Map<Long, Device> byId;

    private Fleet(String mark, List<Device> devices) {
        this.mark = mark;
        this.devices = List.copyOf(devices);
        Map<Long, Device> m = new HashMap<>();
        for (Device d : devices) m.put(d.device().id(), d);
        this.byId = Collections.unmodifiableMap(m);
    }

    static Fleet load(Store s, String mark) {
        Map<Long, List<Store.AuditBrief>> audits = new LinkedHashMap<>();
        for (Store.AuditBrief a : s.auditBriefs()) audits.computeIfAbsent(a.deviceId(), k -> new ArrayList<>()).add(a);
        List<Long> latest = new ArrayList<>();
        for (List<Store.AuditBrief> l : audits.values()) latest.add(l.get(l.size() - 1).id());
        Map<Long, List<Store.ExposedRow>> exposed = new HashMap<>();
        for (Store.ExposedRow r : s.exposedRows(latest)) exposed.computeIfAbsent(r.auditId(), k -> new ArrayList<>()).add(r);
        Map<Long, List<Facts.FindingRow>> findings = s.findingRows(latest);
        List<Device> out = new ArrayList<>();
        for (Store.Device d : s.devices()) {
            List<Store.AuditBrief> list = audits.get(d.id());
            if (list == null) continue;   // a device without audits is not shown (prune removes them)
            long last = list.get(list.size() - 1).id();
            Set<String> insecure = new TreeSet<>();
            for (Facts.FindingRow f : findings.getOrDefault(last, List.of())) {
                if (INSECURE.contains(f.id())) insecure.add(f.ports());
            }
            out.add(new Device(d, List.copyOf(list), List.copyOf(exposed.getOrDefault(last, List.of())), insecure.size()));
        }
        return new Fleet(mark, out);
    }

    /** Models present in the fleet, for the filter's choices. */
    List<String> models() {
        TreeSet<String> m = new TreeSet<>();
        for (Device d : devices) if (d.model() != null) m.add(d.model());
        return List.copyOf(m);
    }

    static final Set<String> SORTS = Set.of("name", "-name", "model", "-model", "firmware", "-firmware", "last", "-last", "gate", "-gate",
            "exposed", "-exposed", "insecure", "-insecure");
    static final Set<String> GATES = Set.of("pass", "fail", "partial", "incomplete");

    /** The fleet page's filters, checked and bounded. */
    public record Query(String model, String gate, Params.Port port, String q, String sort, int page, int limit) {
        static Query of(java.util.function.Function<String, String> param) {
            return new Query(Params.text("model", param.apply("model")), Params.oneOf("gate", param.apply("gate"), GATES),
                    Params.port("port", param.apply("port")), Params.text("q", param.apply("q")),
                    Params.oneOf("sort", param.apply("sort"), SORTS), Params.number("page", param.apply("page"), 1, 100_000, 1),
                    Params.number("limit", param.apply("limit"), 1, 1000, 100));
        }

        /** This query as URL parameters (for links that keep the filters), with {@code sort} and {@code page} replaced. */
        public String url(String newSort, Integer newPage) {
            StringBuilder sb = new StringBuilder();
            add(sb, "model", model);
            add(sb, "gate", gate);
            add(sb, "port", port == null ? null : port.label());
            add(sb, "q", q);
            add(sb, "sort", newSort);
            if (newPage != null && newPage > 1) add(sb, "page", String.valueOf(newPage));
            if (limit != 100) add(sb, "limit", String.valueOf(limit));
            return "/" + (sb.isEmpty() ? "" : "?" + sb);
        }

        private static void add(StringBuilder sb, String k, String v) {
            if (v == null) return;
            if (!sb.isEmpty()) sb.append('&');
            sb.append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The link of a column header: sorts by it, or reverses the order when it already sorts by it. */
        public String sortLink(String column) {
            return url(column.equals(sort) ? "-" + column : column, null);
        }
    }

    /** The devices the query selects, sorted; all of them (the caller pages). */
    List<Device> select(Query q) {
        List<Device> out = new ArrayList<>();
        String needle = q.q() == null ? null : q.q().toLowerCase(Locale.ROOT);
        for (Device d : devices) {
            if (q.model() != null && !q.model().equals(d.model())) continue;
            if (q.gate() != null && !q.gate().equals(d.latest().result())) continue;
            if (q.port() != null && !d.exposedPorts().contains(q.port().label())) continue;
            if (needle != null && !matches(d, needle)) continue;
            out.add(d);
        }
        String sort = q.sort() == null ? "name" : q.sort();
        boolean desc = sort.startsWith("-");
        Comparator<Device> c = switch (desc ? sort.substring(1) : sort) {
            case "model" -> Comparator.comparing(Device::model, Comparator.nullsLast(Comparator.naturalOrder()));
            case "firmware" -> Comparator.comparing(Device::firmware, Comparator.nullsLast(Comparator.naturalOrder()));
            case "last" -> Comparator.comparing(d -> d.latest().collectedAt());
            case "gate" -> Comparator.comparing(d -> d.latest().result());
            case "exposed" -> Comparator.comparingInt(d -> d.latest().exposed());
            case "insecure" -> Comparator.comparingInt(Device::insecure);
            default -> Comparator.comparing(d -> d.device().label().toLowerCase(Locale.ROOT));
        };
        c = c.thenComparingLong(d -> d.device().id());
        out.sort(desc ? c.reversed() : c);
        return out;
    }

    private static boolean matches(Device d, String needle) {
        Store.Device x = d.device();
        for (String s : new String[] {x.label(), x.name(), x.key(), x.hostname(), x.addresses(), x.serial(), x.mac(), x.machineId()}) {
            if (s != null && s.toLowerCase(Locale.ROOT).contains(needle)) return true;
        }
        return false;
    }
}
