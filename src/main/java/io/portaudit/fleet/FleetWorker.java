package io.portaudit.fleet;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.portaudit.store.Store;
import io.portaudit.store.StoreDataSource;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code portaudit worker}: a db-scheduler scheduler that runs fleet device jobs. db-scheduler claims due jobs
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}, lock-and-fetch), heartbeats the ones running, and revives the jobs of a
 * worker whose heartbeat stopped (killed, powered off) after {@code heartbeat × missedHeartbeats}, so that another
 * worker audits those devices again. Each job's result is recorded in the transaction that deletes the job's row, and
 * only if the row still carries the version this worker claimed: a worker that lost its lease records nothing, a device
 * has one result per run.
 */
public final class FleetWorker implements AutoCloseable {

    /**
     * How a worker runs.
     *
     * @param name             the worker's name in the job table ({@code picked_by}) and in the results
     * @param threads          devices audited at once
     * @param pollInterval     how often the worker looks for due jobs when idle
     * @param heartbeat        how often a running job's heartbeat is written
     * @param missedHeartbeats after how many missed heartbeats a job counts as dead and is revived (at least 4)
     * @param untilIdle        stop when no job of any run is left (queued or held by any worker)
     */
    public record Options(String name, int threads, Duration pollInterval, Duration heartbeat, int missedHeartbeats, boolean untilIdle) {
        public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
        public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
        public static final int DEFAULT_MISSED = 6;

        public Options {
            if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
            if (missedHeartbeats < 4) throw new IllegalArgumentException("--missed-heartbeats must be at least 4 (db-scheduler's minimum)");
            if (heartbeat.toMillis() < 100) throw new IllegalArgumentException("--heartbeat must be at least 100ms");
            if (pollInterval.toMillis() < 50) throw new IllegalArgumentException("--poll must be at least 50ms");
        }

        /** After how long without a heartbeat a job is revived. */
        public Duration deadAfter() {
            return heartbeat.multipliedBy(missedHeartbeats);
        }
    }

    /**
     * Audits one job's device and records its audit ({@link DeviceAudit#run(FleetDevice, FleetDefaults, Store, String,
     * Clock, Store.InTransaction)}), running {@code also} in the transaction that records it.
     */
    @FunctionalInterface
    public interface JobRunner {
        DeviceOutcome run(FleetDevice device, FleetDefaults defaults, Store store, String runId, Clock clock, Store.InTransaction also);
    }

    /** The job's row no longer carries the version this worker claimed: another worker took the job over. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String instance) {
            super("job " + instance + " was taken over by another worker");
        }
    }

    private final StoreLocation location;
    private final Options options;
    private final JobRunner runner;
    private final Clock clock;
    private final PrintWriter log;
    private final StoreDataSource dataSource;
    private final BlockingQueue<Store> stores;
    private final AtomicInteger recorded = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile Scheduler scheduler;
    private volatile boolean stopped;
    /** The language of the thread that runs the worker: its scheduler's threads write in it too. */
    private volatile io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.Lang.EN;

    public FleetWorker(StoreLocation location, Options options, JobRunner runner, Clock clock, PrintWriter log) {
        FleetQueue.requirePostgres(location, "worker");
        this.location = location;
        this.options = options;
        this.runner = runner;
        this.clock = clock;
        this.log = log;
        this.dataSource = new StoreDataSource(location, options.threads() + 3);
        this.stores = new ArrayBlockingQueue<>(options.threads());
    }

    /** Results this worker recorded. */
    public int recorded() {
        return recorded.get();
    }

    /** Jobs whose lease this worker had lost when it finished them (their results were not recorded by it). */
    public int lost() {
        return lost.get();
    }

    /**
     * Runs until stopped ({@link #close}, SIGTERM) or, with {@code untilIdle}, until no job is left. The schema is
     * brought up to date first.
     */
    public void run() throws InterruptedException {
        lang = io.portaudit.model.L10n.lang();
        try (Store s = Store.open(location)) {
            // migrated by open; nothing else
            if (!s.postgres()) throw new StoreException(io.portaudit.model.L10n.t("fleet.w.notpg"), 2);
        }
        Scheduler sch = Scheduler.create(dataSource, FleetQueue.task(this::execute, options.pollInterval().multipliedBy(5)))
                .serializer(FleetQueue.UTF8)
                .schedulerName(new SchedulerName.Fixed(options.name()))
                .threads(options.threads())
                .pollingInterval(options.pollInterval())
                .heartbeatInterval(options.heartbeat())
                .missedHeartbeatsLimit(options.missedHeartbeats())
                .pollUsingLockAndFetch(0.5, 1.0)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
        scheduler = sch;
        log.println("portaudit: " + io.portaudit.model.L10n.t(lang, "fleet.w.started", options.name(), location.display(), options.threads(), options.heartbeat().toMillis(), options.deadAfter().toMillis()));
        log.flush();
        sch.start();
        try {
            while (!stopped) {
                pause(outage.pause(options.pollInterval()));
                if (options.untilIdle() && sch.getCurrentlyExecuting().isEmpty() && remaining() == 0) break;
            }
        } finally {
            sch.stop();
            closeStores();
        }
        log.println("portaudit: " + io.portaudit.model.L10n.t(lang, "fleet.w.stopped", options.name(), recorded.get())
                + (lost.get() > 0 ? io.portaudit.model.L10n.t(lang, "fleet.w.lost", lost.get()) : ""));
        log.flush();
    }

    private int remaining() {
        try (var c = dataSource.getConnection()) {
            int n = FleetQueue.remaining(c);
            String back = outage.up(System.nanoTime());
            if (back != null) log(back);
            return n;
        } catch (java.sql.SQLException e) {
            String down = outage.down(System.nanoTime(), e);
            if (down != null) log(down);
            return 1;
        }
    }

    /** Sleeps {@code ms}, in slices, ending early when the worker is stopped. */
    private void pause(long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000L;
        for (long left = ms; left > 0 && !stopped; left = (end - System.nanoTime()) / 1_000_000L) {
            Thread.sleep(Math.min(left, 200));
        }
    }

    private final Outage outage = new Outage();

    /**
     * Whether the job table could be read at the last try: an outage of the database is said once when it begins (with
     * its error) and once when it ends (with its length), not at every poll; while it lasts the polls back off, doubling
     * from the poll interval up to {@link #MAX_BACKOFF}.
     */
    static final class Outage {
        static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
        private boolean isDown;
        private long since;
        private int failures;

        /** A failed read at {@code now} ({@link System#nanoTime}): the line to log when this begins an outage, else null. */
        synchronized String down(long now, Exception e) {
            failures++;
            if (isDown) return null;
            isDown = true;
            since = now;
            return io.portaudit.model.L10n.t("fleet.w.down", oneLine(e));
        }

        /** A read that worked at {@code now}: the line to log when this ends an outage, else null. */
        synchronized String up(long now) {
            if (!isDown) return null;
            String line = io.portaudit.model.L10n.t(failures == 1 ? "fleet.w.up1" : "fleet.w.up",
                    String.format(java.util.Locale.ROOT, "%.1f", Math.max(0, now - since) / 1e9), failures);
            isDown = false;
            failures = 0;
            return line;
        }

        /** How long to wait before the next poll: the poll interval, doubled per failure while down, bounded. */
        synchronized long pause(Duration poll) {
            long ms = Math.max(1, poll.toMillis());
            if (!isDown) return ms;
            long backoff = ms << Math.min(failures, 16);
            return Math.min(Math.max(ms, MAX_BACKOFF.toMillis()), backoff);
        }

        private static String oneLine(Exception e) {
            String m = String.valueOf(e.getMessage()).strip();
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl).strip();
        }
    }

    /**
     * db-scheduler's handler: audit the device, then record its result and complete the job in one transaction (the
     * job's row deleted only if it still carries the version this execution claimed).
     */
    private CompletionHandler<String> execute(TaskInstance<String> instance, ExecutionContext ctx) {
        // the scheduler's threads: the worker's language (--lang / LANG), not a new thread's default
        io.portaudit.model.L10n.set(lang);
        String id = instance.getId();
        int slash = id.indexOf('/');
        String runId = id.substring(0, slash);
        String device = id.substring(slash + 1);
        long version = ctx.getExecution().version;
        Store store = borrowStore();
        boolean broken = false;
        try {
            FleetRuns runs = new FleetRuns(store);
            Optional<FleetRuns.Run> run = runs.run(runId);
            Optional<FleetRuns.Entry> entry = runs.device(runId, device);
            if (run.isEmpty() || entry.isEmpty()) {
                log(id + ": " + io.portaudit.model.L10n.t(lang, "fleet.w.nosuch"));
                store.transaction("cannot complete the job", c -> FleetQueue.complete(c, id, version));
                return FleetQueue.completedInTransaction();
            }
            FleetRuns.Entry e = entry.get();
            if (e.state().equals(FleetRuns.DONE) || e.state().equals(FleetRuns.FAILED)) {
                // recorded before (the worker that recorded it died before db-scheduler saw the job end): only complete it
                store.transaction("cannot complete the job", c -> FleetQueue.complete(c, id, version));
                return FleetQueue.completedInTransaction();
            }
            if (run.get().state().equals(FleetRuns.RUN_CANCELLED)) {
                failInTransaction(store, runId, id, version, DeviceOutcome.error(device, "the run was cancelled before this device was audited", false));
                return FleetQueue.completedInTransaction();
            }
            if (e.state().equals(FleetRuns.RUNNING)) {
                runs.requeue(runId, device, "taken over from worker " + e.worker() + " (no heartbeat for " + options.deadAfter().toSeconds() + " s)",
                        clock.instant());
            }
            runs.claim(runId, device, options.name(), clock.instant());
            DeviceOutcome o;
            try {
                o = runner.run(e.spec(), run.get().defaults(), store, runId, clock, (c, rec) -> {
                    if (!FleetQueue.complete(c, id, version)) throw new LeaseLost(id);
                });
            } catch (LeaseLost lostLease) {
                lost.incrementAndGet();
                log(device + " (" + runId + "): " + io.portaudit.model.L10n.t(lang, "fleet.w.lostlease"));
                return FleetQueue.completedInTransaction();
            } catch (FleetRuns.AlreadyRecorded already) {
                store.transaction("cannot complete the job", c -> FleetQueue.complete(c, id, version));
                return FleetQueue.completedInTransaction();
            } catch (StoreException se) {
                throw se;   // the store failed: db-scheduler tries the job again later
            } catch (RuntimeException re) {
                o = DeviceOutcome.error(device, "internal error: " + re, false);
            }
            if (o.auditId() == null && Thread.interrupted()) {
                // the worker is stopping and its audit was abandoned unfinished: not a failure of the device; the job
                // stays, to be done again here or by another worker (the row, still 'running', is taken over then)
                log(device + " (" + runId + "): " + io.portaudit.model.L10n.t(lang, "fleet.w.stoppedaudit"));
                return (done, ops) -> ops.reschedule(done, clock.instant().plus(RETRY_DELAY));
            }
            if (o.auditId() != null) {
                recorded.incrementAndGet();
                log(device + " (" + runId + "): " + o.status().label() + (o.reason() == null ? "" : " - " + o.reason()));
                finishIfEnded(store, runs, runId);
                return FleetQueue.completedInTransaction();
            }
            // no audit recorded: retry later (db-scheduler reschedules the job), or record the failure
            int attempts = runs.device(runId, device).map(FleetRuns.Entry::attempts).orElse(1);
            if (o.retryable() && attempts <= run.get().defaults().retries()) {
                runs.requeue(runId, device, o.reason(), clock.instant());
                Instant at = clock.instant().plus(RETRY_DELAY.multipliedBy(attempts));
                log(device + " (" + runId + "): " + io.portaudit.model.L10n.t(lang, "fleet.w.retry", o.reason(), at));
                return (done, ops) -> ops.reschedule(done, at);
            }
            failInTransaction(store, runId, id, version, o);
            finishIfEnded(store, runs, runId);
            return FleetQueue.completedInTransaction();
        } catch (StoreException se) {
            // the database went away (restart, network): nothing of this job was recorded (its transaction rolled back).
            // db-scheduler tries the job again later; if it cannot even note that, the job stays claimed without
            // heartbeat and is revived as a dead worker's. This store's connection is not used again.
            broken = true;
            log(device + " (" + runId + "): " + io.portaudit.model.L10n.t(lang, "fleet.w.storefailed", oneLine(se.getMessage())));
            throw se;
        } finally {
            if (broken || !stores.offer(store)) store.close();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    /** How long before an unreachable device is tried again (times the attempts so far). */
    static final Duration RETRY_DELAY = Duration.ofSeconds(10);

    private void failInTransaction(Store store, String runId, String id, long version, DeviceOutcome o) {
        boolean ours = store.transaction(io.portaudit.model.L10n.t(lang, "fleet.w.recordfailure", o.name()), c -> {
            if (!FleetQueue.complete(c, id, version)) return false;
            FleetRuns.failed(c, runId, o, clock.instant());
            return true;
        });
        if (ours) {
            recorded.incrementAndGet();
            log(o.name() + " (" + runId + "): " + o.status().label() + " - " + o.reason());
        } else {
            lost.incrementAndGet();
            log(o.name() + " (" + runId + "): " + io.portaudit.model.L10n.t(lang, "fleet.w.lost1"));
        }
    }

    /** The worker that records a run's last device marks the run done. */
    private void finishIfEnded(Store store, FleetRuns runs, String runId) {
        if (!FleetQueue.hasJobs(store, runId) && FleetQueue.ended(runs.devices(runId))
                && runs.run(runId).map(r -> r.state().equals(FleetRuns.RUN_RUNNING)).orElse(false)) {
            runs.finish(runId, FleetRuns.RUN_DONE, clock.instant());
        }
    }

    private Store borrowStore() {
        Store s = stores.poll();
        return s != null ? s : Store.open(location);
    }

    private void closeStores() {
        for (Store s; (s = stores.poll()) != null; ) s.close();
        dataSource.close();
    }

    private synchronized void log(String line) {
        log.println("portaudit: " + io.portaudit.model.L10n.t(lang, "fleet.w.line", options.name(), line));
        log.flush();
    }

    /** Stops the worker: jobs running now are left to be revived by other workers if they do not end within 10 s. */
    @Override
    public void close() {
        stopped = true;
        Scheduler s = scheduler;
        if (s != null) s.stop();
    }

    /** The default worker name: host name and process id, unique among the workers of one machine. */
    public static String defaultName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    static void sleep(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(d.toMillis());
    }
}
