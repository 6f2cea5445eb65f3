package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a real {@code portaudit fleet run} process: SIGINT while some devices are done and others still running. The
 * finished devices stay recorded, the run is marked interrupted, and {@code fleet run --resume} audits exactly the rest,
 * each device recorded once. Devices are bundles replayed from the lab boards' captures; the slow ones are also scanned on
 * a loopback port whose listener accepts and never answers (the only traffic: 127.0.0.1).
 */
class FleetInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void sigintKeepsFinishedDevicesMarksTheRunInterruptedAndResumeDoesTheRest() throws Exception {
        try (FleetDistributedTest.Silent slow = new FleetDistributedTest.Silent()) {
            // the first two are quick; the others keep identification waiting on the silent port for seconds
            Path fleet = LabBundles.fleet(tmp, "sig", "SIG", 6, 2, slow.port());
            List<String> names = LabBundles.names("sig", 6);
            Path db = tmp.resolve("s.db");
            Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
            List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main", "fleet", "run", fleet.toString(),
                    "--store", db.toString(), "--parallel", "2", "--progress", "json");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                // wait until the quick ones are done and slow ones are running
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (System.nanoTime() < deadline && p.isAlive()) {
                    String e = Files.readString(err);
                    if (e.contains("\"event\":\"done\",\"device\":\"sig-01\"") && e.contains("\"event\":\"started\",\"device\":\"sig-03\"")) break;
                    Thread.sleep(50);
                }
                String before = Files.readString(err);
                assertThat(p.isAlive()).as(before).isTrue();
                assertThat(before).contains("\"device\":\"sig-03\"").doesNotContain("\"event\":\"done\",\"device\":\"sig-05\"");
                Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start();
                assertThat(kill.waitFor()).isZero();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGINT").isTrue();
            } finally {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            String stdout = Files.readString(out), stderr = Files.readString(err);
            // 3: not every device was audited (the product's code for a partial result kept), not the JVM's 130
            assertThat(p.exitValue()).as(stdout + stderr).isEqualTo(3);
            assertThat(stderr).contains("portaudit: stopping (Ctrl-C)");
            // the summary is still printed: the devices, those not done, how to resume
            assertThat(stdout).as(stderr).containsPattern("fleet run [0-9-a-f]+: 6 device\\(s\\): .* not done")
                    .contains("  sig-05  not done").contains("stopped: 'portaudit fleet run --resume ");
            String run = stdout.lines().reduce((a, b) -> b).orElseThrow();
            assertThat(run).matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");

            List<String> doneBefore;
            try (Store s = Store.open(StoreLocation.parse("jdbc:sqlite:" + db, Map.of()))) {
                FleetRuns runs = new FleetRuns(s);
                assertThat(runs.require(run).state()).isEqualTo(FleetRuns.RUN_INTERRUPTED);
                List<FleetRuns.Entry> entries = runs.devices(run);
                doneBefore = entries.stream().filter(e -> e.state().equals(FleetRuns.DONE)).map(FleetRuns.Entry::device).toList();
                assertThat(doneBefore).contains("sig-00", "sig-01").hasSizeLessThan(6);
                assertThat(entries).filteredOn(e -> e.state().equals(FleetRuns.DONE)).allSatisfy(e -> assertThat(e.auditId()).isNotNull());
                // nothing the stop cut short is called failed: those are not done, and resume does them
                assertThat(entries).filteredOn(e -> !e.state().equals(FleetRuns.DONE))
                        .allSatisfy(e -> assertThat(e.state()).isIn(FleetRuns.QUEUED, FleetRuns.RUNNING));
            }

            MainTest.Run resumed = MainTest.run("fleet", "run", "--resume", run, "--store", db.toString(), "--progress", "json");
            assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isIn(0, 1);
            List<String> redone = resumed.err().lines().filter(l -> l.contains("\"event\":\"started\""))
                    .map(l -> l.replaceAll(".*\"device\":\"([^\"]+)\".*", "$1")).toList();
            List<String> rest = names.stream().filter(n -> !doneBefore.contains(n)).toList();
            assertThat(redone).containsExactlyInAnyOrderElementsOf(rest);
            try (Store s = Store.open(StoreLocation.parse("jdbc:sqlite:" + db, Map.of()))) {
                FleetRuns runs = new FleetRuns(s);
                assertThat(runs.require(run).state()).isEqualTo(FleetRuns.RUN_DONE);
                assertThat(runs.devices(run)).hasSize(6).allSatisfy(e -> {
                    assertThat(e.state()).isEqualTo(FleetRuns.DONE);
                    assertThat(e.auditId()).isNotNull();
                });
                // each device recorded once: one audit in the history per device
                for (String n : names) assertThat(s.audits(s.deviceNamed(n).orElseThrow().id())).as(n).hasSize(1);
            }
        }
    }
}
