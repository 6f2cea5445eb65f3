package io.portaudit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * bench/store: fills a SQLite store with AUDITS audits of DEVICES devices, each a result of ~ROWS port rows (generated
 * from a template result: fixed pattern, ports 900-999 changing from one audit to the next with a period of 7 audits
 * per device), and prints the time to record one audit (median, p95, max) into the full store and the file size per
 * audit.
 * <p>
 * Filling: the first {@code 7 x DEVICES} audits (every distinct pattern) and the last MEASURED audits (default 200) are
 * recorded through {@link Store#record}, one transaction each; the audits between are copies of an earlier recorded
 * audit of the same device and pattern made inside SQLite (INSERT ... SELECT of its audit row, port rows and findings,
 * with its own time and a content hash of its own), one transaction per audit, so that a 10,000-audit store is built in
 * minutes, not half an hour. The record times reported are those of the last MEASURED audits, recorded into a store
 * that already holds AUDITS - MEASURED audits; the first ones' times are printed beside them.
 * Usage (test code, not in the jar): java -cp target/test-classes:target/portaudit.jar io.portaudit.store.Bench STORE TEMPLATE.json AUDITS DEVICES ROWS [MEASURED]
 */
public final class Bench {
    private static final int PERIOD = 7;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        JsonNode template = new ObjectMapper().readTree(Files.readString(Path.of(args[1])));
        int audits = Integer.parseInt(args[2]), devices = Integer.parseInt(args[3]), rows = Integer.parseInt(args[4]);
        int measured = Math.min(audits, args.length > 5 ? Integer.parseInt(args[5]) : 200);
        int seeded = Math.min(audits - measured, PERIOD * devices);
        ObjectMapper m = new ObjectMapper();
        JsonNode port = template.path("ports").get(0);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        long[] seedUs = new long[Math.max(1, seeded)];
        long[] us = new long[measured];
        long began = System.nanoTime();
        long[] auditIds = new long[audits];
        try (Store s = Store.open(StoreLocation.parse(file.toString(), Map.of()))) {
            for (int i = 0; i < audits; i++) {
                Instant at = t0.plusSeconds(60L * i);
                boolean copy = i >= seeded && i < audits - measured;
                if (copy) {
                    auditIds[i] = copyAudit(s, auditIds[i - PERIOD * devices], i, Store.ts(at));
                    continue;
                }
                ObjectNode doc = template.deepCopy();
                ((ObjectNode) doc.path("device")).put("collectedAt", at.toString());
                ArrayNode ports = doc.putArray("ports");
                for (int p = 1; p <= rows; p++) {
                    ObjectNode row = port.deepCopy();
                    row.put("port", p);
                    // every tenth port listens; ports 900-999 change with the audit
                    boolean listening = p % 10 == 0 || (p >= 900 && (p + i / devices) % PERIOD == 0);
                    if (!listening) row.putArray("listeners");
                    ports.add(row);
                }
                String text = m.writeValueAsString(doc);
                long start = System.nanoTime();
                auditIds[i] = s.record(text, null, DeviceIdentity.named("bench-" + (i % devices)), at).auditId();
                long took = (System.nanoTime() - start) / 1_000;
                if (i < seeded) seedUs[i] = took; else us[i - (audits - measured)] = took;
                if ((i + 1) % 1000 == 0) System.err.printf("  %d audits stored, %.0f s%n", i + 1, (System.nanoTime() - began) / 1e9);
            }
            Store.Info info = s.info();
            System.out.printf("store: %d audits x %d rows over %d devices filled in %.0f s (%d recorded through Store.record, %d copied in SQLite)%n",
                    audits, rows, devices, (System.nanoTime() - began) / 1e9, seeded + measured, audits - seeded - measured);
            System.out.printf("record: the last %d audits, into a store of %d: median %.1f ms, p95 %.1f ms, max %.1f ms%s%n", measured,
                    audits - measured, pct(us, 0.5), pct(us, 0.95), pct(us, 1.0),
                    seeded > 0 ? String.format(" (the first %d, into a store of 0-%d: median %.1f ms)", seeded, seeded, pct(seedUs, 0.5)) : "");
            System.out.printf("size: %d bytes, %d bytes per audit (%d port rows in all)%n", info.bytes(), info.bytes() / Math.max(1, info.audits()), info.rows());
        }
    }

    private static double pct(long[] us, double q) {
        long[] sorted = us.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1000.0;
    }

    /** A copy of audit {@code of}, collected at {@code ts}, in one transaction: its audit row, port rows and findings. */
    private static long copyAudit(Store s, long of, int n, String ts) {
        return s.transaction("copy", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audits (device_id, content_hash, recorded_at, collected_at, source, host, model, "
                    + "firmware, addresses, result, exit_code, findings, failing, exposed, schema_version, coverage, document, document_gz) "
                    + "SELECT device_id, content_hash || ':' || ?, ?, ?, source, host, model, firmware, addresses, result, exit_code, findings, failing, "
                    + "exposed, schema_version, coverage, document, document_gz FROM audits WHERE id = ?", Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, n);
                ps.setString(2, ts);
                ps.setString(3, ts);
                ps.setLong(4, of);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ports (audit_id, device_id, protocol, family, port, bind_address, scope, firewall, "
                    + "program, exe, scan_state, service, product, version, exposed) SELECT ?, device_id, protocol, family, port, bind_address, scope, "
                    + "firewall, program, exe, scan_state, service, product, version, exposed FROM ports WHERE audit_id = ?")) {
                ps.setLong(1, id);
                ps.setLong(2, of);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO findings (audit_id, finding_id, severity, status, protocol, family, port_from, "
                    + "port_to, title) SELECT ?, finding_id, severity, status, protocol, family, port_from, port_to, title FROM findings WHERE audit_id = ?")) {
                ps.setLong(1, id);
                ps.setLong(2, of);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET last_seen = ? WHERE id = (SELECT device_id FROM audits WHERE id = ?)")) {
                ps.setString(1, ts);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            return id;
        });
    }

    private Bench() {}
}
