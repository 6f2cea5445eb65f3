package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code audit --scan} with a target that is not one device's address: exit 2 with the reason, never an empty scan that passes. */
class AuditScanTargetTest {
    static final String SEED = "src/test/resources/fixtures/seed/";

    @Test
    void anInvalidScanTargetIsAUsageError() {
        // literals only: no name is looked up (network safety)
        for (String target : List.of("300.1.1.1", "10.77.79.0/30", "[fd77:79::1")) {
            MainTest.Run r = MainTest.run("audit", "--json", "-q", "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt",
                    "--scan", target);
            assertThat(r.exit()).as(target + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--scan " + target);
            assertThat(r.out()).isEmpty();
        }
        MainTest.Run r = MainTest.run("audit", "--input", SEED + "440-iptables-L.txt", "--scan-ports", "T:22");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--scan-ports needs --scan");
    }
}
