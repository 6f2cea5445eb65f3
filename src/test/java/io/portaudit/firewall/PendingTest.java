package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Pending} against the plain set algebra of {@link PortSet}: take, peek and add, in random sequences. */
class PendingTest {
    private static PortSet random(Random r) {
        List<PortRange> l = new ArrayList<>();
        for (int i = r.nextInt(4); i >= 0; i--) {
            int a = r.nextInt(4) == 0 ? 1 + r.nextInt(65535) : 60 + r.nextInt(200);
            int b = Math.min(65535, a + (r.nextInt(3) == 0 ? r.nextInt(5000) : r.nextInt(20)));
            l.add(new PortRange(a, b));
        }
        return r.nextInt(40) == 0 ? PortSet.all() : PortSet.of(l);
    }

    @Test
    void takePeekAndAddAgreeWithTheSetAlgebra() {
        Random r = new Random(15);
        for (int run = 0; run < 300; run++) {
            PortSet model = r.nextBoolean() ? PortSet.all() : random(r);
            Pending p = new Pending(model);
            for (int step = 0; step < 60; step++) {
                PortSet q = random(r);
                switch (r.nextInt(3)) {
                    case 0 -> {
                        assertThat(p.take(q)).isEqualTo(model.intersect(q));
                        model = model.minus(q);
                    }
                    case 1 -> assertThat(p.peek(q)).isEqualTo(model.intersect(q));
                    default -> {
                        // add puts back ranges that are not pending (ports that returned from a chain)
                        for (PortRange back : q.minus(model).ranges()) p.add(back);
                        model = model.union(q);
                    }
                }
                assertThat(p.toSet()).isEqualTo(model);
                assertThat(p.isEmpty()).isEqualTo(model.isEmpty());
            }
        }
    }
}
