package io.portaudit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The history store over plain JDBC: SQLite (WAL, busy timeout, one IMMEDIATE transaction per audit) or
 * PostgreSQL, with one set of Flyway migrations ({@code db/migration}). Every audit is written in one
 * transaction: a crash mid-write leaves the audits before it and no half audit; a result already stored
 * (same content hash) is not stored again.
 */
public final class Store implements AutoCloseable {
    /** The schema version this program writes (the highest migration). */
    public static final int SCHEMA = 6;
    /** How long a writer waits for another writer's transaction on SQLite. */
    public static final int BUSY_TIMEOUT_MS = 15_000;

    /** Made on first use: diff and history read the store without building an ObjectMapper (tens of ms of a short run). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StoreLocation location;
    private final Connection db;
    private final boolean created;
    /** SQLite: how long one BEGIN IMMEDIATE waits for another writer (the busy timeout in force), ms. */
    private final long busyTimeoutMs;
    /** SQLite: a transaction {@link #writeOnce} began is open. */
    private boolean sqliteWriting;

    private Store(StoreLocation location, Connection db, boolean created, long busyTimeoutMs) {
        this.location = location;
        this.db = db;
        this.created = created;
        this.busyTimeoutMs = busyTimeoutMs;
    }

    /** Opens (and on first use creates) the store, bringing its schema up to date; refuses a newer schema. */
    public static Store open(StoreLocation loc) {
        boolean created = false;
        long busyTimeout = BUSY_TIMEOUT_MS;
        Connection c;
        try {
            if (loc.kind() == StoreLocation.Kind.SQLITE) {
                Path f = loc.file();
                if (Files.isDirectory(f)) throw new StoreException(io.portaudit.model.L10n.t("store.isdir", f), 2);
                created = !Files.exists(f);
                try {
                    if (f.getParent() != null) Files.createDirectories(f.getParent());
                } catch (IOException e) {
                    throw new StoreException(io.portaudit.model.L10n.t("store.nodir", f, e.getMessage()), 2);
                }
                if (!created && Files.size(f) > 0) {
                    byte[] head = new byte[16];
                    try (var in = Files.newInputStream(f)) {
                        int n = in.readNBytes(head, 0, 16);
                        if (n < 16 || !new String(head, 0, 15, StandardCharsets.ISO_8859_1).equals("SQLite format 3")) {
                            throw new StoreException(io.portaudit.model.L10n.t("store.notsqlite", f), 2);
                        }
                    }
                }
                SqliteNative.prepare();
                Properties props = sqliteProperties();
                // pragmas given in a jdbc:sqlite: URL win over the defaults
                String q = loc.jdbcUrl().contains("?") ? loc.jdbcUrl().substring(loc.jdbcUrl().indexOf('?') + 1) : "";
                for (String kv : q.split("&")) if (kv.contains("=")) props.setProperty(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                try {
                    busyTimeout = Math.max(0, Long.parseLong(props.getProperty("busy_timeout").strip()));
                } catch (NumberFormatException e) {
                    throw new StoreException(io.portaudit.model.L10n.t("store.busytimeout", loc.display(), props.getProperty("busy_timeout")), 2);
                }
                // the driver itself, not DriverManager: its first use loads and initializes every driver in the jar (PostgreSQL's too)
                c = org.sqlite.JDBC.createConnection(loc.jdbcUrl(), props);
            } else {
                c = DriverManager.getConnection(loc.jdbcUrl(), loc.properties());
            }
        } catch (SQLException e) {
            throw new StoreException(io.portaudit.model.L10n.t("store.cannotopen", loc.display(), oneLine(e)), 2, e);
        } catch (IOException e) {
            throw new StoreException(io.portaudit.model.L10n.t("store.cannotopen", loc.display(), e.getMessage()), 2, e);
        }
        Store s = new Store(loc, c, created, busyTimeout);
        try {
            s.ensureSchema(false);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    static Properties sqliteProperties() {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MS));
        p.setProperty("transaction_mode", "IMMEDIATE");
        // WAL + NORMAL: a committed audit survives a killed process; only a power cut may lose the last commits
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("foreign_keys", "true");
        return p;
    }

    public StoreLocation location() {
        return location;
    }

    /** True when this open created the SQLite file. */
    public boolean created() {
        return created;
    }

    /** The schema version recorded in the database, 0 when none. */
    public int schemaVersion() {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success = " + (pg() ? "true" : "1")
                     + " AND version IS NOT NULL")) {
            int max = 0;
            while (rs.next()) {
                try {
                    max = Math.max(max, Integer.parseInt(rs.getString(1).split("\\.")[0]));
                } catch (NumberFormatException e) {
                    throw new StoreException(io.portaudit.model.L10n.t("store.badversion", location.display(), rs.getString(1)), 2);
                }
            }
            return max;
        } catch (SQLException e) {
            rollbackQuietly();
            return 0;   // no history table yet
        }
    }

    /** Applies pending migrations; {@code force}: run Flyway even when the version is current (validates checksums). */
    public int ensureSchema(boolean force) {
        int v = schemaVersion();
        if (v > SCHEMA) {
            throw new StoreException(io.portaudit.model.L10n.t("store.newer", location.display(), v, SCHEMA), 2);
        }
        if (v == SCHEMA && !force) return 0;
        try {
            var flyway = org.flywaydb.core.Flyway.configure(Store.class.getClassLoader())
                    .dataSource(location.jdbcUrl(), location.properties().getProperty("user"), location.properties().getProperty("password"))
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("id_pk", pg() ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"))
                    .load();
            return flyway.migrate().migrationsExecuted;
        } catch (org.flywaydb.core.api.FlywayException e) {
            // another process may have migrated at the same moment
            if (schemaVersion() == SCHEMA) return 0;
            throw new StoreException(io.portaudit.model.L10n.t("store.migrate", location.display(), oneLine(e)), 3, e);
        }
    }

    private boolean pg() {
        return location.kind() == StoreLocation.Kind.POSTGRESQL;
    }

    // ---------------------------------------------------------------- recording

    /** What {@link #record} did: the audit's id, and false when the same result was already stored. */
    public record Recorded(long auditId, long deviceId, String deviceKey, boolean stored) {}

    /** Records one audit result (its JSON document) in one transaction. */
    public Recorded record(String document, Coverage coverage, DeviceIdentity identity, Instant now) {
        return record(document, coverage, identity, now, null);
    }

    /**
     * Work done in the transaction that records an audit, after the audit's rows and before the commit (a fleet run marks
     * its device done there, so that a device's result is recorded once per run). Throwing rolls the audit back too.
     */
    @FunctionalInterface
    public interface InTransaction {
        void run(Connection c, Recorded recorded) throws SQLException;
    }

    /**
     * {@link #record(String, Coverage, DeviceIdentity, Instant, InTransaction)}, with the raw captures the audit was made from
     * ({@link Captures#of}) recorded in the same transaction when the result is new.
     */
    public Recorded record(String document, Coverage coverage, DeviceIdentity identity, Instant now, List<Captures.In> captures,
                           InTransaction also) {
        return record(Document.of(document), coverage, identity, now, captures, also);
    }

    /** {@link #record(String, Coverage, DeviceIdentity, Instant, List, InTransaction)} of a document written as a stream. */
    public Recorded record(Document document, Coverage coverage, DeviceIdentity identity, Instant now, List<Captures.In> captures,
                           InTransaction also) {
        if (captures == null || captures.isEmpty()) return record(document, coverage, identity, now, also);
        return record(document, coverage, identity, now, (c, r) -> {
            if (r.stored()) Captures.write(c, r.auditId(), captures);
            if (also != null) also.run(c, r);
        });
    }

    /** {@link #record(String, Coverage, DeviceIdentity, Instant)}, with {@code also} in the same transaction (null: nothing). */
    public Recorded record(String document, Coverage coverage, DeviceIdentity identity, Instant now, InTransaction also) {
        return record(Document.of(document), coverage, identity, now, also);
    }

    /**
     * A result document as the store keeps it: its SHA-256 (the content hash: the same result is stored once) and its
     * gzip, made as the document is written, so that neither the document's text nor its UTF-8 bytes are held whole (a
     * 200k-rule audit's document is 27 MB of text, 55 MB as a Java string with its non-Latin-1 marks).
     */
    public static final class Document {
        // (stored since V5 as gzip at the fastest level: bench/store's 1,000-port audit, ~540 KB of JSON, is ~10 KB)
        private final String hash;
        private final byte[] gz;
        /** The text, when the document was given as one (read from it directly); else null. */
        private final String text;

        private Document(String hash, byte[] gz, String text) {
            this.hash = hash;
            this.gz = gz;
            this.text = text;
        }

        /** What writes a document into a writer (e.g. {@code w -> AuditJson.write(result, w)}). */
        @FunctionalInterface
        public interface Body {
            void write(Writer w) throws IOException;
        }

        /** The document {@code body} writes, hashed and gzipped as it is written. */
        public static Document write(Body body) {
            return write(body, null);
        }

        public static Document of(String text) {
            return write(w -> w.write(text), text);
        }

        private static Document write(Body body, String text) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text == null ? 1 << 20 : Math.max(512, text.length() / 16));
            try {
                var gz = new java.util.zip.GZIPOutputStream(out, 65536) {
                    {
                        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                    }
                };
                java.io.OutputStream both = new java.io.OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        sha.update(b, off, len);
                        gz.write(b, off, len);
                    }
                };
                // UTF-8 as String.getBytes writes it (an unpaired surrogate becomes '?', as there)
                Writer w = new java.io.OutputStreamWriter(new java.io.BufferedOutputStream(both, 65536), StandardCharsets.UTF_8);
                body.write(w);
                w.flush();
                gz.finish();
                gz.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Document(HexFormat.of().formatHex(sha.digest()), out.toByteArray(), text);
        }

        /** The SHA-256 of the document's UTF-8 bytes, in hex. */
        public String hash() {
            return hash;
        }

        /** The document gzipped, as the column {@code document_gz} holds it. */
        public byte[] gzip() {
            return gz.clone();
        }

        /** The document's text (unzipped when it was written as a stream). */
        public String text() {
            if (text != null) return text;
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz), 65536)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Facts.Read read(Coverage coverage) {
            try (com.fasterxml.jackson.core.JsonParser p = text != null ? Json.MAPPER.createParser(text)
                    : Json.MAPPER.createParser(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz), 65536))) {
                return Facts.read(p, coverage);
            } catch (IOException e) {
                throw new StoreException(io.portaudit.model.L10n.t("store.notjson", e.getMessage()), 2);
            }
        }
    }

    /** {@link #record(String, Coverage, DeviceIdentity, Instant, InTransaction)} of a document written as a stream. */
    public Recorded record(Document document, Coverage coverage, DeviceIdentity identity, Instant now, InTransaction also) {
        // the facts are read from the document as a stream (no tree of the whole document)
        Facts.Read parsed = document.read(coverage);
        Facts facts = parsed.facts();
        String hash = document.hash();
        // a concurrent writer may store the same result or create the same device first: look again (a writer can lose
        // both races, the device's and then the result's, so more than one retry)
        return writeTransaction("cannot record the audit", c -> recordOnce(parsed, document, facts, hash, identity, now, also), 4);
    }

    private Recorded recordOnce(Facts.Read parsed, Document document, Facts facts, String hash, DeviceIdentity id, Instant now, InTransaction also)
            throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT a.id, a.device_id, d.device_key FROM audits a JOIN devices d ON d.id = a.device_id WHERE a.content_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Recorded r = new Recorded(rs.getLong(1), rs.getLong(2), rs.getString(3), false);
                    if (also != null) also.run(db, r);
                    return r;
                }
            }
        }
        String key = id.key() != null ? id.key() : "content:" + hash.substring(0, 16);
        String nowTs = ts(now);
        String collected = collectedAt(facts.collectedAt(), now);
        long deviceId = upsertDevice(id, key, collected);
        long auditId;
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO audits (device_id, content_hash, recorded_at, collected_at, source, host, model, "
                + "firmware, addresses, result, exit_code, findings, failing, exposed, schema_version, coverage, document, document_gz) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            ps.setLong(i++, deviceId);
            ps.setString(i++, hash);
            ps.setString(i++, nowTs);
            ps.setString(i++, collected);
            ps.setString(i++, facts.source());
            ps.setString(i++, facts.host());
            ps.setString(i++, id.model());
            ps.setString(i++, id.firmware());
            ps.setString(i++, id.addresses().isEmpty() ? null : String.join(" ", id.addresses()));
            ps.setString(i++, facts.result());
            ps.setInt(i++, facts.exitCode());
            // the findings as the report shows them: merged per port and problem (audit.Merge), not their reasons
            ps.setInt(i++, parsed.findings());
            ps.setInt(i++, parsed.failing());
            ps.setInt(i++, (int) facts.exposedCount());
            ps.setInt(i++, parsed.schemaVersion());
            ps.setString(i++, facts.coverage().toJson());
            ps.setString(i++, "");
            ps.setBytes(i++, document.gz);
            ps.executeUpdate();
            auditId = generatedKey(ps);
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO ports (audit_id, device_id, protocol, family, port, bind_address, scope, "
                + "firewall, program, exe, scan_state, service, product, version, exposed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Facts.Row r : facts.rows()) {
                int i = 1;
                ps.setLong(i++, auditId);
                ps.setLong(i++, deviceId);
                ps.setString(i++, r.protocol().label());
                ps.setString(i++, r.family().label());
                ps.setInt(i++, r.port());
                ps.setString(i++, r.bindAddress());
                ps.setString(i++, r.scope());
                ps.setString(i++, r.firewall());
                ps.setString(i++, r.program());
                ps.setString(i++, r.exe());
                ps.setString(i++, r.scanState());
                ps.setString(i++, r.service());
                ps.setString(i++, r.product());
                ps.setString(i++, r.version());
                ps.setInt(i++, r.exposed() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO findings (audit_id, finding_id, severity, status, protocol, family, "
                + "port_from, port_to, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Facts.FindingRow f : facts.findings()) {
                int i = 1;
                ps.setLong(i++, auditId);
                ps.setString(i++, f.id());
                ps.setString(i++, f.severity());
                ps.setString(i++, f.status());
                ps.setString(i++, f.protocol() == null ? null : f.protocol().label());
                ps.setString(i++, f.family() == null ? null : f.family().label());
                if (f.portFrom() == null) ps.setNull(i++, java.sql.Types.INTEGER); else ps.setInt(i++, f.portFrom());
                if (f.portTo() == null) ps.setNull(i++, java.sql.Types.INTEGER); else ps.setInt(i++, f.portTo());
                ps.setString(i++, f.title());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Recorded r = new Recorded(auditId, deviceId, key, true);
        if (also != null) also.run(db, r);
        return r;
    }

    /** Binds name, serial, machine-id, MAC, model, firmware, hostname and addresses from {@code at}; returns the next index. */
    private static int bindDevice(PreparedStatement ps, int at, DeviceIdentity id) throws SQLException {
        int i = at;
        ps.setString(i++, id.name());
        ps.setString(i++, id.serial());
        ps.setString(i++, id.machineId());
        ps.setString(i++, id.mac());
        ps.setString(i++, id.model());
        ps.setString(i++, id.firmware());
        ps.setString(i++, id.hostname());
        ps.setString(i++, id.addresses().isEmpty() ? null : String.join(" ", id.addresses()));
        return i;
    }

    /** The stored device {@code id} (keyed {@code key}) is, as {@link #record} finds it; null when none. */
    private Long lookupDevice(DeviceIdentity id, String key) throws SQLException {
        Long found = null;
        String[][] lookups = {{"serial", id.serial()}, {"machine_id", id.machineId()}, {"mac", id.mac()}, {"device_key", key}};
        for (String[] l : lookups) {
            if (l[1] == null || found != null) continue;
            // a device found by serial is never matched by machine-id alone: a reflash may give it a new one
            found = longOrNull("SELECT id FROM devices WHERE " + l[0] + " = ? ORDER BY id", l[1]);
        }
        if (found == null && !id.hardware() && id.name() != null) found = longOrNull("SELECT id FROM devices WHERE name = ?", id.name());
        // a device known by its name alone (pasted outputs, a scan-only fleet entry) whose hardware is now collected
        if (found == null && id.hardware() && id.name() != null) {
            found = longOrNull("SELECT id FROM devices WHERE name = ? AND serial IS NULL AND machine_id IS NULL AND mac IS NULL", id.name());
        }
        return found;
    }

    /**
     * The latest stored audit of the device {@code id} identifies (found as {@link #record} would find it), or null when
     * the store does not know the device or holds no audit of it: the audit {@code audit --diff-previous} compares with.
     */
    public Long latestAuditOf(DeviceIdentity id) {
        try {
            if (id.key() == null) return null;
            Long device = lookupDevice(id, id.key());
            if (device == null) return null;
            List<Long> latest = query("SELECT id FROM audits WHERE device_id = ? ORDER BY collected_at DESC, id DESC LIMIT 1",
                    rs -> rs.getLong(1), device);
            return latest.isEmpty() ? null : latest.get(0);
        } catch (SQLException e) {
            throw failure("cannot read the device's audits", e);
        }
    }

    private long upsertDevice(DeviceIdentity id, String key, String seen) throws SQLException {
        Long found = lookupDevice(id, key);
        if (found == null) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO devices (device_key, name, serial, machine_id, mac, model, firmware, hostname, "
                    + "addresses, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, key);
                int i = bindDevice(ps, 2, id);
                ps.setString(i++, seen);
                ps.setString(i++, seen);
                ps.executeUpdate();
                return generatedKey(ps);
            }
        }
        try (PreparedStatement ps = db.prepareStatement("UPDATE devices SET name = COALESCE(?, name), serial = COALESCE(serial, ?), "
                + "machine_id = COALESCE(?, machine_id), mac = COALESCE(?, mac), model = COALESCE(?, model), firmware = COALESCE(?, firmware), "
                + "hostname = COALESCE(?, hostname), addresses = COALESCE(?, addresses), "
                + "first_seen = CASE WHEN first_seen > ? THEN ? ELSE first_seen END, "
                + "last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END WHERE id = ?")) {
            int i = bindDevice(ps, 1, id);
            ps.setString(i++, seen);
            ps.setString(i++, seen);
            ps.setString(i++, seen);
            ps.setString(i++, seen);
            ps.setLong(i++, found);
            ps.executeUpdate();
        }
        return found;
    }

    private long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getGeneratedKeys()) {
            if (!rs.next()) throw new SQLException("no generated key");
            return rs.getLong(1);
        }
    }

    private Long longOrNull(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) ps.setLong(i + 1, l);
            else if (args[i] instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, args[i] == null ? null : args[i].toString());
        }
    }

    /**
     * The stored device the hardware of {@code id} (serial, else machine-id, else MAC) names, if any: a fleet records an
     * audit under its entry's name unless the hardware says it is a device already known.
     */
    public java.util.Optional<Device> knownByHardware(DeviceIdentity id) {
        String[][] lookups = {{"serial", id.serial()}, {"machine_id", id.machineId()}, {"mac", id.mac()}};
        for (String[] l : lookups) {
            if (l[1] == null) continue;
            List<Device> d = query("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE " + l[0] + " = ? ORDER BY id", Store::device, l[1]);
            if (!d.isEmpty()) return java.util.Optional.of(d.get(0));
        }
        return java.util.Optional.empty();
    }

    /** Work on the store's own connection in one transaction (tables of other packages: fleet runs). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on this store's connection: committed when it returns, rolled back when it
     * throws. A {@link SQLException} becomes a {@link StoreException} saying {@code what} failed.
     */
    public <T> T transaction(String what, Work<T> work) {
        return writeTransaction(what, work, 0);
    }

    /** The device called {@code name} (its name only, not its key or hardware), if any. */
    public java.util.Optional<Device> deviceNamed(String name) {
        return query("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE name = ?", Store::device, name).stream().findFirst();
    }

    /** True on PostgreSQL, false on SQLite. */
    public boolean postgres() {
        return pg();
    }

    // ---------------------------------------------------------------- reading

    /** One stored device. */
    public record Device(long id, String key, String name, String serial, String machineId, String mac, String model, String firmware,
                         String hostname, String addresses, String firstSeen, String lastSeen) {
        public String label() {
            return name != null ? name : hostname != null ? hostname + " (" + key + ")" : key;
        }
    }

    /** One stored audit, without its rows. */
    public record AuditInfo(long id, long deviceId, String collectedAt, String recordedAt, String source, String host, String firmware,
                            String result, int exitCode, int findings, int failing, int exposed, Coverage coverage) {}

    private static final String DEVICE_COLUMNS = "id, device_key, name, serial, machine_id, mac, model, firmware, hostname, addresses, first_seen, last_seen";
    private static final String AUDIT_COLUMNS = "id, device_id, collected_at, recorded_at, source, host, firmware, result, exit_code, findings, "
            + "failing, exposed, coverage";

    public List<Device> devices() {
        return query("SELECT " + DEVICE_COLUMNS + " FROM devices ORDER BY id", Store::device);
    }

    public Device device(long id) {
        List<Device> d = query("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE id = ?", Store::device, id);
        if (d.isEmpty()) throw new StoreException(io.portaudit.model.L10n.t("store.nodeviceid", id), 2);
        return d.get(0);
    }

    /** A device named by its name, key, serial, machine-id, MAC or hostname. */
    public Device device(String ref) {
        for (String col : List.of("name", "device_key", "serial", "machine_id", "mac", "hostname")) {
            List<Device> d = query("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE " + col + " = ? ORDER BY id", Store::device, ref);
            if (d.size() == 1) return d.get(0);
            if (d.size() > 1) {
                throw new StoreException(io.portaudit.model.L10n.t("store.ambiguous", ref, d.stream().map(Device::key).toList()), 2);
            }
        }
        throw new StoreException(io.portaudit.model.L10n.t("store.nodevice", ref, location.display()), 2);
    }

    public List<AuditInfo> audits(long deviceId) {
        return query("SELECT " + AUDIT_COLUMNS + " FROM audits WHERE device_id = ? ORDER BY collected_at, id", Store::audit, deviceId);
    }

    public AuditInfo audit(long id) {
        List<AuditInfo> a = query("SELECT " + AUDIT_COLUMNS + " FROM audits WHERE id = ?", Store::audit, id);
        if (a.isEmpty()) throw new StoreException(io.portaudit.model.L10n.t("store.noauditat", id, location.display()), 2);
        return a.get(0);
    }

    /**
     * An audit reference: an id, {@code DEVICE@latest}, {@code DEVICE@-1} (the one before the latest), {@code DEVICE@-N},
     * {@code DEVICE@YYYY-MM-DD} (the last audit of that day or before), or {@code DEVICE} alone (its latest).
     */
    public long resolve(String ref) {
        if (ref.matches("[0-9]{1,18}")) return audit(Long.parseLong(ref)).id();
        int at = ref.lastIndexOf('@');
        String dev = at < 0 ? ref : ref.substring(0, at);
        String which = at < 0 ? "latest" : ref.substring(at + 1);
        Device d = device(dev);
        // one indexed row (audits_device_time), not the device's whole list: a device may have thousands of audits
        String newest = "SELECT id FROM audits WHERE device_id = ? ";
        String order = " ORDER BY collected_at DESC, id DESC LIMIT 1 OFFSET ?";
        boolean back = which.equals("latest") || which.matches("-[0-9]{1,9}");
        if (back) {
            int n = which.equals("latest") ? 0 : Integer.parseInt(which.substring(1));
            List<Long> id = query(newest + order, rs -> rs.getLong(1), d.id(), n);
            if (!id.isEmpty()) return id.get(0);
            long count = query("SELECT COUNT(*) FROM audits WHERE device_id = ?", rs -> rs.getLong(1), d.id()).get(0);
            if (count == 0) throw new StoreException(io.portaudit.model.L10n.t("store.noaudits", dev), 2);
            throw new StoreException(io.portaudit.model.L10n.t("store.onlyaudits", ref, dev, count), 2);
        }
        try {
            String end = ts(LocalDate.parse(which).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            List<Long> id = query(newest + "AND collected_at < ?" + order, rs -> rs.getLong(1), d.id(), end, 0);
            if (id.isEmpty()) {
                if (query("SELECT id FROM audits WHERE device_id = ? LIMIT 1", rs -> rs.getLong(1), d.id()).isEmpty()) {
                    throw new StoreException(io.portaudit.model.L10n.t("store.noaudits", dev), 2);
                }
                throw new StoreException(io.portaudit.model.L10n.t("store.nobefore", ref, dev, which), 2);
            }
            return id.get(0);
        } catch (DateTimeParseException e) {
            throw new StoreException(io.portaudit.model.L10n.t("store.badref", ref), 2);
        }
    }

    public String document(long auditId) {
        // document_gz since migration V5; an audit recorded before it keeps its text in document
        List<String> d = query("SELECT document_gz, document FROM audits WHERE id = ?", rs -> {
            byte[] gz = rs.getBytes(1);
            return gz != null ? gunzip(gz, auditId) : rs.getString(2);
        }, auditId);
        if (d.isEmpty()) throw new StoreException(io.portaudit.model.L10n.t("store.noaudit", auditId), 2);
        return d.get(0);
    }

    /** The raw captures recorded with an audit (names, kinds, sizes; no texts), in the snapshot's order. */
    public List<Captures.Stored> captures(long auditId) {
        try {
            return Captures.list(db, auditId);
        } catch (SQLException e) {
            throw failure("cannot read the audit's captures", e);
        }
    }

    /** One raw capture's bytes as kept; empty when the audit has no such capture or it was over the cap. */
    public java.util.Optional<Captures.Bytes> captureBytes(long auditId, String name) {
        try {
            return Captures.bytes(db, auditId, name);
        } catch (SQLException e) {
            throw failure("cannot read the capture", e);
        }
    }

    /**
     * The text of one raw capture of an audit as the audit read it ({@link Captures#text(Captures.Bytes, String)}); empty
     * when the audit has no such capture or it was over the cap.
     */
    public java.util.Optional<String> captureText(long auditId, String name) {
        try {
            return Captures.text(db, auditId, name);
        } catch (SQLException e) {
            throw failure("cannot read the capture", e);
        }
    }

    private String gunzip(byte[] gz, long auditId) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz), 65536)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException(io.portaudit.model.L10n.t("store.damaged", location.display(), auditId, e.getMessage()), 3, e);
        }
    }

    /** The audit's normalized facts, from the store's rows. */
    public Facts facts(long auditId) {
        AuditInfo a = audit(auditId);
        List<Facts.Row> rows = query("SELECT protocol, family, port, bind_address, scope, firewall, program, exe, scan_state, service, product, "
                + "version, exposed FROM ports WHERE audit_id = ?", rs -> new Facts.Row(Protocol.parse(rs.getString(1)), Facts.family(rs.getString(2)),
                rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getInt(13) != 0), auditId);
        List<Facts.FindingRow> findings = query("SELECT finding_id, severity, status, protocol, family, port_from, port_to, title FROM findings "
                + "WHERE audit_id = ?", rs -> new Facts.FindingRow(rs.getString(1), rs.getString(2), rs.getString(3), Protocol.parse(rs.getString(4)),
                Facts.family(rs.getString(5)), rs.getObject(6) == null ? null : rs.getInt(6),
                rs.getObject(7) == null ? null : rs.getInt(7), rs.getString(8)), auditId);
        return new Facts(a.host(), a.source(), a.collectedAt(), a.result(), a.exitCode(), a.coverage(), rows, findings);
    }

    /** Exposed (protocol, family, port) per audit of a device; {@code protocol}/{@code port} null for all. */
    public Map<Long, List<String>> exposedKeys(long deviceId, Protocol protocol, Integer port) {
        Map<Long, List<String>> out = new java.util.HashMap<>();
        String sql = "SELECT audit_id, protocol, family, port FROM ports WHERE device_id = ? AND exposed = 1"
                + (protocol != null ? " AND protocol = ? AND port = ?" : "");
        Object[] args = protocol != null ? new Object[] {deviceId, protocol.label(), port} : new Object[] {deviceId};
        query(sql, rs -> {
            out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2) + "/" + rs.getInt(4) + "/" + rs.getString(3));
            return null;
        }, args);
        return out;
    }

    /** Devices on which (protocol, port) was exposed in any audit (the rows of index ports_exposed). */
    public List<Long> devicesWithPort(Protocol protocol, int port) {
        return query("SELECT DISTINCT device_id FROM ports WHERE exposed = 1 AND protocol = ? AND port = ? ORDER BY device_id", rs -> rs.getLong(1),
                protocol.label(), port);
    }

    // ---------------------------------------------------------------- reading for the dashboard (portaudit serve)

    /** One audit in brief, for fleet-wide views: no coverage, no rows. */
    public record AuditBrief(long id, long deviceId, String collectedAt, String firmware, String result, int findings, int failing,
                             int exposed) {}

    /** Every audit in brief, by device and time. */
    public List<AuditBrief> auditBriefs() {
        return query("SELECT id, device_id, collected_at, firmware, result, findings, failing, exposed FROM audits ORDER BY device_id, collected_at, id",
                rs -> new AuditBrief(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                        rs.getInt(7), rs.getInt(8)));
    }

    /** An exposed port row of an audit: what the fleet and port pages show. */
    public record ExposedRow(long auditId, long deviceId, String protocol, String family, int port, String program, String service) {}

    /** The exposed rows of the given audits. */
    public List<ExposedRow> exposedRows(List<Long> auditIds) {
        List<ExposedRow> out = new ArrayList<>();
        for (List<Long> part : chunks(auditIds)) {
            out.addAll(query("SELECT audit_id, device_id, protocol, family, port, program, service FROM ports WHERE exposed = 1 AND audit_id IN ("
                    + marks(part.size()) + ") ORDER BY audit_id, protocol, port, family", rs -> new ExposedRow(rs.getLong(1), rs.getLong(2),
                    rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7)), part.toArray()));
        }
        return out;
    }

    /** The findings of the given audits, by audit id. */
    public Map<Long, List<Facts.FindingRow>> findingRows(List<Long> auditIds) {
        Map<Long, List<Facts.FindingRow>> out = new java.util.HashMap<>();
        for (List<Long> part : chunks(auditIds)) {
            query("SELECT audit_id, finding_id, severity, status, protocol, family, port_from, port_to, title FROM findings WHERE audit_id IN ("
                    + marks(part.size()) + ")", rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Facts.FindingRow(
                    rs.getString(2), rs.getString(3), rs.getString(4), Protocol.parse(rs.getString(5)), Facts.family(rs.getString(6)),
                    rs.getObject(7) == null ? null : rs.getInt(7), rs.getObject(8) == null ? null : rs.getInt(8), rs.getString(9))), part.toArray());
        }
        return out;
    }

    /**
     * Changes whenever an audit is recorded or pruned, or a fleet run's device moves on: the count and highest id of the
     * audits, the fleet devices' latest update and how many are done or failed.
     */
    public String changeMark() {
        return query("SELECT (SELECT COUNT(*) FROM audits), (SELECT MAX(id) FROM audits), (SELECT MAX(updated) FROM fleet_device), "
                + "(SELECT COUNT(*) FROM fleet_device WHERE state IN ('done', 'failed'))",
                rs -> rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getString(3) + ":" + rs.getLong(4)).get(0);
    }

    private static List<List<Long>> chunks(List<Long> ids) {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 500) out.add(ids.subList(i, Math.min(ids.size(), i + 500)));
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    // ---------------------------------------------------------------- maintenance

    /** Counts and sizes for {@code store info}. */
    public record Info(String location, String kind, int schemaVersion, long devices, long audits, long rows, long findings, Long bytes) {}

    public Info info() {
        Long bytes = null;
        if (location.file() != null) {
            long b = 0;
            for (String suffix : List.of("", "-wal", "-shm")) {
                try {
                    b += Files.size(Path.of(location.file() + suffix));
                } catch (IOException ignored) {
                    // no such file (e.g. no WAL right now)
                }
            }
            bytes = b;
        }
        return new Info(location.display(), location.kind().name().toLowerCase(java.util.Locale.ROOT), schemaVersion(),
                count("devices"), count("audits"), count("ports"), count("findings"), bytes);
    }

    private long count(String table) {
        return query("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).get(0);
    }

    /**
     * Deletes audits: beyond the {@code keep} latest of each device, and/or collected before {@code now - olderThan}. A
     * baseline's audit is never deleted. Returns how many were deleted.
     */
    public int prune(Integer keep, Duration olderThan, Instant now) {
        List<Long> doomed = new ArrayList<>();
        List<Long> baselines = query("SELECT audit_id FROM baselines", rs -> rs.getLong(1));
        String cutoff = olderThan == null ? null : ts(now.minus(olderThan));
        for (Device d : devices()) {
            List<AuditInfo> list = audits(d.id());
            for (int i = 0; i < list.size(); i++) {
                AuditInfo a = list.get(i);
                boolean tooMany = keep != null && i < list.size() - keep;
                boolean tooOld = cutoff != null && a.collectedAt().compareTo(cutoff) < 0;
                if ((tooMany || tooOld) && !baselines.contains(a.id())) doomed.add(a.id());
            }
        }
        writeTransaction("cannot prune", c -> {
            Captures.delete(c, doomed);
            for (Long id : doomed) {
                for (String t : List.of("ports", "findings")) update("DELETE FROM " + t + " WHERE audit_id = ?", id);
                update("DELETE FROM audits WHERE id = ?", id);
            }
            update("DELETE FROM devices WHERE id NOT IN (SELECT device_id FROM audits)");
            return null;
        }, 0);
        return doomed.size();
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    /** Writes every audit as one JSON line: the device, the coverage, the record time and the whole result. */
    public int export(Writer out) throws IOException {
        int n = 0;
        for (Device d : devices()) {
            for (AuditInfo a : audits(d.id())) {
                out.write(exportLine(d, a));
                out.write('\n');
                n++;
            }
        }
        out.flush();
        return n;
    }

    /** One audit as an export line ({@link #importLine} reads it back): the device, the coverage, the record time, the result. */
    public String exportLine(Device d, AuditInfo a) throws IOException {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("format", "portaudit-store-export");
        line.put("version", 1);
        ObjectNode dev = line.putObject("device");
        dev.put("key", d.key());
        dev.put("name", d.name());
        dev.put("serial", d.serial());
        dev.put("machineId", d.machineId());
        dev.put("mac", d.mac());
        dev.put("model", d.model());
        dev.put("firmware", a.firmware());
        dev.put("hostname", d.hostname());
        dev.put("addresses", d.addresses());
        line.put("recordedAt", a.recordedAt());
        line.set("coverage", Json.MAPPER.readTree(a.coverage().toJson()));
        // the stored text, so that the content hash is the same after an import
        line.put("document", document(a.id()));
        // the raw captures kept with it (those over the cap were not kept and are not exported)
        List<Captures.In> caps;
        try {
            caps = Captures.texts(db, List.of(a.id())).get(a.id());
        } catch (SQLException e) {
            throw failure("cannot read the audit's captures", e);
        }
        if (!caps.isEmpty()) line.set("captures", Json.MAPPER.valueToTree(caps));
        return Json.MAPPER.writeValueAsString(line);
    }

    /** Imports one export line or one result document; returns what was recorded. */
    public Recorded importLine(String text, DeviceIdentity fallback, Instant now) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new StoreException(io.portaudit.model.L10n.t("store.notjson", oneLine(e)), 2);
        }
        if (n == null || !n.isObject()) throw new StoreException(io.portaudit.model.L10n.t("store.notobject"), 2);
        if ("portaudit-store-export".equals(n.path("format").asText())) {
            JsonNode d = n.path("device");
            DeviceIdentity id = new DeviceIdentity(str(d, "name"), str(d, "serial"), str(d, "machineId"), str(d, "mac"), str(d, "model"),
                    str(d, "firmware"), str(d, "hostname"), str(d, "addresses") == null ? List.of() : List.of(str(d, "addresses").split(" ")));
            if (id.key() == null && str(d, "key") != null && !str(d, "key").startsWith("content:")) id = id.withName(str(d, "key"));
            Instant at = now;
            try {
                if (str(n, "recordedAt") != null) at = Instant.parse(str(n, "recordedAt"));
            } catch (DateTimeParseException ignored) {
                // keep now
            }
            List<Captures.In> caps = new ArrayList<>();
            for (JsonNode c : n.path("captures")) {
                // exact bytes (base64 in "bytes", with their "charset") or, as exports before V6 wrote them, a "text"
                byte[] bytes = null;
                if (c.path("bytes").isTextual()) {
                    try {
                        bytes = java.util.Base64.getDecoder().decode(c.path("bytes").asText());
                    } catch (IllegalArgumentException e) {
                        throw new StoreException("captures: " + str(c, "name") + ": bytes is not base64", 2);
                    }
                }
                if (!Captures.validName(str(c, "name")) || str(c, "kind") == null || (str(c, "text") == null && bytes == null)) {
                    throw new StoreException(io.portaudit.model.L10n.t("store.captures"), 2);
                }
                caps.add(new Captures.In(str(c, "name"), str(c, "kind"), str(c, "command"), str(c, "source"),
                        c.path("exitStatus").isInt() ? c.path("exitStatus").asInt() : null, c.path("truncated").asBoolean(false), str(c, "netns"),
                        bytes == null ? str(c, "text") : null, bytes, bytes == null ? null : str(c, "charset")));
            }
            return record(n.path("document").asText(), Coverage.parse(n.path("coverage")), id, at, caps, null);
        }
        return record(text, null, fallback, now);
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    public void setBaseline(String model, long auditId, Instant setAt) {
        audit(auditId);
        writeTransaction("cannot set the baseline", c -> {
            update("DELETE FROM baselines WHERE model = ?", model);
            update("INSERT INTO baselines (model, audit_id, set_at) VALUES (?, ?, ?)", model, auditId, ts(setAt));
            return null;
        }, 0);
    }

    /** The audit id of a model's baseline. */
    public long baseline(String model) {
        List<Long> id = query("SELECT audit_id FROM baselines WHERE model = ?", rs -> rs.getLong(1), model);
        if (id.isEmpty()) throw new StoreException(io.portaudit.model.L10n.t("store.nobaseline", model, location.display()), 2);
        return id.get(0);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> m, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(m.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw failure("cannot read the store", e);
        }
    }

    private static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12));
    }

    private static AuditInfo audit(ResultSet rs) throws SQLException {
        return new AuditInfo(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12), Coverage.parse(rs.getString(13)));
    }

    /**
     * What failed, in the reader's language: the fixed English texts callers pass ("cannot read the store") are looked up
     * as {@code store.what.*} messages (words joined by '_'); any other text (already translated, or with a name in it)
     * is kept as it is.
     */
    static String what(String what) {
        String key = "store.what." + what.replaceAll("[^A-Za-z]+", "_");
        return io.portaudit.model.L10n.has(key) ? io.portaudit.model.L10n.t(key) : what;
    }

    private StoreException failure(String what, SQLException e) {
        String msg = oneLine(e);
        String lower = msg.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("sqlite_busy") || lower.contains("sqlite_locked") || lower.contains("database is locked") || lower.contains("database table is locked")) {
            return new StoreException(io.portaudit.model.L10n.t("store.locked", location.display(), what(what)), 3, e);
        }
        if (lower.contains("sqlite_full") || lower.contains("disk is full") || lower.contains("no space left") || "53100".equals(e.getSQLState())) {
            return new StoreException(io.portaudit.model.L10n.t("store.full", location.display(), what(what)), 3, e);
        }
        if (lower.contains("sqlite_readonly") || lower.contains("readonly")) {
            return new StoreException(io.portaudit.model.L10n.t("store.readonly", location.display(), what(what)), 3, e);
        }
        return new StoreException(io.portaudit.model.L10n.t("store.failed", location.display(), what(what), msg), 3, e);
    }

    /** At most this many tries of one write transaction while the database is busy (each waits up to the busy timeout). */
    static final int WRITE_ATTEMPTS = 12;

    /**
     * Runs {@code work} as one write transaction on this store's connection: committed when it returns, rolled back when it
     * throws. On SQLite it begins IMMEDIATE, taking the write lock first (waiting up to the busy timeout): a transaction
     * that read under a WAL snapshot and then wants to write can fail at once with SQLITE_BUSY_SNAPSHOT when another
     * writer committed in between; one that holds the write lock from its start cannot. The transaction is begun
     * here, not by the driver (with auto-commit off sqlite-jdbc begins the next transaction as it commits or rolls
     * back one, taking the write lock again for nothing, and waiting for it: a failure there would report a committed
     * transaction as failed). While the database stays busy (BUSY, BUSY_SNAPSHOT, LOCKED; on PostgreSQL a deadlock or
     * serialization failure) the whole transaction is tried again after a random, growing pause: at most
     * {@value #WRITE_ATTEMPTS} tries and about twice the busy timeout in all, then a one-line "locked" error.
     * {@code constraintRetries}: how often a unique-constraint violation (a concurrent writer inserted the same row
     * first) is tried again too.
     */
    private <T> T writeTransaction(String what, Work<T> work, int constraintRetries) {
        long start = System.nanoTime();
        long budgetNs = (2 * busyTimeoutMs + 1_000) * 1_000_000L;
        int constraintsSeen = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return writeOnce(work);
            } catch (SQLException e) {
                if (isBusy(e) && attempt < WRITE_ATTEMPTS && System.nanoTime() - start < budgetNs) {
                    // random: writers that collided do not collide again in step; growing: a long writer is let finish
                    long cap = Math.min(1_000, 20L << Math.min(attempt, 6));
                    sleepQuietly(java.util.concurrent.ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
                    if (Thread.currentThread().isInterrupted()) throw failure(what, e);
                    continue;
                }
                if (constraintsSeen++ < constraintRetries && isConstraintViolation(e)) continue;
                throw failure(what, e);
            }
        }
    }

    private <T> T writeOnce(Work<T> work) throws SQLException {
        boolean committed = false;
        try {
            if (pg()) {
                db.setAutoCommit(false);
            } else {
                try (Statement st = db.createStatement()) {
                    st.execute("BEGIN IMMEDIATE");
                }
                sqliteWriting = true;
            }
            T out = work.run(db);
            if (pg()) {
                db.commit();
            } else {
                try (Statement st = db.createStatement()) {
                    st.execute("COMMIT");
                }
                sqliteWriting = false;
            }
            committed = true;
            return out;
        } finally {
            if (!committed) rollbackQuietly();
            if (pg()) {
                try {
                    db.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is gone; the next use says so
                }
            }
        }
    }

    /** SQLite's BUSY (and BUSY_SNAPSHOT, BUSY_RECOVERY, ...) and LOCKED; PostgreSQL's deadlock and serialization failure. */
    static boolean isBusy(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException se) {
                int primary = se.getResultCode().code & 0xff;
                if (primary == 5 || primary == 6) return true;   // SQLITE_BUSY, SQLITE_LOCKED
            }
            if (t instanceof SQLException s && ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState()))) return true;
            String m = String.valueOf(t.getMessage());
            if (m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED") || m.contains("database is locked") || m.contains("database table is locked")) {
                return true;
            }
        }
        return false;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || String.valueOf(e.getMessage()).contains("SQLITE_CONSTRAINT");
    }

    private void rollbackQuietly() {
        try {
            if (!db.getAutoCommit()) {
                db.rollback();
            } else if (sqliteWriting) {
                // a transaction writeOnce began (the driver's auto-commit stays on)
                sqliteWriting = false;
                try (Statement st = db.createStatement()) {
                    st.execute("ROLLBACK");
                }
            }
        } catch (SQLException ignored) {
            // nothing more to undo
        }
    }

    static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    public static String ts(Instant i) {
        return TS.format(i.truncatedTo(ChronoUnit.MILLIS));
    }

    static String collectedAt(String text, Instant fallback) {
        if (text == null || text.equals("null")) return ts(fallback);
        try {
            return ts(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return ts(fallback);
        }
    }

    public static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
