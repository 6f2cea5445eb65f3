package io.portaudit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * bench/store: fills a SQLite store with AUDITS audits of DEVICES devices, each a result of ~ROWS port rows
 * (generated from a template result: fixed pattern, a few ports changing from one audit to the next), and prints the
 * time to record one audit (median, p95, max) and the file size per audit.
 * Usage (test code, not in the jar): java -cp target/test-classes:target/portaudit.jar io.portaudit.store.Bench STORE TEMPLATE.json AUDITS DEVICES ROWS
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        JsonNode template = new ObjectMapper().readTree(Files.readString(Path.of(args[1])));
        int audits = Integer.parseInt(args[2]), devices = Integer.parseInt(args[3]), rows = Integer.parseInt(args[4]);
        ObjectMapper m = new ObjectMapper();
        JsonNode port = template.path("ports").get(0);
        long[] ms = new long[audits];
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (Store s = Store.open(StoreLocation.parse(file.toString(), Map.of()))) {
            for (int i = 0; i < audits; i++) {
                ObjectNode doc = template.deepCopy();
                Instant at = t0.plusSeconds(60L * i);
                ((ObjectNode) doc.path("device")).put("collectedAt", at.toString());
                ArrayNode ports = doc.putArray("ports");
                for (int p = 1; p <= rows; p++) {
                    ObjectNode row = port.deepCopy();
                    row.put("port", p);
                    // every tenth port listens; ports 900-999 change with the audit
                    boolean listening = p % 10 == 0 || (p >= 900 && (p + i) % 7 == 0);
                    if (!listening) row.putArray("listeners");
                    ports.add(row);
                }
                String text = m.writeValueAsString(doc);
                long start = System.nanoTime();
                s.record(text, null, DeviceIdentity.named("bench-" + (i % devices)), at);
                ms[i] = (System.nanoTime() - start) / 1_000;
            }
            Store.Info info = s.info();
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf("record: %d audits x %d rows on SQLite: median %.1f ms, p95 %.1f ms, max %.1f ms%n", audits, rows,
                    sorted[audits / 2] / 1000.0, sorted[(int) (audits * 0.95)] / 1000.0, sorted[audits - 1] / 1000.0);
            System.out.printf("size: %d bytes, %d bytes per audit (%d port rows in all)%n", info.bytes(), info.bytes() / Math.max(1, info.audits()), info.rows());
        }
    }

    private Bench() {}
}
