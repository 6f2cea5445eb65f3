package io.portaudit.fleet;

import static io.portaudit.fleet.FleetDistributedTest.column;
import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.store.PgServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops under a distributed run. A PostgreSQL outage under a running {@code portaudit worker}: the test's server ({@link PgServer}) is stopped while the
 * worker has devices done and others being audited, kept down for several times the heartbeat limit, then started
 * again. The worker must not die or crash-loop: it keeps going, redoes what could not be recorded during the outage,
 * and every device ends recorded exactly once (one audit each, one result each, no job left). And the exit codes of a
 * stopped {@code fleet wait} and {@code worker --until-idle} (3: not everything audited), the run then finished by
 * another worker.
 */
@ExtendWith(PgServer.class)
class FleetPgOutageTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkerSurvivesAServerRestartAndEveryDeviceIsRecordedOnce() throws Exception {
        String url = PgServer.newDatabase();
        Process worker = null;
        Path log = tmp.resolve("worker.log");
        try (FleetDistributedTest.Silent slow = new FleetDistributedTest.Silent()) {
            // every device also waits seconds on the silent loopback port: audits are running when the server stops
            Path fleet = LabBundles.fleet(tmp, "pgout", "PGOUT", 6, 0, slow.port());
            List<String> names = LabBundles.names("pgout", 6);
            String run = FleetDistributedTest.submit(fleet, url);
            List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-Dportaudit.store=none", "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main", "worker", "--store", url,
                    "--until-idle", "--name", "survivor", "--threads", "2", "--poll", "200ms", "--heartbeat", "500ms", "--missed-heartbeats", "4");
            worker = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            // the outage begins when one device is recorded and others are being audited
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean ready = false;
            while (!ready && System.nanoTime() < deadline && worker.isAlive()) {
                List<String> states = column(url, "SELECT state FROM fleet_device WHERE run_id = ?", run);
                ready = states.contains("done") && states.contains("running");
                if (!ready) Thread.sleep(50);
            }
            assertThat(ready).as("a device done and one running within 120 s; worker log: " + Files.readString(log)).isTrue();
            int doneBefore = Integer.parseInt(column(url, "SELECT COUNT(*) FROM fleet_device WHERE run_id = ? AND state = 'done'", run).get(0));
            try {
                PgServer.stopForOutage();
                // down for 8 s: 4 x the worker's heartbeat limit (500 ms x 4); its running audits end meanwhile and cannot be recorded
                Thread.sleep(8_000);
                assertThat(worker.isAlive()).as("the worker outlives the outage; its log: " + Files.readString(log)).isTrue();
            } finally {
                PgServer.startAgain();
            }
            assertThat(worker.waitFor(FleetDistributedTest.WORKER_LIMIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the worker ended (--until-idle) after the server came back; its log: " + Files.readString(log)).isTrue();
            String out = Files.readString(log);
            assertThat(worker.exitValue()).as(out).isZero();
            assertThat(doneBefore).as("some devices were still to do when the server stopped").isLessThan(6);

            // every device recorded exactly once
            assertThat(column(url, "SELECT COUNT(*) FROM fleet_device WHERE run_id = ? AND state = 'done' AND audit_id IS NOT NULL", run))
                    .as(out).containsExactly("6");
            assertThat(column(url, "SELECT COUNT(*) FROM audits")).as(out).containsExactly("6");
            assertThat(column(url, "SELECT d.name FROM audits a JOIN devices d ON d.id = a.device_id GROUP BY d.name HAVING COUNT(*) > 1")).isEmpty();
            assertThat(column(url, "SELECT d.name FROM audits a JOIN devices d ON d.id = a.device_id ORDER BY d.name")).isEqualTo(names);
            assertThat(column(url, "SELECT COUNT(*) FROM scheduled_tasks")).containsExactly("0");
            MainTest.Run wait = MainTest.run("fleet", "wait", run, "--store", url, "--timeout", "30s", "--poll", "200ms");
            assertThat(wait.out()).as(wait.err()).contains("6 device(s): 6 done");
            // the worker said what happened; no stack-trace storm, and an outage said once, not at every poll
            assertThat(out).contains("worker survivor stopped: ");
            long downLines = out.lines().filter(l -> l.contains("cannot read the job table")).count();
            assertThat(downLines).as(out).isLessThanOrEqualTo(1);
            assertThat(out.lines().filter(l -> l.contains("the job table can be read again after")).count()).as(out).isEqualTo(downLines);
        } finally {
            if (worker != null) {
                worker.destroyForcibly();
                worker.waitFor(30, TimeUnit.SECONDS);
            }
            PgServer.startAgain();
        }
    }

    static Process java(Path log, String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Dportaudit.store=none", "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void signal(Process p, String sig) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void aStoppedWaitAndAStoppedUntilIdleWorkerExitThreeAndAnotherWorkerFinishesTheRun() throws Exception {
        String url = PgServer.newDatabase();
        List<Process> started = new ArrayList<>();
        try (FleetDistributedTest.Silent slow = new FleetDistributedTest.Silent()) {
            StringBuilder y = new StringBuilder("defaults:\n  timeout: 120s\n  retries: 0\ndevices:\n");
            for (int i = 0; i < 4; i++) {
                String dev = String.format("stop-%02d", i);
                Path b = LabBundles.write(tmp.resolve(dev + ".bundle"), LabBundles.BOARDS.get(i % LabBundles.BOARDS.size()), dev, "SN-STOP-" + i);
                y.append("  - name: ").append(dev).append("\n    bundle: ").append(b.toAbsolutePath())
                        .append("\n    address: 127.0.0.1\n    ports: \"T:").append(slow.port()).append("\"\n");
            }
            String run = FleetDistributedTest.submit(Files.writeString(tmp.resolve("stop.yaml"), y.toString(), StandardCharsets.UTF_8), url);

            // fleet wait, stopped with Ctrl-C while nothing works on the run: 3, and it says the run goes on
            Path waitLog = tmp.resolve("wait.log");
            List<String> before = column(url, "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database()");
            Process wait = java(waitLog, "fleet", "wait", run, "--store", url, "--poll", "200ms");
            started.add(wait);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // ready when it holds its connection (its signal handling is installed right after opening the store)
            while (System.nanoTime() < deadline && wait.isAlive()
                    && column(url, "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database()").size() <= before.size() + 1) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            assertThat(wait.isAlive()).as(Files.readString(waitLog)).isTrue();
            signal(wait, "INT");
            assertThat(wait.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(wait.exitValue()).as(Files.readString(waitLog)).isEqualTo(3);
            assertThat(Files.readString(waitLog)).contains("stopped waiting (SIGINT): fleet run " + run + " has not ended", "4 queued");

            // a worker --until-idle stopped with SIGTERM while it audits a device: 3, its device left to be done again
            Path wlog = tmp.resolve("w1.log");
            Process w1 = java(wlog, "worker", "--store", url, "--until-idle", "--name", "w1", "--threads", "1", "--poll", "200ms",
                    "--heartbeat", "500ms", "--missed-heartbeats", "4");
            started.add(w1);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && w1.isAlive()
                    && column(url, "SELECT device FROM fleet_device WHERE run_id = ? AND state = 'running'", run).isEmpty()) {
                Thread.sleep(50);
            }
            assertThat(w1.isAlive()).as(Files.readString(wlog)).isTrue();
            signal(w1, "TERM");
            assertThat(w1.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String l1 = Files.readString(wlog);
            assertThat(w1.exitValue()).as(l1).isEqualTo(3);
            assertThat(l1).contains("worker stopped (SIGTERM) before the queue was empty");
            assertThat(column(url, "SELECT COUNT(*) FROM fleet_device WHERE run_id = ? AND state = 'done'", run).get(0)).as(l1).isNotEqualTo("4");

            // another worker finishes the run; each device recorded once
            Path w2log = tmp.resolve("w2.log");
            Process w2 = java(w2log, "worker", "--store", url, "--until-idle", "--name", "w2", "--threads", "2", "--poll", "200ms",
                    "--heartbeat", "500ms", "--missed-heartbeats", "4");
            started.add(w2);
            assertThat(w2.waitFor(FleetDistributedTest.WORKER_LIMIT.toSeconds(), TimeUnit.SECONDS)).as(Files.readString(w2log)).isTrue();
            assertThat(w2.exitValue()).as(Files.readString(w2log)).isZero();
            assertThat(column(url, "SELECT COUNT(*) FROM fleet_device WHERE run_id = ? AND state = 'done' AND audit_id IS NOT NULL", run))
                    .containsExactly("4");
            assertThat(column(url, "SELECT COUNT(*) FROM audits")).containsExactly("4");
            assertThat(column(url, "SELECT COUNT(*) FROM scheduled_tasks")).containsExactly("0");
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
