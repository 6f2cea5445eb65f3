package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's AOT training run must really run every command, or the cache silently shrinks. */
class TrainingTest {
    @Test
    void everyTrainingCommandRunsToAnExpectedExitCode() throws Exception {
        Map<String, Integer> codes = Training.run();
        assertThat(codes).hasSizeGreaterThanOrEqualTo(10);
        codes.forEach((args, code) -> {
            // audit exits 1 when findings fail the gate (the samples have some); nothing else may fail
            if (args.startsWith("audit") || args.startsWith("diff")) assertThat(code).as(args).isIn(0, 1);
            else assertThat(code).as(args).isZero();
        });
        assertThat(codes.keySet()).anyMatch(a -> a.startsWith("scan")).anyMatch(a -> a.startsWith("audit"))
                .anyMatch(a -> a.startsWith("firewall")).anyMatch(a -> a.startsWith("inventory"));
    }
}
