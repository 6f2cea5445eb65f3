package io.portaudit.fleet;

import io.portaudit.store.DeviceIdentity;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * bench/fleet/worker-overhead: what a worker spends on one job besides the audit itself, through PostgreSQL. A run of
 * JOBS devices is submitted; one worker (THREADS threads) runs them with an audit that takes no time (the same stored
 * result recorded again, which the store answers by content hash) but goes through every step a real job takes:
 * db-scheduler's lock-and-fetch claim, reading the run and the device, marking it running, the transaction that records
 * the result, marks the device done and deletes the job's row at the claimed version, and the heartbeat thread.
 * Prints the wall time per job and, per job, the time from db-scheduler handing it to the handler to its commit.
 * Usage: WorkerOverheadBench JDBC_URL JOBS THREADS RESULT.json
 */
public final class WorkerOverheadBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int jobs = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        String doc = Files.readString(Path.of(args[3]));
        StoreLocation loc = StoreLocation.parse(url, System.getenv());
        // the job runner below never scans; the address is still one of the blackholed lab prefix, never a foreign one
        StringBuilder yaml = new StringBuilder("devices:\n");
        for (int i = 0; i < jobs; i++) yaml.append("  - {name: bench-").append(i).append(", scan-only: true, address: 10.77.199.1}\n");
        FleetFile ff = FleetFile.parse("bench.yaml", Path.of("."), yaml.toString(), false);
        if (!ff.problems().isEmpty()) throw new IllegalStateException(ff.problems().toString());
        String run;
        try (Store s = Store.open(loc)) {
            // the result exists once; every job records "the same" result, which costs a hash lookup
            s.record(doc, null, DeviceIdentity.named("bench"), Clock.systemUTC().instant());
            run = FleetRuns.newId(Clock.systemUTC());
            FleetQueue.submit(s, run, "bench.yaml", ff.defaults(), ff.devices(), Clock.systemUTC().instant());
        }
        long[] handled = new long[jobs];
        long[] began = new long[jobs];
        long[] ended = new long[jobs];
        int[] n = {0};
        FleetWorker.JobRunner runner = (device, defaults, store, runId, clock, also) -> {
            long t0 = System.nanoTime();
            synchronized (store) {
                Store.Recorded r = store.record(doc, null, DeviceIdentity.named("bench"), clock.instant(), (c, rec) -> {
                    FleetRuns.done(c, runId, new DeviceOutcome(device.name(), DeviceOutcome.Status.PASS, null, rec.auditId()), rec.auditId(),
                            clock.instant());
                    also.run(c, rec);
                });
                synchronized (handled) {
                    if (n[0] < handled.length) {
                        began[n[0]] = t0;
                        ended[n[0]] = System.nanoTime();
                        handled[n[0]++] = ended[n[0] - 1] - t0;
                    }
                }
                return new DeviceOutcome(device.name(), DeviceOutcome.Status.PASS, null, r.auditId());
            }
        };
        PrintWriter quiet = new PrintWriter(java.io.OutputStream.nullOutputStream());
        FleetWorker w = new FleetWorker(loc, new FleetWorker.Options("bench", threads, Duration.ofMillis(100), Duration.ofSeconds(5), 6, true),
                runner, Clock.systemUTC(), quiet);
        long start = System.nanoTime();
        w.run();
        long wall = System.nanoTime() - start;
        double perJob = wall / 1e6 / jobs;
        long[] rec = Arrays.copyOf(handled, n[0]);
        Arrays.sort(rec);
        System.out.printf("jobs %d, threads %d: %d recorded, wall %.0f ms, %.2f ms per job (claim + read + mark running + record/complete "
                + "transaction + polling), %.0f jobs/s%n", jobs, threads, w.recorded(), wall / 1e6, perJob, jobs / (wall / 1e9));
        System.out.printf("record+complete transaction: median %.2f ms, p95 %.2f ms%n", rec[rec.length / 2] / 1e6, rec[(int) (rec.length * 0.95)] / 1e6);
        if (threads == 1 && n[0] > 2) {
            // one thread: between the end of one job's record and the start of the next one's, the worker completed the
            // first in db-scheduler's eyes, claimed the next (lock-and-fetch), read its run and device and marked it running
            long[] gap = new long[n[0] - 1];
            for (int i = 1; i < n[0]; i++) gap[i - 1] = began[i] - ended[i - 1];
            Arrays.sort(gap);
            System.out.printf("between two jobs (claim, reads, mark running): median %.2f ms, p95 %.2f ms%n", gap[gap.length / 2] / 1e6,
                    gap[(int) (gap.length * 0.95)] / 1e6);
        }
        if (w.recorded() != jobs) throw new IllegalStateException("recorded " + w.recorded() + " of " + jobs);
    }
}
