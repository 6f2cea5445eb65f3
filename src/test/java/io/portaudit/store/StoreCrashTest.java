package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a process writing audits one after another is killed with SIGKILL at random moments (fixed seed);
 * afterwards the SQLite file passes its integrity check, every audit whose commit returned is there, and every stored
 * audit is whole (all its rows and findings): no half audit.
 */
class StoreCrashTest {
    static final String DOC = "src/test/resources/fixtures/store/result-minimal.json";

    @TempDir
    Path tmp;

    static Instant timeOf(int i) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i);
    }

    @Test
    void killingTheWriterLosesNoCompleteAuditAndLeavesNoHalfOne() throws Exception {
        Path db = tmp.resolve("crash.db");
        Random random = new Random(20261203L);
        Set<Integer> committed = ConcurrentHashMap.newKeySet();
        int next = 0;
        int kills = 0;
        for (int round = 0; round < 6; round++) {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), db.toString(), DOC, String.valueOf(next), "400"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            int[] last = {-1};
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("committed ")) {
                            int i = Integer.parseInt(line.substring(10));
                            committed.add(i);
                            last[0] = i;
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process was killed
                }
            });
            reader.start();
            // wait for the first commit of this round, then kill at a random moment of the writing
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (last[0] < 0 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(random.nextInt(400));
            if (p.isAlive()) {
                p.destroyForcibly();   // SIGKILL
                kills++;
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            next += 400;
        }
        assertThat(kills).as("the writer was killed mid-run").isGreaterThanOrEqualTo(5);
        assertThat(committed).hasSizeGreaterThan(6);

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            try (var rs = st.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
        int rowsPerAudit = Facts.of(new ObjectMapper().readTree(Files.readString(Path.of(DOC))), null).rows().size();
        int findingsPerAudit = Facts.of(new ObjectMapper().readTree(Files.readString(Path.of(DOC))), null).findings().size();
        try (Store s = Store.open(StoreLocation.parse(db.toString(), java.util.Map.of()))) {
            Store.Device d = s.device("crash");
            List<Store.AuditInfo> audits = s.audits(d.id());
            Set<String> times = new java.util.HashSet<>();
            for (Store.AuditInfo a : audits) {
                times.add(a.collectedAt());
                Facts f = s.facts(a.id());
                assertThat(f.rows()).as("audit %d whole", a.id()).hasSize(rowsPerAudit);
                assertThat(f.findings()).as("audit %d whole", a.id()).hasSize(findingsPerAudit);
            }
            for (int i : committed) assertThat(times).as("committed audit %d kept", i).contains(Store.ts(timeOf(i)));
            assertThat(s.info().rows()).isEqualTo((long) rowsPerAudit * audits.size());
        }
    }
}
