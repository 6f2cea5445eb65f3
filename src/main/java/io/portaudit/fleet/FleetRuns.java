package io.portaudit.fleet;

import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The fleet run tables ({@code fleet_run}, {@code fleet_device}; migration V2): every run, and per run each device's
 * state ({@code queued → running → done | failed}), result status, reason, audit id, attempts and worker. The one class
 * that reads and writes them. A device's result is recorded once per run: {@link #done} runs inside the transaction
 * that stores the audit ({@link Store#record(String, io.portaudit.store.Coverage, io.portaudit.store.DeviceIdentity,
 * Instant, Store.InTransaction)}) and refuses a device already done, which rolls the audit back with it.
 */
public final class FleetRuns {
    public static final String QUEUED = "queued", RUNNING = "running", DONE = "done", FAILED = "failed";
    /** Run states. */
    public static final String RUN_RUNNING = "running", RUN_DONE = "done", RUN_INTERRUPTED = "interrupted", RUN_CANCELLED = "cancelled";

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;

    public FleetRuns(Store store) {
        this.store = store;
    }

    /** One run. */
    public record Run(String id, String created, String source, String state, String shard, FleetDefaults defaults, int devices,
                      String updated, String finished) {}

    /** One device of a run. {@code status} is null until it is done or failed. */
    public record Entry(String runId, String device, int seq, String state, DeviceOutcome.Status status, String reason, Long auditId,
                        int attempts, String worker, String updated, FleetDevice spec) {
        /** The outcome so far (null while queued or running). */
        public DeviceOutcome outcome() {
            return status == null ? null : new DeviceOutcome(device, status, reason, auditId);
        }
    }

    /** The device was already recorded in this run (by another worker, or before a resume): nothing is stored again. */
    public static final class AlreadyRecorded extends RuntimeException {
        public AlreadyRecorded(String runId, String device) {
            super("device '" + device + "' is already recorded in run " + runId);
        }
    }

    /** A new run id: UTC time and 4 random hex digits, e.g. {@code 20261203-140501-3f2a}; sorts by time. */
    public static String newId(Clock clock) {
        byte[] b = new byte[2];
        RANDOM.nextBytes(b);
        return ID.format(clock.instant()) + "-" + HexFormat.of().formatHex(b);
    }

    /** Records a new run and its devices, all queued, in one transaction. */
    public void create(String id, String source, String shard, FleetDefaults defaults, List<FleetDevice> devices, Instant now) {
        String ts = Store.ts(now);
        tx("cannot record the fleet run", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_run (id, created, source, state, shard, defaults, devices, updated) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, ts);
                ps.setString(3, source);
                ps.setString(4, RUN_RUNNING);
                ps.setString(5, shard);
                ps.setString(6, FleetJson.write(defaults));
                ps.setInt(7, devices.size());
                ps.setString(8, ts);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_device (run_id, device, seq, state, attempts, updated, spec) "
                    + "VALUES (?, ?, ?, ?, 0, ?, ?)")) {
                int seq = 0;
                for (FleetDevice d : devices) {
                    ps.setString(1, id);
                    ps.setString(2, d.name());
                    ps.setInt(3, seq++);
                    ps.setString(4, QUEUED);
                    ps.setString(5, ts);
                    ps.setString(6, FleetJson.write(d));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public Optional<Run> run(String id) {
        return runs("SELECT id, created, source, state, shard, defaults, devices, updated, finished FROM fleet_run WHERE id = ?", id)
                .stream().findFirst();
    }

    /** The run named {@code id}, or {@code latest} for the newest; a {@link StoreException} (exit 2) when there is none. */
    public Run require(String id) {
        Optional<Run> r = id.equals("latest")
                ? runs("SELECT id, created, source, state, shard, defaults, devices, updated, finished FROM fleet_run ORDER BY created DESC, id DESC")
                        .stream().findFirst()
                : run(id);
        return r.orElseThrow(() -> new StoreException(io.portaudit.model.L10n.t("fleet.r.norun", id, store.location().display()), 2));
    }

    /** Every run, oldest first. */
    public List<Run> runs() {
        return runs("SELECT id, created, source, state, shard, defaults, devices, updated, finished FROM fleet_run ORDER BY created, id");
    }

    private List<Run> runs(String sql, Object... args) {
        return tx("cannot read the fleet runs", c -> query(c, sql, rs -> new Run(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6) == null ? FleetDefaults.none() : FleetJson.defaults(rs.getString(6)),
                rs.getInt(7), rs.getString(8), rs.getString(9)), args));
    }

    /** The devices of a run, in fleet-file order. */
    public List<Entry> devices(String runId) {
        return tx("cannot read the fleet run", c -> query(c, "SELECT run_id, device, seq, state, status, reason, audit_id, attempts, "
                + "worker, updated, spec FROM fleet_device WHERE run_id = ? ORDER BY seq", FleetRuns::entry, runId));
    }

    public Optional<Entry> device(String runId, String device) {
        return tx("cannot read the fleet run", c -> query(c, "SELECT run_id, device, seq, state, status, reason, audit_id, attempts, "
                + "worker, updated, spec FROM fleet_device WHERE run_id = ? AND device = ?", FleetRuns::entry, runId, device)).stream().findFirst();
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        long audit = rs.getLong(7);
        Long auditId = rs.wasNull() ? null : audit;
        String status = rs.getString(5);
        return new Entry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), status == null ? null : DeviceOutcome.Status.parse(status),
                rs.getString(6), auditId, rs.getInt(8), rs.getString(9), rs.getString(10), FleetJson.device(rs.getString(11)));
    }

    /** Marks a queued device running (one more attempt, by {@code worker}); false when it is not queued. */
    public boolean claim(String runId, String device, String worker, Instant now) {
        return tx("cannot update the fleet run", c -> update(c, "UPDATE fleet_device SET state = ?, attempts = attempts + 1, worker = ?, "
                + "updated = ? WHERE run_id = ? AND device = ? AND state = ?", RUNNING, worker, Store.ts(now), runId, device, QUEUED) == 1);
    }

    /** Puts a running device back in the queue (a retry), saying why the last attempt failed. */
    public void requeue(String runId, String device, String reason, Instant now) {
        tx("cannot update the fleet run", c -> update(c, "UPDATE fleet_device SET state = ?, reason = ?, updated = ? "
                + "WHERE run_id = ? AND device = ? AND state <> ?", QUEUED, reason, Store.ts(now), runId, device, DONE));
    }

    /** A device that could not be audited: failed, with its reason (never dropped). A device already done stays done. */
    public void failed(String runId, DeviceOutcome o, Instant now) {
        tx("cannot update the fleet run", c -> {
            failed(c, runId, o, now);
            return null;
        });
    }

    /** {@link #failed(String, DeviceOutcome, Instant)} on {@code c}, inside the caller's transaction (a worker completing the job). */
    public static void failed(Connection c, String runId, DeviceOutcome o, Instant now) throws SQLException {
        update(c, "UPDATE fleet_device SET state = ?, status = ?, reason = ?, updated = ? WHERE run_id = ? AND device = ? AND state <> ?",
                FAILED, o.status().label(), o.reason(), Store.ts(now), runId, o.name(), DONE);
    }

    /**
     * Marks a device done with its recorded audit, on {@code c} inside the transaction that recorded the audit. Throws
     * {@link AlreadyRecorded} when the device is already done in this run (or not in it), which rolls the audit back.
     */
    public static void done(Connection c, String runId, DeviceOutcome o, long auditId, Instant now) throws SQLException {
        int n = update(c, "UPDATE fleet_device SET state = ?, status = ?, reason = ?, audit_id = ?, updated = ? "
                + "WHERE run_id = ? AND device = ? AND state <> ?", DONE, o.status().label(), o.reason(), auditId, Store.ts(now), runId, o.name(), DONE);
        if (n != 1) throw new AlreadyRecorded(runId, o.name());
    }

    /** For {@code --resume}: devices failed or left running (a stopped run) are queued again; done ones are kept. Returns how many. */
    public int resume(String runId, Instant now) {
        return tx("cannot resume the fleet run", c -> {
            int n = update(c, "UPDATE fleet_device SET state = ?, status = NULL, updated = ? WHERE run_id = ? AND state IN (?, ?)",
                    QUEUED, Store.ts(now), runId, FAILED, RUNNING);
            update(c, "UPDATE fleet_run SET state = ?, updated = ?, finished = NULL WHERE id = ?", RUN_RUNNING, Store.ts(now), runId);
            return n;
        });
    }

    /** Ends a run: done, interrupted (Ctrl-C; resumable) or cancelled. */
    public void finish(String runId, String state, Instant now) {
        tx("cannot update the fleet run", c -> update(c, "UPDATE fleet_run SET state = ?, updated = ?, finished = ? WHERE id = ?",
                state, Store.ts(now), Store.ts(now), runId));
    }

    /** What {@link #merge} did. */
    public record Merged(int runs, int devices, int kept) {}

    /**
     * Merges the runs of another store (a shard's SQLite file) into this one, after its audits were imported:
     * {@code auditIds} maps the other store's audit ids to this store's. A run new here is copied; a run already here
     * (shards given the same {@code --run-id}) gains the devices it lacks, and a device here that is not done takes the
     * other's row when that one is done. Nothing is recorded twice: importing the same file again changes nothing.
     */
    public Merged merge(FleetRuns from, java.util.Map<Long, Long> auditIds, Instant now) {
        int runsAdded = 0, devicesAdded = 0, kept = 0;
        for (Run r : from.runs()) {
            List<Entry> theirs = from.devices(r.id());
            int[] counts = tx(io.portaudit.model.L10n.t("fleet.r.merge", r.id()), c -> {
                int added = 0, same = 0, newRun = 0;
                List<Run> mine = query(c, "SELECT id, created, source, state, shard, defaults, devices, updated, finished FROM fleet_run WHERE id = ?",
                        rs -> new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), null, rs.getInt(7),
                                rs.getString(8), rs.getString(9)), r.id());
                if (mine.isEmpty()) {
                    update(c, "INSERT INTO fleet_run (id, created, source, state, shard, defaults, devices, updated, finished) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.created(), r.source(), r.state(), r.shard(), FleetJson.write(r.defaults()),
                            0, r.updated(), r.finished());
                    newRun = 1;
                } else {
                    Run m = mine.get(0);
                    String shard = m.shard() == null || r.shard() == null || m.shard().equals(r.shard()) ? m.shard()
                            : java.util.Arrays.asList(m.shard().split(",")).contains(r.shard()) ? m.shard() : m.shard() + "," + r.shard();
                    // the merged run is done only when every part was
                    String state = m.state().equals(RUN_DONE) && !r.state().equals(RUN_DONE) ? r.state() : m.state();
                    update(c, "UPDATE fleet_run SET shard = ?, state = ?, updated = ? WHERE id = ?", shard, state, Store.ts(now), r.id());
                }
                int seq = query(c, "SELECT COALESCE(MAX(seq), -1) FROM fleet_device WHERE run_id = ?", rs -> rs.getInt(1), r.id()).get(0) + 1;
                for (Entry e : theirs) {
                    Long audit = e.auditId() == null ? null : auditIds.get(e.auditId());
                    if (e.auditId() != null && audit == null) {
                        throw new StoreException("fleet run " + r.id() + ", device " + e.device() + ": its audit " + e.auditId()
                                + " was not imported", 3);
                    }
                    List<String> here = query(c, "SELECT state FROM fleet_device WHERE run_id = ? AND device = ?", rs -> rs.getString(1), r.id(),
                            e.device());
                    if (here.isEmpty()) {
                        update(c, "INSERT INTO fleet_device (run_id, device, seq, state, status, reason, audit_id, attempts, worker, updated, spec) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), e.device(), seq++, e.state(),
                                e.status() == null ? null : e.status().label(), e.reason(), audit, e.attempts(), e.worker(), e.updated(),
                                FleetJson.write(e.spec()));
                        added++;
                    } else if (!here.get(0).equals(DONE) && e.state().equals(DONE)) {
                        update(c, "UPDATE fleet_device SET state = ?, status = ?, reason = ?, audit_id = ?, attempts = ?, worker = ?, updated = ? "
                                + "WHERE run_id = ? AND device = ?", e.state(), e.status().label(), e.reason(), audit, e.attempts(), e.worker(),
                                e.updated(), r.id(), e.device());
                        added++;
                    } else {
                        same++;
                    }
                }
                update(c, "UPDATE fleet_run SET devices = (SELECT COUNT(*) FROM fleet_device WHERE run_id = ?) WHERE id = ?", r.id(), r.id());
                return new int[] {newRun, added, same};
            });
            runsAdded += counts[0];
            devicesAdded += counts[1];
            kept += counts[2];
        }
        return new Merged(runsAdded, devicesAdded, kept);
    }

    // ---------------------------------------------------------------- plumbing

    /** One transaction on the store's connection; callers on several threads share one store, so one at a time. */
    private <T> T tx(String what, Store.Work<T> work) {
        synchronized (store) {
            return store.transaction(what, work);
        }
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(m.map(rs));
                return out;
            }
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) ps.setLong(i + 1, l);
            else if (args[i] instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, args[i] == null ? null : args[i].toString());
        }
    }
}
