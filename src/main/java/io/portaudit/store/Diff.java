package io.portaudit.store;

import io.portaudit.model.L10n;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two audits. Per (protocol, family, port): {@code new} (live only in B), {@code gone} (live
 * only in A), {@code changed} (what differs: program, exe, service/version, firewall verdict, bind scope, scan state,
 * proven weaknesses), {@code same}, or {@code unknown} when one side did not cover the port, which is never read as
 * closed. Per finding (id and ports): {@code new}, {@code resolved}, {@code still}.
 */
public record Diff(String labelA, String labelB, List<PortChange> ports, List<FindingChange> findings) {

    public enum Status { NEW, GONE, CHANGED, SAME, UNKNOWN;
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One attribute that differs. */
    public record Change(String field, String from, String to) {}

    /** One port; {@code a}/{@code b} are its summary on each side (null when the side has no row). */
    public record PortChange(Protocol protocol, AddressFamily family, int port, Status status, String why, State a, State b,
                             List<Change> changes) {
        public String key() {
            return protocol.label() + "/" + port + "/" + family.label();
        }
    }

    public record FindingChange(String id, String ports, String severity, String status, String title) {}

    /** A port's state on one side, aggregated over its rows. */
    public record State(boolean live, boolean exposed, String program, String exe, String bind, String firewall, String scan,
                        String service, String weaknesses) {
        Map<String, String> fields() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("exposed", exposed ? "yes" : "no");
            m.put("program", program);
            m.put("exe", exe);
            m.put("bind", bind);
            m.put("firewall", firewall);
            m.put("scan", scan);
            m.put("service", service);
            m.put("weaknesses", weaknesses);
            return m;
        }

        public String summary() {
            // the words in the report's language (the values are the device's and portaudit's own terms)
            StringBuilder sb = new StringBuilder(L10n.t(exposed ? "row.exposed" : live ? "row.listening" : "row.notlistening"));
            for (var e : fields().entrySet()) {
                if (e.getKey().equals("exposed") || e.getValue() == null || e.getValue().isEmpty()) continue;
                sb.append("  ").append(L10n.t("row.f." + e.getKey())).append(' ').append(e.getValue());
            }
            return sb.toString();
        }
    }

    public boolean different() {
        return ports.stream().anyMatch(p -> p.status != Status.SAME && p.status != Status.UNKNOWN)
                || findings.stream().anyMatch(f -> f.status.equals("new") || f.status.equals("resolved"));
    }

    public long count(Status s) {
        return ports.stream().filter(p -> p.status == s).count();
    }

    /**
     * A port of one family; ordered by protocol label, port, family label. Equality, hash and order written out: a
     * record's own (an invokedynamic per method) and a chain of comparator lambdas cost most of a short run's diff
     * while the code is still interpreted.
     */
    private record Key(Protocol protocol, int port, AddressFamily family) implements Comparable<Key> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.port == port && k.protocol == protocol && k.family == family;
        }

        @Override
        public int hashCode() {
            return (port * 31 + protocol.ordinal()) * 31 + family.ordinal();
        }

        @Override
        public int compareTo(Key k) {
            if (protocol != k.protocol) return protocol.label().compareTo(k.protocol.label());
            if (port != k.port) return Integer.compare(port, k.port);
            return family == k.family ? 0 : family.label().compareTo(k.family.label());
        }
    }

    public static Diff of(String labelA, Facts a, String labelB, Facts b) {
        Map<Key, List<Facts.Row>> ra = byKey(a);
        Map<Key, List<Facts.Row>> rb = byKey(b);
        TreeSet<Key> keys = new TreeSet<>();
        keys.addAll(ra.keySet());
        keys.addAll(rb.keySet());
        List<PortChange> out = new ArrayList<>();
        for (Key k : keys) {
            Protocol proto = k.protocol();
            int port = k.port();
            AddressFamily fam = k.family();
            State sa = state(ra.get(k), a, proto, fam, port);
            State sb = state(rb.get(k), b, proto, fam, port);
            boolean ca = a.coverage().covers(proto, fam, port);
            boolean cb = b.coverage().covers(proto, fam, port);
            if (!ca || !cb) {
                String why = L10n.t(!ca && !cb ? "diff.why.neither" : !ca ? "diff.why.a" : "diff.why.b");
                out.add(new PortChange(proto, fam, port, Status.UNKNOWN, why, sa, sb, List.of()));
                continue;
            }
            boolean la = sa != null && sa.live;
            boolean lb = sb != null && sb.live;
            List<Change> changes = new ArrayList<>();
            Map<String, String> fa = sa == null ? Map.of() : sa.fields();
            Map<String, String> fb = sb == null ? Map.of() : sb.fields();
            for (String field : (sa != null ? fa : fb).keySet()) {
                String x = fa.get(field);
                String y = fb.get(field);
                if (sa == null && field.equals("exposed")) x = "no";
                if (sb == null && field.equals("exposed")) y = "no";
                if (!Objects.equals(blank(x), blank(y))) changes.add(new Change(field, x, y));
            }
            Status st = la && !lb ? Status.GONE : !la && lb ? Status.NEW : changes.isEmpty() ? Status.SAME : Status.CHANGED;
            out.add(new PortChange(proto, fam, port, st, null, sa, sb, changes));
        }
        return new Diff(labelA, labelB, out, findings(a, b));
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Map<Key, List<Facts.Row>> byKey(Facts f) {
        Map<Key, List<Facts.Row>> m = new java.util.HashMap<>();
        for (Facts.Row r : f.rows()) m.computeIfAbsent(new Key(r.protocol(), r.port(), r.family()), k -> new ArrayList<>()).add(r);
        return m;
    }

    private static State state(List<Facts.Row> rows, Facts facts, Protocol p, AddressFamily fam, int port) {
        if (rows == null || rows.isEmpty()) return null;
        TreeSet<String> programs = new TreeSet<>();
        TreeSet<String> exes = new TreeSet<>();
        TreeSet<String> binds = new TreeSet<>();
        String firewall = null, scan = null, service = null;
        boolean live = false, exposed = false;
        for (Facts.Row r : rows) {
            live |= r.live();
            exposed |= r.exposed();
            if (r.program() != null) programs.add(r.program());
            if (r.exe() != null) exes.add(r.exe());
            if (!r.bindAddress().isEmpty()) binds.add(r.bindAddress() + (r.scope() == null ? "" : " (" + r.scope() + ")"));
            if (firewall == null) firewall = r.firewall();
            if (scan == null) scan = r.scanState();
            if (service == null) {
                String w = words(r.service(), r.product(), r.version());
                if (!w.isEmpty()) service = w;
            }
        }
        TreeSet<String> weak = new TreeSet<>();
        for (Facts.FindingRow f : facts.findings()) if (f.covers(p, fam, port)) weak.add(f.id());
        return new State(live, exposed, join(programs), join(exes), join(binds), firewall, scan, service, join(weak));
    }

    /** The non-null words joined by spaces (as String.join of them; a loop, not a stream, for a short run). */
    private static String words(String... w) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (String x : w) {
            if (x == null) continue;
            if (!first) sb.append(' ');
            sb.append(x);
            first = false;
        }
        return sb.toString();
    }

    private static String join(TreeSet<String> s) {
        return s.isEmpty() ? null : String.join(",", s);
    }

    /** Did the side that lacks the finding cover its ports? If not, the finding's absence says nothing. */
    private static boolean covers(Coverage c, Facts.FindingRow f) {
        if (f.portFrom() == null) return true;
        for (Protocol p : f.protocol() != null ? List.of(f.protocol()) : List.of(Protocol.TCP, Protocol.UDP)) {
            for (AddressFamily fam : f.family() != null ? List.of(f.family()) : List.of(AddressFamily.IPV4, AddressFamily.IPV6)) {
                if (!c.covers(p, fam, f.portFrom()) || !c.covers(p, fam, f.portTo())) return false;
            }
        }
        return true;
    }

    private static List<FindingChange> findings(Facts a, Facts b) {
        Map<String, Facts.FindingRow> fa = new TreeMap<>();
        Map<String, Facts.FindingRow> fb = new TreeMap<>();
        for (Facts.FindingRow f : a.findings()) fa.putIfAbsent(f.id() + " " + f.ports(), f);
        for (Facts.FindingRow f : b.findings()) fb.putIfAbsent(f.id() + " " + f.ports(), f);
        TreeSet<String> keys = new TreeSet<>(fa.keySet());
        keys.addAll(fb.keySet());
        List<FindingChange> out = new ArrayList<>();
        for (String k : keys) {
            Facts.FindingRow x = fa.get(k);
            Facts.FindingRow y = fb.get(k);
            Facts.FindingRow f = y != null ? y : x;
            String status = x == null ? (covers(a.coverage(), f) ? "new" : "unknown")
                    : y == null ? (covers(b.coverage(), f) ? "resolved" : "unknown") : "still";
            // a stored title may be language-neutral: in the reader's language
            out.add(new FindingChange(f.id(), f.ports(), f.severity(), status, f.title() == null ? null : L10n.render(f.title(), L10n.lang())));
        }
        return out;
    }
}
