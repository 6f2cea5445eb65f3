package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 15: {@code firewall} and {@code inventory} follow the incomplete-input rule of {@code audit}
 * (docs/ROBUSTNESS.md): a problem on a line that could hold a rule or a listener makes the answer incomplete, exit 3,
 * unless {@code --accept-unreadable}; a clean input stays exit 0, a file that yields nothing exit 2.
 */
class IncompleteInputCommandsTest {
    static final String DAMAGED = "src/test/resources/fixtures/damaged/";
    static final String SEED = "src/test/resources/fixtures/seed/";

    @Test
    void firewallWithAnUnreadableRuleLineIsIncomplete() {
        for (String f : new String[] {"iptables-save-cut.txt", "iptables-L-chain-header-twice.txt", "nft-cut.txt", "nft-extra-brace.txt",
                "iptables-L-protocol-control.txt"}) {
            MainTest.Run r = MainTest.run("firewall", DAMAGED + f);
            assertThat(r.exit()).as(f + ": " + r.err()).isEqualTo(3);
            assertThat(r.err()).as(f).contains("incomplete:").contains("--accept-unreadable");
            assertThat(r.out()).as(f + ": the answer is still printed").isNotBlank();
            MainTest.Run accepted = MainTest.run("firewall", "--accept-unreadable", DAMAGED + f);
            assertThat(accepted.exit()).as(f + ": " + accepted.err()).isZero();
            assertThat(accepted.err()).as(f).contains("accepted (--accept-unreadable)");
            assertThat(accepted.out()).isEqualTo(r.out());
        }
        MainTest.Run traced = MainTest.run("firewall", DAMAGED + "iptables-save-cut.txt", "--trace", "tcp/23");
        assertThat(traced.exit()).isEqualTo(3);
        MainTest.Run clean = MainTest.run("firewall", SEED + "440-iptables-L.txt");
        assertThat(clean.exit()).as(clean.err()).isZero();
        assertThat(clean.err()).doesNotContain("incomplete");
    }

    @Test
    void inventoryWithAnUnreadableListenerLineIsIncomplete() {
        int incomplete = 0;
        for (String f : new String[] {"netstat-state-misspelt.txt", "netstat-control-byte.txt", "ss-state-misspelt.txt"}) {
            MainTest.Run r = MainTest.run("inventory", "--from", DAMAGED + f);
            assertThat(r.exit()).as(f + ": " + r.err()).isEqualTo(3);
            assertThat(r.err()).as(f).contains("incomplete:").contains("could hold a listener");
            MainTest.Run accepted = MainTest.run("inventory", "--accept-unreadable", "--from", DAMAGED + f);
            assertThat(accepted.exit()).as(f + ": " + accepted.err()).isZero();
            assertThat(accepted.out()).isEqualTo(r.out());
            incomplete++;
        }
        assertThat(incomplete).isEqualTo(3);
        // a line read with a warning (understood conservatively) is no reason to stop
        MainTest.Run warned = MainTest.run("inventory", "--from", DAMAGED + "netstat-unix-header-middle.txt");
        assertThat(warned.exit()).as(warned.err()).isZero();
        MainTest.Run clean = MainTest.run("inventory", "--from", SEED + "440-netstat-a.txt");
        assertThat(clean.exit()).as(clean.err()).isZero();
    }
}
