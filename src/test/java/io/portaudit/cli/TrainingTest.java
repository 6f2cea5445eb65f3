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

    @Test
    void theShortCommandGroupsRunTheirCommandsOverAStoreAnotherProcessFilled() throws Exception {
        Map<String, Integer> read = Training.runGroup("store-read");
        assertThat(read).containsEntry("fill", 0).containsEntry("--version", 0);
        assertThat(read.keySet()).anyMatch(a -> a.startsWith("diff")).anyMatch(a -> a.startsWith("history")).anyMatch(a -> a.startsWith("show"));
        read.forEach((args, code) -> {
            if (args.startsWith("diff")) assertThat(code).as(args).isIn(0, 1);   // 1: the two audits differ
            else assertThat(code).as(args).isZero();
        });
        Map<String, Integer> serve = Training.runGroup("serve");
        assertThat(serve).containsEntry("fill", 0).containsEntry("serve (pages of the store above, over 127.0.0.1)", 0)
                .doesNotContainKey("serve (parse)");
    }
}
