package io.portaudit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PortSetTest {

    /** Brute-force oracle: ports 1..65535 as bits. */
    private static BitSet bits(PortSet s) {
        BitSet b = new BitSet(65536);
        for (PortRange r : s.ranges()) b.set(r.from(), r.to() + 1);
        return b;
    }

    private static PortSet random(Random rnd) {
        int n = rnd.nextInt(8);
        List<PortRange> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // cluster some sets near the edges and near each other so adjacency and overlap happen often
            int from = switch (rnd.nextInt(4)) {
                case 0 -> 1 + rnd.nextInt(20);
                case 1 -> 65535 - rnd.nextInt(20);
                default -> 1 + rnd.nextInt(65535);
            };
            int to = Math.min(65535, from + (rnd.nextBoolean() ? rnd.nextInt(5) : rnd.nextInt(3000)));
            list.add(new PortRange(from, to));
        }
        return PortSet.of(list);
    }

    private static void assertCanonical(PortSet s) {
        List<PortRange> rs = s.ranges();
        for (int i = 1; i < rs.size(); i++) {
            assertThat(rs.get(i).from()).as("ranges sorted, disjoint and non-adjacent: %s", s).isGreaterThan(rs.get(i - 1).to() + 1);
        }
    }

    /** Many narrow intervals (thousands of listeners' ports) against a few: the windowed path of intersect and minus. */
    private static PortSet many(Random rnd) {
        List<PortRange> list = new ArrayList<>();
        for (int i = 0, n = 40 + rnd.nextInt(400); i < n; i++) {
            int from = 1 + rnd.nextInt(65535);
            list.add(new PortRange(from, Math.min(65535, from + rnd.nextInt(3))));
        }
        return PortSet.of(list);
    }

    @Test
    void aFewIntervalsAgainstManyAgreeWithBitSetOracle() {
        Random rnd = new Random(20261203L);
        for (int iter = 0; iter < 2000; iter++) {
            PortSet big = many(rnd), small = random(rnd);
            BitSet bb = bits(big), bs = bits(small);
            BitSet n = (BitSet) bs.clone(); n.and(bb);
            BitSet d = (BitSet) bs.clone(); d.andNot(bb);
            BitSet e = (BitSet) bb.clone(); e.andNot(bs);
            assertThat(bits(small.intersect(big))).isEqualTo(n);
            assertThat(bits(big.intersect(small))).isEqualTo(n);
            assertThat(bits(small.minus(big))).isEqualTo(d);
            assertThat(bits(big.minus(small))).isEqualTo(e);
            assertThat(small.intersects(big)).isEqualTo(bs.intersects(bb));
            for (PortSet s : List.of(small.intersect(big), small.minus(big), big.intersect(small))) assertCanonical(s);
        }
    }

    @Test
    void algebraAgreesWithBitSetOracle() {
        Random rnd = new Random(20261129L);
        BitSet universe = new BitSet();
        universe.set(1, 65536);
        for (int iter = 0; iter < 3000; iter++) {
            PortSet a = random(rnd), b = random(rnd);
            BitSet ba = bits(a), bb = bits(b);

            BitSet u = (BitSet) ba.clone(); u.or(bb);
            BitSet n = (BitSet) ba.clone(); n.and(bb);
            BitSet d = (BitSet) ba.clone(); d.andNot(bb);
            BitSet c = (BitSet) universe.clone(); c.andNot(ba);

            assertThat(bits(a.union(b))).isEqualTo(u);
            assertThat(bits(a.intersect(b))).isEqualTo(n);
            assertThat(bits(a.minus(b))).isEqualTo(d);
            assertThat(bits(a.complement())).isEqualTo(c);
            for (PortSet s : List.of(a.union(b), a.intersect(b), a.minus(b), a.complement())) assertCanonical(s);
            assertThat(a.size()).isEqualTo(ba.cardinality());
            int probe = 1 + rnd.nextInt(65535);
            assertThat(a.contains(probe)).isEqualTo(ba.get(probe));
            assertThat(a.containsAll(a.intersect(b))).isTrue();
            assertThat(a.intersects(b)).isEqualTo(ba.intersects(bb));
        }
    }

    @Test
    void buildsFromOverlappingAndAdjacentRanges() {
        PortSet s = PortSet.of(new PortRange(80, 80), new PortRange(20, 23), new PortRange(21, 22), new PortRange(24, 25),
                new PortRange(1024, 65535));
        assertThat(s.toString()).isEqualTo("20-25,80,1024-65535");
        assertThat(s.rangeCount()).isEqualTo(3);
        assertThat(s.size()).isEqualTo(6 + 1 + 64512);
    }

    @Test
    void allAndEmptyAreComplements() {
        assertThat(PortSet.all().complement()).isEqualTo(PortSet.empty());
        assertThat(PortSet.empty().complement()).isEqualTo(PortSet.all());
        assertThat(PortSet.all().size()).isEqualTo(65535);
        assertThat(PortSet.range(6000, 6010).complement().toString()).isEqualTo("1-5999,6011-65535");
        assertThat(PortSet.empty().toString()).isEqualTo("(none)");
    }

    @Test
    void iteratesEveryPort() {
        List<Integer> ports = new ArrayList<>();
        PortSet.of(new PortRange(1, 3), new PortRange(65534, 65535)).forEach(ports::add);
        assertThat(ports).containsExactly(1, 2, 3, 65534, 65535);
    }

    @Test
    void rejectsPortsOutsideTheRange() {
        assertThatThrownBy(() -> PortSet.range(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortSet.range(10, 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortSet.range(10, 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
