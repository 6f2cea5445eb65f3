package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hard per-device time limit of {@code fleet run}: a device whose collection hangs (its bundle is a named pipe that
 * nobody writes: opening it blocks in the kernel and ignores interrupts and every SSH/scan bound) is stopped at its
 * limit and recorded as failed, "timed out after N s", while the other devices finish; and the abandoned audit, once it
 * is released, cannot record a result for the run. No network.
 */
// a bound, not a speed check: if the hard limit broke, the run would wait on the pipe for ever and hang the build
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FleetTimeLimitTest {
    @TempDir
    Path tmp;

    @Test
    void aHungDeviceIsStoppedAtItsLimitAndItsAbandonedAuditRecordsNothing() throws Exception {
        for (int i = 1; i <= 2; i++) {
            TestBundles.write(tmp.resolve("b" + i + ".txt"), "board-00" + i, "SN-T" + i, new int[] {22}, new String[] {"dropbear"});
        }
        Path fifo = tmp.resolve("hung.txt");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        Path f = tmp.resolve("fleet.yaml");
        Files.writeString(f, """
                defaults:
                  retries: 1
                devices:
                  - {name: board-001, bundle: b1.txt}
                  - {name: hung, bundle: hung.txt}
                  - {name: board-002, bundle: b2.txt}
                """);
        String store = tmp.resolve("s.db").toString();
        MainTest.Run r = MainTest.run("fleet", "run", f.toString(), "--store", store, "--timeout", "2s", "--parallel", "1");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        String run = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(r.out()).contains("3 device(s): 2 pass, 0 fail, 0 partial, 1 could not be audited")
                .contains("hung  error: timed out after 2 s");

        // release the hung collection with a valid bundle: the abandoned audit reads it, audits it, and must not record it
        Path valid = TestBundles.write(tmp.resolve("late.txt"), "hung", "SN-LATE", new int[] {22}, new String[] {"dropbear"});
        Files.write(fifo, Files.readAllBytes(valid));
        for (int i = 0; i < 300 && auditThreadAlive("hung"); i++) Thread.sleep(50);
        assertThat(auditThreadAlive("hung")).as("the abandoned audit ended once its bundle came").isFalse();

        try (Store s = Store.open(StoreLocation.parse("jdbc:sqlite:" + store, Map.of()))) {
            FleetRuns runs = new FleetRuns(s);
            FleetRuns.Entry hung = runs.device(run, "hung").orElseThrow();
            assertThat(hung.state()).isEqualTo(FleetRuns.FAILED);
            assertThat(hung.auditId()).isNull();
            assertThat(hung.reason()).isEqualTo("timed out after 2 s");
            // not retried: a time limit is not an unreachable device
            assertThat(hung.attempts()).isEqualTo(1);
            assertThat(s.deviceNamed("hung")).isEmpty();
            assertThat(runs.devices(run)).filteredOn(e -> e.state().equals(FleetRuns.DONE)).extracting(FleetRuns.Entry::device)
                    .containsExactly("board-001", "board-002");
            assertThat(runs.require(run).state()).isEqualTo(FleetRuns.RUN_DONE);
        }
    }

    static boolean auditThreadAlive(String device) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("fleet-audit " + device) && t.isAlive());
    }

    @Test
    void theReasonNamesTheLimitInWholeSeconds() {
        assertThat(DeviceAudit.timedOut(java.time.Duration.ofSeconds(90))).isEqualTo("timed out after 90 s");
        assertThat(DeviceAudit.timedOut(java.time.Duration.ofMillis(1500))).isEqualTo("timed out after 2 s");
    }
}
