package io.portaudit.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The writing process of {@link StoreCrashTest}: records {@code count} audits (the same result at distinct times) and
 * prints {@code committed N} after each commit returns. Killed with SIGKILL at a random moment by the test.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        String store = args[0];
        String doc = Files.readString(Path.of(args[1]));
        int first = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (Store s = Store.open(StoreLocation.parse(store, java.util.Map.of()))) {
            for (int i = first; i < first + count; i++) {
                Instant at = StoreCrashTest.timeOf(i);
                s.record(doc.replace("2026-12-01T10:00:00Z", at.toString()), null, DeviceIdentity.named("crash"), at);
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
        System.out.println("done");
    }

    private CrashWriter() {}
}
