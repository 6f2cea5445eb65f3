package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one /proc walk's readings that the collect script must match (effective uid, start in whole seconds). */
class ProcWalkTest {
    @Test
    void theEffectiveUidIsTheOwner() {
        // a setuid program started by uid 1000: it acts as root
        assertThat(ProcWalk.uid("Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n")).isZero();
        assertThat(ProcWalk.uid("Uid:\t33\t33\t33\t33")).isEqualTo(33);
        assertThat(ProcWalk.uid("Name:\tx\n")).isNull();
    }

    @Test
    void theStartIsBootPlusTicksInWholeSeconds() {
        // comm with spaces and a parenthesis: fields count from the last ')'
        String stat = "42 (a) b) S 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12399 1000 10 18446744073709551615";
        assertThat(ProcWalk.started(stat, Instant.ofEpochSecond(1700000000))).isEqualTo(Instant.ofEpochSecond(1700000123));
        assertThat(ProcWalk.started("42 (x) S 1", Instant.EPOCH)).isNull();
    }
}
