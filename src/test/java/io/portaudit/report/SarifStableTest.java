package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SARIF of one audit is the same bytes from one run to the next: code-scanning tools and diffs of committed
 * reports see no change where there is none. Java's {@code Map.of} iterates in an order salted per JVM, so this
 * needs several processes (five: an unordered two-key map comes out the same in all of them once in sixteen).
 */
class SarifStableTest {
    @TempDir
    Path dir;

    @Test
    void theSameAuditGivesTheSameSarifInEveryProcess() throws Exception {
        String seed = Path.of("src/test/resources/fixtures/seed").toAbsolutePath().toString();
        Set<String> outputs = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Path out = dir.resolve("r" + i + ".sarif");
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main",
                    "audit", "--no-store", "--lang", "en", "--device", "seed-440", "-o", "sarif:" + out,
                    "--input", seed + "/440-iptables-L.txt", seed + "/440-netstat-a.txt", seed + "/440-nmap.txt"));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String sarif = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(sarif).contains("\"version\" : \"2.1.0\"").contains("security-severity");
            outputs.add(sarif.replaceAll("\"(startTimeUtc|endTimeUtc|collected[A-Za-z]*)\" : \"[^\"]*\"", "\"$1\" : \"-\""));
        }
        assertThat(outputs).hasSize(1);
    }
}
