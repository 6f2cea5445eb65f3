package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.store.PgServer;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed fleet runs on a real PostgreSQL server ({@link PgServer}): {@code fleet submit}, {@code portaudit worker}
 * processes, {@code fleet status|wait|cancel}. Devices are bundles replayed from the lab boards' captures
 * ({@link LabBundles}); the slow ones are also scanned on a loopback port whose listener accepts and never answers, so
 * that service identification keeps each of them busy for seconds (the only traffic: 127.0.0.1).
 */
@ExtendWith(PgServer.class)
class FleetDistributedTest {
    static final Duration WORKER_LIMIT = Duration.ofSeconds(240);

    @TempDir
    Path tmp;

    /** Writes a fleet file of {@code n} lab-board devices; with {@code slowPort} each is also scanned on that loopback port. */
    Path fleet(String name, int n, Integer slowPort, String defaults) throws IOException {
        StringBuilder y = new StringBuilder("defaults:\n  timeout: 120s\n" + (defaults == null ? "" : defaults) + "devices:\n");
        for (int i = 0; i < n; i++) {
            String board = LabBundles.BOARDS.get(i % LabBundles.BOARDS.size());
            String dev = String.format("%s-%02d", name, i);
            Path b = LabBundles.write(tmp.resolve(dev + ".bundle"), board, dev, "SN-" + name + "-" + i);
            y.append("  - name: ").append(dev).append("\n    bundle: ").append(b.toAbsolutePath()).append('\n');
            if (slowPort != null) y.append("    address: 127.0.0.1\n    ports: \"T:").append(slowPort).append("\"\n");
        }
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, y.toString(), StandardCharsets.UTF_8);
        return f;
    }

    /** A loopback listener that accepts connections and never says a word (a service that makes identification wait). */
    static final class Silent implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> held = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        Silent() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                for (int i = 0; i < 1000 && !server.isClosed(); i++) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) s.close();
        }
    }

    static MainTest.Run pa(String... args) {
        return MainTest.run(args);
    }

    static String submit(Path fleet, String url) {
        MainTest.Run r = pa("fleet", "submit", fleet.toString(), "--store", url);
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        String id = lines.get(lines.size() - 1);
        assertThat(id).matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");
        return id;
    }

    /** A worker in a JVM of its own, as on another PC; its output goes to a file. */
    Process worker(String url, String name, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Dportaudit.store=none", "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main", "worker", "--store", url,
                "--until-idle", "--name", name, "--threads", "1", "--poll", "200ms", "--heartbeat", "500ms", "--missed-heartbeats", "4"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static List<String> column(String url, String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    /** What a fleet report says about a run, without what differs between two runs of the same devices (ids, workers, attempts). */
    static Map<String, Object> comparable(String url, String runId) {
        try (Store s = Store.open(StoreLocation.parse(url, Map.of()))) {
            FleetReport r = FleetReport.of(s, List.of(runId));
            Map<String, Object> m = new TreeMap<>();
            for (FleetReport.Device d : r.devices()) {
                m.put("device " + d.name(), List.of(d.model() == null ? "" : d.model(), d.state(), String.valueOf(d.status()),
                        String.valueOf(d.reason()), d.findings(), d.failing(), d.exposedCount(), d.exposed()));
            }
            m.put("ports", r.ports().toString());
            m.put("outliers", r.outliers().toString());
            m.put("exit", r.exitCode());
            return m;
        }
    }

    @Test
    void threeWorkersOneKilledEveryDeviceRecordedOnceAndTheReportOfALocalRun() throws Exception {
        String url = PgServer.newDatabase();
        List<Process> workers = new ArrayList<>();
        try (Silent slow = new Silent()) {
            Path fleet = fleet("kill", 6, slow.port(), null);
            String run = submit(fleet, url);
            for (int i = 1; i <= 3; i++) workers.add(worker(url, "w" + i, tmp.resolve("w" + i + ".log")));

            // kill w1 while it audits a device (mid-audit: each device waits seconds on the silent port)
            String killedDevice = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (killedDevice == null && System.nanoTime() < deadline) {
                List<String> mine = column(url, "SELECT device FROM fleet_device WHERE run_id = ? AND state = 'running' AND worker = 'w1'", run);
                if (!mine.isEmpty()) killedDevice = mine.get(0);
                else Thread.sleep(20);
            }
            assertThat(killedDevice).as("w1 began a device within 120 s; its log: " + Files.readString(tmp.resolve("w1.log"))).isNotNull();
            Thread.sleep(300);
            workers.get(0).destroyForcibly();   // SIGKILL
            assertThat(workers.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();
            // its job is still in the table (held by the dead worker, or already revived for another one: on a loaded
            // machine the killed worker's last heartbeats may have come late), and the device has no result yet
            assertThat(column(url, "SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ?", run + "/" + killedDevice)).containsExactly("1");
            assertThat(column(url, "SELECT state FROM fleet_device WHERE run_id = ? AND device = ?", run, killedDevice)).doesNotContain("done");

            for (Process p : workers.subList(1, 3)) {
                assertThat(p.waitFor(WORKER_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("worker ended (--until-idle)").isTrue();
                assertThat(p.exitValue()).isZero();
            }
            MainTest.Run wait = pa("fleet", "wait", run, "--store", url, "--timeout", "30s", "--poll", "200ms");
            // the lab boards fail the default gate (accept-all policies, telnet), as in a local run
            assertThat(wait.exit()).as(wait.out() + wait.err()).isEqualTo(1);
            assertThat(wait.out()).contains("6 device(s): 6 done");

            // every device recorded once: one audit per device in the history, one result in the run
            assertThat(column(url, "SELECT COUNT(*) FROM audits")).containsExactly("6");
            assertThat(column(url, "SELECT d.name FROM audits a JOIN devices d ON d.id = a.device_id GROUP BY d.name HAVING COUNT(*) > 1")).isEmpty();
            assertThat(column(url, "SELECT COUNT(*) FROM fleet_device WHERE run_id = ? AND state = 'done' AND audit_id IS NOT NULL", run))
                    .containsExactly("6");
            assertThat(column(url, "SELECT COUNT(*) FROM scheduled_tasks")).containsExactly("0");
            // the killed worker's device was redone by another worker, on its second attempt
            assertThat(column(url, "SELECT worker || ' ' || attempts FROM fleet_device WHERE run_id = ? AND device = ?", run, killedDevice))
                    .singleElement().satisfies(s -> assertThat(s).matches("w[23] [2-9]"));
            assertThat(column(url, "SELECT DISTINCT worker FROM fleet_device WHERE run_id = ?", run)).doesNotContain("w1");
            assertThat(Files.readString(tmp.resolve("w2.log")) + Files.readString(tmp.resolve("w3.log"))).contains(killedDevice + " (" + run + ")");

            // the merged report equals the one a single local `fleet run` gives for the same devices
            String local = "jdbc:sqlite:" + tmp.resolve("local.db");
            MainTest.Run lr = pa("fleet", "run", fleet.toString(), "--store", local, "--parallel", "3");
            assertThat(lr.exit()).as(lr.err()).isEqualTo(1);
            String localRun = lr.out().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(comparable(url, run)).isEqualTo(comparable(local, localRun));
        } finally {
            for (Process p : workers) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aWorkerWhoseJobWasTakenOverRecordsNothingAndTheNewHolderRecordsItOnce() throws Exception {
        String url = PgServer.newDatabase();
        Path fleet = fleet("lease", 1, null, null);
        String run = submit(fleet, url);
        StoreLocation loc = StoreLocation.parse(url, Map.of());
        AtomicInteger calls = new AtomicInteger();
        // the first attempt loses its lease while auditing: db-scheduler's dead-execution handling revives a job by
        // un-picking it and bumping its version; this worker then picks it again (a new version) and audits it once more
        FleetWorker.JobRunner runner = (device, defaults, store, runId, clock, also) -> {
            if (calls.incrementAndGet() == 1) {
                try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                        "UPDATE scheduled_tasks SET picked = false, picked_by = NULL, version = version + 1")) {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return DeviceAudit.run(device, defaults, store, runId, clock, also);
        };
        StringWriter log = new StringWriter();
        FleetWorker w = new FleetWorker(loc, new FleetWorker.Options("solo", 1, Duration.ofMillis(100), Duration.ofSeconds(2), 4, true), runner,
                Clock.systemUTC(), new PrintWriter(log, true));
        Thread t = new Thread(() -> {
            try {
                w.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join(WORKER_LIMIT.toMillis());
        if (t.isAlive()) {
            w.close();
            t.join(30_000);
        }
        assertThat(t.isAlive()).as(log.toString()).isFalse();
        assertThat(calls.get()).as(log.toString()).isEqualTo(2);
        assertThat(w.lost()).isEqualTo(1);
        assertThat(w.recorded()).isEqualTo(1);
        assertThat(log.toString()).contains("taken over by another worker");
        // the first attempt's audit was rolled back with its result: one audit, one result
        assertThat(column(url, "SELECT COUNT(*) FROM audits")).containsExactly("1");
        assertThat(column(url, "SELECT state || ' ' || attempts FROM fleet_device WHERE run_id = ?", run)).containsExactly("done 2");
        assertThat(column(url, "SELECT COUNT(*) FROM scheduled_tasks")).containsExactly("0");
    }

    @Test
    void statusCancelAndWait() throws Exception {
        String url = PgServer.newDatabase();
        String run = submit(fleet("cancel", 3, null, null), url);
        MainTest.Run st = pa("fleet", "status", run, "--store", url);
        assertThat(st.exit()).as(st.err()).isZero();
        assertThat(st.out()).contains("run " + run, "3 device(s): 3 queued", "cancel-00", "cancel-02");
        MainTest.Run json = pa("fleet", "status", "latest", "--store", url, "--json");
        assertThat(json.out()).contains("\"run\" : \"" + run + "\"", "\"queued\" : 3", "\"ended\" : false");

        MainTest.Run notYet = pa("fleet", "wait", run, "--store", url, "--timeout", "1s", "--poll", "200ms");
        assertThat(notYet.exit()).isEqualTo(3);
        assertThat(notYet.err()).contains("has not ended after 1s");

        MainTest.Run c = pa("fleet", "cancel", run, "--store", url);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("fleet run " + run + " cancelled: 3 queued device(s) removed");
        assertThat(column(url, "SELECT COUNT(*) FROM scheduled_tasks")).containsExactly("0");

        MainTest.Run w = pa("fleet", "wait", run, "--store", url, "--timeout", "30s");
        assertThat(w.exit()).as("cancelled devices could not be audited").isEqualTo(3);
        assertThat(w.out()).contains("3 failed", "cancelled before it was audited", "cancelled, ended");

        // a worker started afterwards finds nothing to do
        StringWriter log = new StringWriter();
        FleetWorker idle = new FleetWorker(StoreLocation.parse(url, Map.of()), new FleetWorker.Options("late", 1, Duration.ofMillis(100),
                Duration.ofSeconds(2), 4, true), DeviceAudit::run, Clock.systemUTC(), new PrintWriter(log, true));
        idle.run();
        assertThat(idle.recorded()).isZero();
    }

    @Test
    void waitExitCodesAreThoseOfFleetRun() throws Exception {
        String url = PgServer.newDatabase();
        String pass = submit(fleet("pass", 2, null, "  fail-on: critical\n"), url);
        String fail = submit(fleet("fail", 2, null, null), url);
        Path broken = fleet("broken", 2, null, null);
        Files.writeString(tmp.resolve("broken-01.bundle"), "not a bundle\n");
        String error = submit(broken, url);

        StringWriter log = new StringWriter();
        FleetWorker w = new FleetWorker(StoreLocation.parse(url, Map.of()), new FleetWorker.Options("solo", 2, Duration.ofMillis(100),
                Duration.ofSeconds(2), 4, true), DeviceAudit::run, Clock.systemUTC(), new PrintWriter(log, true));
        w.run();
        assertThat(w.recorded()).as(log.toString()).isEqualTo(6);

        assertThat(pa("fleet", "wait", pass, "--store", url, "--timeout", "10s").exit()).isZero();
        assertThat(pa("fleet", "wait", fail, "--store", url, "--timeout", "10s").exit()).isEqualTo(1);
        MainTest.Run e = pa("fleet", "wait", error, "--store", url, "--timeout", "10s");
        assertThat(e.exit()).as("3 wins over 1").isEqualTo(3);
        assertThat(e.out()).contains("broken-01", "failed", "error");
        MainTest.Run st = pa("fleet", "status", error, "--store", url);
        assertThat(st.out()).contains("1 done, 1 failed", "solo");
    }
}
