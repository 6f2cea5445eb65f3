package io.portaudit.firewall;

import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports not yet decided in one chain walk: a mutable interval set whose take/peek cost is
 * logarithmic plus the size of the answer, so a chain of n rules costs O(n log n), not O(n²).
 */
final class Pending {
    private final TreeMap<Integer, Integer> map = new TreeMap<>();

    Pending(PortSet initial) {
        for (PortRange r : initial.ranges()) map.put(r.from(), r.to());
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    PortSet toSet() {
        List<PortRange> l = new ArrayList<>(map.size());
        for (Map.Entry<Integer, Integer> e : map.entrySet()) l.add(new PortRange(e.getKey(), e.getValue()));
        return PortSet.of(l);
    }

    /** pending ∩ p. */
    PortSet peek(PortSet p) {
        if (p.isAll()) return toSet();
        List<PortRange> out = new ArrayList<>();
        for (PortRange r : p.ranges()) {
            Map.Entry<Integer, Integer> e = map.floorEntry(r.from());
            if (e == null || e.getValue() < r.from()) e = map.higherEntry(r.from());
            while (e != null && e.getKey() <= r.to()) {
                out.add(new PortRange(Math.max(e.getKey(), r.from()), Math.min(e.getValue(), r.to())));
                if (e.getValue() >= r.to()) break; // the next run starts past r
                e = map.higherEntry(e.getKey());
            }
        }
        return PortSet.of(out);
    }

    /** Removes p from pending and returns what was actually removed (pending ∩ p). */
    PortSet take(PortSet p) {
        if (p.isAll()) {
            PortSet all = toSet();
            map.clear();
            return all;
        }
        List<PortRange> out = new ArrayList<>();
        for (PortRange r : p.ranges()) {
            Map.Entry<Integer, Integer> e = map.floorEntry(r.from());
            if (e == null || e.getValue() < r.from()) e = map.higherEntry(r.from());
            while (e != null && e.getKey() <= r.to()) {
                int from = e.getKey(), to = e.getValue();
                out.add(new PortRange(Math.max(from, r.from()), Math.min(to, r.to())));
                // (the fewest tree operations: a single port taken from a long run is one replace and one insert)
                if (from < r.from()) map.put(from, r.from() - 1);
                else map.remove(from);
                if (to > r.to()) {
                    map.put(r.to() + 1, to);
                    break; // the rest of the map starts after this run, past r
                }
                e = map.higherEntry(from);
            }
        }
        return PortSet.of(out);
    }

    /** Puts a range back (ports that returned from a called chain); it must not overlap what is pending. */
    void add(PortRange r) {
        int from = r.from(), to = r.to();
        Map.Entry<Integer, Integer> lo = map.floorEntry(from - 1);
        if (lo != null && lo.getValue() >= from - 1) {
            from = lo.getKey();
            to = Math.max(to, lo.getValue());
            map.remove(lo.getKey());
        }
        Map.Entry<Integer, Integer> hi = map.ceilingEntry(from);
        while (hi != null && hi.getKey() <= to + 1) {
            to = Math.max(to, hi.getValue());
            map.remove(hi.getKey());
            hi = map.ceilingEntry(from);
        }
        map.put(from, to);
    }
}
