package io.portaudit.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * An immutable set of port numbers stored as sorted, disjoint, non-adjacent inclusive intervals.
 * Every operation is linear in the number of intervals, never in the number of ports, so the whole
 * range 1-65535 costs two ints.
 */
public final class PortSet implements Iterable<Integer> {
    private static final PortSet EMPTY = new PortSet(new int[0]);
    private static final PortSet ALL = new PortSet(new int[] {PortRange.MIN, PortRange.MAX});

    /** Interval bounds: bounds[2i] .. bounds[2i+1], inclusive, strictly increasing with gaps. */
    private final int[] bounds;

    private PortSet(int[] bounds) {
        this.bounds = bounds;
    }

    public static PortSet empty() {
        return EMPTY;
    }

    /** Every port 1-65535. */
    public static PortSet all() {
        return ALL;
    }

    public static PortSet of(int port) {
        return range(port, port);
    }

    public static PortSet range(int from, int to) {
        PortRange r = new PortRange(from, to);
        requireValid(r);
        return new PortSet(new int[] {r.from(), r.to()});
    }

    public static PortSet of(PortRange... ranges) {
        return of(Arrays.asList(ranges));
    }

    /** Builds a set from ranges in any order, overlapping or not. */
    public static PortSet of(Collection<PortRange> ranges) {
        if (ranges.isEmpty()) return EMPTY;
        PortRange[] sorted = ranges.toArray(new PortRange[0]);
        Arrays.sort(sorted);
        int[] out = new int[sorted.length * 2];
        int n = 0;
        for (PortRange r : sorted) {
            requireValid(r);
            if (n > 0 && r.from() <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], r.to());
            } else {
                out[n++] = r.from();
                out[n++] = r.to();
            }
        }
        return new PortSet(Arrays.copyOf(out, n));
    }

    private static void requireValid(PortRange r) {
        if (r.from() < PortRange.MIN) throw new IllegalArgumentException("port 0 is not a port a set can hold: " + r);
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    public boolean isAll() {
        return equals(ALL);
    }

    /** Number of ports in the set. */
    public int size() {
        int total = 0;
        for (int i = 0; i < bounds.length; i += 2) total += bounds[i + 1] - bounds[i] + 1;
        return total;
    }

    public int rangeCount() {
        return bounds.length / 2;
    }

    public List<PortRange> ranges() {
        List<PortRange> list = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) list.add(new PortRange(bounds[i], bounds[i + 1]));
        return List.copyOf(list);
    }

    public boolean contains(int port) {
        int lo = 0, hi = bounds.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (port < bounds[2 * mid]) hi = mid - 1;
            else if (port > bounds[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    public boolean containsAll(PortSet other) {
        return other.minus(this).isEmpty();
    }

    public boolean intersects(PortSet other) {
        return !intersect(other).isEmpty();
    }

    public PortSet union(PortSet other) {
        return merge(other, Op.UNION);
    }

    public PortSet intersect(PortSet other) {
        return merge(other, Op.INTERSECT);
    }

    public PortSet minus(PortSet other) {
        return merge(other, Op.MINUS);
    }

    /** The ports 1-65535 that are not in this set. */
    public PortSet complement() {
        return ALL.minus(this);
    }

    private enum Op { UNION, INTERSECT, MINUS }

    /**
     * Sweeps the boundary points of both sets once. Each set is turned into "events" at from and
     * to+1; membership of a point in the result follows from membership in each input.
     */
    private PortSet merge(PortSet other, Op op) {
        int[] a = bounds, b = other.bounds;
        // a small set against a large one (a rule's ports against thousands of listeners' ports): only the large set's
        // intervals within the small one's span can change an intersection or a difference
        if (op == Op.INTERSECT && b.length > 0 && a.length > 64 && b.length * 8 < a.length) return other.merge(this, op);
        if (op != Op.UNION && a.length > 0 && b.length > 64 && a.length * 8 < b.length) b = window(b, a[0], a[a.length - 1]);
        int[] out = new int[a.length + b.length + 2];
        int n = 0;
        int i = 0, j = 0;
        boolean inA = false, inB = false, inOut = false;
        while (i < a.length || j < b.length) {
            // next event position: a start at bounds[even], an end event at bounds[odd] + 1
            int pa = i < a.length ? (i % 2 == 0 ? a[i] : a[i] + 1) : Integer.MAX_VALUE;
            int pb = j < b.length ? (j % 2 == 0 ? b[j] : b[j] + 1) : Integer.MAX_VALUE;
            int p = Math.min(pa, pb);
            if (pa == p) { inA = i % 2 == 0; i++; }
            if (pb == p) { inB = j % 2 == 0; j++; }
            boolean now = switch (op) {
                case UNION -> inA || inB;
                case INTERSECT -> inA && inB;
                case MINUS -> inA && !inB;
            };
            if (now != inOut) {
                if (now) {
                    out[n++] = p;
                } else {
                    out[n++] = p - 1;
                }
                inOut = now;
            }
        }
        return n == 0 ? EMPTY : new PortSet(Arrays.copyOf(out, n));
    }

    /** The intervals of {@code b} that overlap {@code lo..hi}, whole (binary search). */
    private static int[] window(int[] b, int lo, int hi) {
        int l = 0, h = b.length / 2;
        while (l < h) {   // the first interval that ends at or after lo
            int m = (l + h) >>> 1;
            if (b[2 * m + 1] < lo) l = m + 1; else h = m;
        }
        int first = l;
        h = b.length / 2;
        while (l < h) {   // the first interval that starts after hi
            int m = (l + h) >>> 1;
            if (b[2 * m] <= hi) l = m + 1; else h = m;
        }
        return Arrays.copyOfRange(b, 2 * first, 2 * l);
    }

    /** Iterates every port; use {@link #ranges()} in hot paths. */
    @Override
    public PrimitiveIterator.OfInt iterator() {
        return new PrimitiveIterator.OfInt() {
            int idx = 0;
            int next = bounds.length > 0 ? bounds[0] : 0;

            @Override
            public boolean hasNext() {
                return idx < bounds.length;
            }

            @Override
            public int nextInt() {
                if (!hasNext()) throw new NoSuchElementException();
                int value = next;
                if (next == bounds[idx + 1]) {
                    idx += 2;
                    if (idx < bounds.length) next = bounds[idx];
                } else {
                    next++;
                }
                return value;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    /** {@code 20-23,80,1024-65535}, or {@code (none)}. */
    @Override
    public String toString() {
        if (bounds.length == 0) return "(none)";
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < bounds.length; k += 2) {
            if (k > 0) sb.append(',');
            sb.append(bounds[k]);
            if (bounds[k + 1] != bounds[k]) sb.append('-').append(bounds[k + 1]);
        }
        return sb.toString();
    }
}
