package io.portaudit.store;

import io.portaudit.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exposure lifecycle of a device's ports: for each (protocol, family, port), {@code first_seen}, {@code last_seen},
 * {@code closed_at} and {@code reopened}, and the timeline of changes. Only audits whose coverage included the port
 * count: outside coverage the state is unknown, never closed.
 */
public final class Lifecycle {
    private Lifecycle() {}

    /** One port's lifecycle; {@code closedAt} null while exposed; {@code lastCovered} the last audit that saw it either way. */
    public record Exposure(String key, String firstSeen, String lastSeen, String closedAt, boolean reopened, long lastCoveredAudit,
                           boolean exposedNow) {}

    /** One change in the timeline: {@code opened}, {@code closed} or {@code reopened}. */
    public record Event(String at, long auditId, String key, String what) {}

    public record Result(List<Exposure> ports, List<Event> events) {}

    /**
     * @param audits  a device's audits in time order
     * @param exposed exposed keys ({@code tcp/23/ipv4}) per audit id
     */
    public static Result of(List<Store.AuditInfo> audits, Map<Long, List<String>> exposed) {
        Set<String> keys = new TreeSet<>(Comparator.comparing(Lifecycle::sortKey));
        exposed.values().forEach(keys::addAll);
        Map<String, String[]> st = new LinkedHashMap<>();   // key -> first, last, closed, reopened, lastCoveredAudit, open
        List<Event> events = new ArrayList<>();
        for (Store.AuditInfo a : audits) {
            Set<String> open = new HashSet<>(exposed.getOrDefault(a.id(), List.of()));
            for (String k : keys) {
                String[] f = k.split("/");
                if (!a.coverage().covers(Protocol.parse(f[0]), Facts.family(f[2]), Integer.parseInt(f[1]))) continue;
                String[] s = st.get(k);
                boolean isOpen = open.contains(k);
                if (s == null) {
                    if (!isOpen) continue;
                    st.put(k, new String[] {a.collectedAt(), a.collectedAt(), null, "false", String.valueOf(a.id()), "true"});
                    events.add(new Event(a.collectedAt(), a.id(), k, "opened"));
                    continue;
                }
                s[4] = String.valueOf(a.id());
                if (isOpen) {
                    if (s[5].equals("false")) {
                        s[3] = "true";
                        s[2] = null;
                        events.add(new Event(a.collectedAt(), a.id(), k, "reopened"));
                    }
                    s[1] = a.collectedAt();
                    s[5] = "true";
                } else if (s[5].equals("true")) {
                    s[2] = a.collectedAt();
                    s[5] = "false";
                    events.add(new Event(a.collectedAt(), a.id(), k, "closed"));
                }
            }
        }
        List<Exposure> out = new ArrayList<>();
        st.forEach((k, s) -> out.add(new Exposure(k, s[0], s[1], s[2], Boolean.parseBoolean(s[3]), Long.parseLong(s[4]), s[5].equals("true"))));
        return new Result(out, events);
    }

    static String sortKey(String k) {
        String[] f = k.split("/");
        return f[0] + String.format("%05d", Integer.parseInt(f[1])) + f[2];
    }

}
