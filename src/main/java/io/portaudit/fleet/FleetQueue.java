package io.portaudit.fleet;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.portaudit.store.Store;
import io.portaudit.store.StoreDataSource;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distributed fleet runs through PostgreSQL with db-scheduler: one one-time task instance per device (task
 * {@value #TASK}, instance {@code RUN/DEVICE}, the device's job as JSON in its data). {@code fleet submit} enqueues
 * them, {@code portaudit worker} ({@link FleetWorker}) claims, heartbeats and completes them, and db-scheduler revives
 * the executions of a worker that stopped heartbeating. This class is the database side of submit, status and
 * cancel; nothing here is a protocol of its own: a job is db-scheduler's row until its result is recorded, and the
 * row is deleted (the job completed) in the transaction that records the result.
 */
public final class FleetQueue {
    /** db-scheduler's task name for a fleet device's audit. */
    public static final String TASK = "portaudit-fleet-device";

    /** Task data is the job's JSON text, stored as UTF-8 (readable with psql). */
    public static final Serializer UTF8 = new Serializer() {
        @Override
        public byte[] serialize(Object data) {
            return data == null ? null : ((String) data).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public <T> T deserialize(Class<T> clazz, byte[] serializedData) {
            return serializedData == null ? null : clazz.cast(new String(serializedData, StandardCharsets.UTF_8));
        }
    };

    private FleetQueue() {}

    /** The task, with the handler a worker runs; a client that only schedules passes a handler that is never called. */
    public static CustomTask<String> task(ExecutionHandler<String> handler, Duration retryAfterFailure) {
        return Tasks.custom(TASK, String.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(retryAfterFailure))
                .onDeadExecutionRevive()
                .execute(handler);
    }

    static final CustomTask<String> CLIENT_TASK = task((inst, ctx) -> {
        throw new IllegalStateException("a submitting client does not execute jobs");
    }, Duration.ofSeconds(30));

    /** Distributed runs need PostgreSQL: a clear error otherwise (exit 2). */
    public static void requirePostgres(StoreLocation loc, String command) {
        if (loc == null) throw new StoreException(io.portaudit.model.L10n.t("fleet.q.needpg", command), 2);
        if (loc.kind() != StoreLocation.Kind.POSTGRESQL) {
            throw new StoreException(io.portaudit.model.L10n.t("fleet.q.notpg", command, loc.display()), 2);
        }
    }

    /** The task instance id of a run's device. */
    public static String instance(String runId, String device) {
        return runId + "/" + device;
    }

    /** A job to enqueue: its device name and its JSON data (see {@link FleetJobs}). */
    public record Job(String device, String data) {}

    /**
     * Enqueues one job per device, in the transaction {@code alsoInTransaction} runs in (the run's own rows), so that a
     * run is submitted whole or not at all.
     */
    public static void enqueue(Store store, String runId, List<Job> jobs, Instant now, Store.Work<Void> alsoInTransaction) {
        store.transaction("cannot submit the run", c -> {
            if (alsoInTransaction != null) alsoInTransaction.run(c);
            SchedulerClient client = SchedulerClient.Builder.create(StoreDataSource.borrowed(c), CLIENT_TASK).serializer(UTF8).build();
            List<TaskInstance<?>> instances = new ArrayList<>();
            for (Job j : jobs) instances.add(CLIENT_TASK.instance(instance(runId, j.device()), j.data()));
            client.scheduleBatch(instances, now);
            return null;
        });
    }

    /** A job's row in db-scheduler's table. */
    public record Row(String device, boolean picked, String pickedBy, Instant lastHeartbeat, int consecutiveFailures, Instant executionTime) {}

    /** The rows of a run's jobs not yet completed, by device. */
    public static Map<String, Row> rows(Store store, String runId) {
        return store.transaction("cannot read the run's jobs", c -> rows(c, runId));
    }

    static Map<String, Row> rows(Connection c, String runId) throws SQLException {
        Map<String, Row> out = new LinkedHashMap<>();
        String prefix = runId + "/";
        try (PreparedStatement ps = c.prepareStatement("SELECT task_instance, picked, picked_by, last_heartbeat, consecutive_failures, execution_time "
                + "FROM scheduled_tasks WHERE task_name = ? AND task_instance LIKE ? ORDER BY task_instance")) {
            ps.setString(1, TASK);
            ps.setString(2, like(prefix) + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String inst = rs.getString(1);
                    if (!inst.startsWith(prefix)) continue;
                    out.put(inst.substring(prefix.length()), new Row(inst.substring(prefix.length()), rs.getBoolean(2), rs.getString(3),
                            instant(rs.getTimestamp(4)), rs.getInt(5), instant(rs.getTimestamp(6))));
                }
            }
        }
        return out;
    }

    /** True while a run has a job left (queued or running); stops at the first row it finds. */
    static boolean hasJobs(Store store, String runId) {
        return store.transaction("cannot read the run's jobs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM scheduled_tasks WHERE task_name = ? AND task_instance LIKE ? LIMIT 1")) {
                ps.setString(1, TASK);
                ps.setString(2, like(runId + "/") + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** How many jobs of any run are left (queued or running). */
    public static int remaining(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ?")) {
            ps.setString(1, TASK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Completes a job inside the caller's transaction: deletes its row if this execution still holds it (same
     * version: db-scheduler increments it whenever the row is picked, so a worker whose lease was revived and taken
     * by another finds nothing). False: the job is not ours any more, record nothing.
     */
    static boolean complete(Connection c, String instance, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND version = ?")) {
            ps.setString(1, TASK);
            ps.setString(2, instance);
            ps.setLong(3, version);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Submits a run: the run and its devices in the run tables ({@link FleetRuns#create}), then one job per device. If
     * the jobs cannot be enqueued the run is marked cancelled and the error propagates.
     */
    public static void submit(Store store, String runId, String source, FleetDefaults defaults, List<FleetDevice> devices, Instant now) {
        FleetRuns runs = new FleetRuns(store);
        runs.create(runId, source, null, defaults, devices, now);
        List<Job> jobs = new ArrayList<>();
        for (FleetDevice d : devices) jobs.add(new Job(d.name(), null));
        try {
            enqueue(store, runId, jobs, now, null);
        } catch (RuntimeException e) {
            try {
                runs.finish(runId, FleetRuns.RUN_CANCELLED, now);
            } catch (RuntimeException ignored) {
                // the first error is the one to tell
            }
            throw e;
        }
    }

    /**
     * One device of a distributed run as {@code fleet status} shows it.
     *
     * @param state     queued, retrying, running, done, failed, or cancelled (no job left and no result)
     * @param worker    who holds it (running) or who recorded it (done, failed)
     * @param heartbeat the running job's last heartbeat, or null
     */
    public record DeviceState(String device, String state, DeviceOutcome.Status status, String reason, String worker, int attempts,
                              Long auditId, Instant heartbeat) {}

    /**
     * A distributed run's state: the run, each device, and whether it ended (no job left, and every device done or failed
     * or the run no longer running).
     */
    public record Status(FleetRuns.Run run, List<DeviceState> devices, boolean ended) {
        public Map<String, Integer> counts() {
            Map<String, Integer> n = new LinkedHashMap<>();
            for (String s : List.of("queued", "retrying", "running", "done", "failed", "cancelled")) n.put(s, 0);
            for (DeviceState d : devices) n.merge(d.state(), 1, Integer::sum);
            return n;
        }

        /** As {@code fleet run}: 0 all passed, 1 some failed the gate, 3 some could not be audited (3 wins); a device without result counts as 3. */
        public int exitCode() {
            List<DeviceOutcome.Status> s = new ArrayList<>();
            for (DeviceState d : devices) s.add(d.status() == null ? DeviceOutcome.Status.ERROR : d.status());
            return DeviceOutcome.exitCode(s);
        }
    }

    public static Status status(Store store, String runRef, Instant now) {
        FleetRuns runs = new FleetRuns(store);
        FleetRuns.Run run = runs.require(runRef);
        Map<String, Row> rows = rows(store, run.id());
        List<DeviceState> out = new ArrayList<>();
        for (FleetRuns.Entry e : runs.devices(run.id())) {
            Row r = rows.get(e.device());
            String state;
            String worker = e.worker();
            Instant hb = null;
            if (e.state().equals(FleetRuns.DONE) || e.state().equals(FleetRuns.FAILED)) {
                state = e.state();
            } else if (r != null && r.picked()) {
                state = "running";
                worker = r.pickedBy();
                hb = r.lastHeartbeat();
            } else if (r != null) {
                state = r.executionTime() != null && r.executionTime().isAfter(now) ? "retrying" : "queued";
            } else {
                // no job: cancelled, or a run of 'fleet run' on one PC (its own state), or a submit that did not finish
                state = run.state().equals(FleetRuns.RUN_CANCELLED) ? "cancelled" : e.state();
            }
            out.add(new DeviceState(e.device(), state, e.status(), e.reason(), worker, e.attempts(), e.auditId(), hb));
        }
        boolean ended = rows.isEmpty() && (ended(runs.devices(run.id())) || !run.state().equals(FleetRuns.RUN_RUNNING));
        return new Status(run, out, ended);
    }

    /**
     * Cancels a run: its jobs that no worker holds are removed and their devices recorded as failed (cancelled before
     * they were audited); devices being audited now finish and are recorded. Returns how many jobs were removed.
     */
    public static int cancel(Store store, String runRef, Instant now) {
        FleetRuns.Run run = new FleetRuns(store).require(runRef);
        return store.transaction("cannot cancel the run", c -> {
            List<String> removed = new ArrayList<>();
            String prefix = run.id() + "/";
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance LIKE ? AND picked = false "
                    + "RETURNING task_instance")) {
                ps.setString(1, TASK);
                ps.setString(2, like(prefix) + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) removed.add(rs.getString(1).substring(prefix.length()));
                }
            }
            for (String d : removed) FleetRuns.failed(c, run.id(), DeviceOutcome.error(d, "cancelled before it was audited", false), now);
            FleetRuns.update(c, "UPDATE fleet_run SET state = ?, updated = ?, finished = ? WHERE id = ?", FleetRuns.RUN_CANCELLED, Store.ts(now),
                    Store.ts(now), run.id());
            return removed.size();
        });
    }

    /** True when every device of a run is done or failed. */
    static boolean ended(List<FleetRuns.Entry> devices) {
        for (FleetRuns.Entry e : devices) if (!e.state().equals(FleetRuns.DONE) && !e.state().equals(FleetRuns.FAILED)) return false;
        return true;
    }

    /** The completion db-scheduler runs after the handler: nothing, the handler's transaction completed the job. */
    static <T> CompletionHandler<T> completedInTransaction() {
        return (done, ops) -> {};
    }

    private static String like(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
