package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.fleet.FleetReasons;
import io.portaudit.model.L10n;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fleet's own stored failure reasons are shown in the reader's language; English and other texts stay as stored. */
class CliJapaneseFleetReasonsTest {
    static final List<String> STORED = List.of("timed out after 30 s",
            "no answer on any scanned port from 10.77.9.9 (down, a wrong address, or it drops everything): nothing can be said about its ports",
            "taken over from worker w1@host (no heartbeat for 60 s)", "cancelled before it was audited",
            "internal error: java.lang.IllegalStateException: boom");

    @Test
    void knownReasonsAreJapaneseAndEnglishIsUnchanged() throws Exception {
        for (String r : STORED) {
            assertThat(L10n.with(L10n.Lang.EN, () -> FleetReasons.shown(r))).isEqualTo(r);
            String ja = L10n.with(L10n.Lang.JA, () -> FleetReasons.shown(r));
            assertThat(ja).as(r).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            assertThat(CliJapaneseTest.englishLeft(ja.replace("java.lang.IllegalStateException: boom", ""))).as(ja).isEmpty();
        }
        assertThat(L10n.with(L10n.Lang.JA, () -> FleetReasons.shown("ssh: Connection refused"))).isEqualTo("ssh: Connection refused");
    }
}
