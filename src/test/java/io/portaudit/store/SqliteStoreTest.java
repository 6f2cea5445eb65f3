package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The store contract on a real SQLite file in a temp dir. */
class SqliteStoreTest extends StoreContract {
    private int n;

    @Override
    String newStore() {
        return tmp.resolve("store-" + (++n) + ".db").toString();
    }

    @Test
    void aWriterOutlastsALockHeldLongerThanItsBusyTimeout() throws Exception {
        String file = newStore();
        String doc = Files.readString(Path.of("src/test/resources/fixtures/store/result-minimal.json"));
        try (Store s = Store.open(StoreLocation.parse(file, Map.of()))) {
            s.info();
        }
        CompletableFuture<Store.Recorded> recorded;
        try (var hold = DriverManager.getConnection("jdbc:sqlite:" + file); var st = hold.createStatement()) {
            st.execute("BEGIN IMMEDIATE");   // another writer holds the write lock 1.5 busy timeouts
            recorded = CompletableFuture.supplyAsync(() -> {
                try (Store s = Store.open(StoreLocation.parse("jdbc:sqlite:" + file + "?busy_timeout=1000", Map.of()))) {
                    return s.record(doc, null, DeviceIdentity.named("dev0"), Instant.parse("2026-12-01T10:00:00Z"));
                }
            });
            Thread.sleep(1_500);
            st.execute("ROLLBACK");
        }
        // the first BEGIN IMMEDIATE gave up after its busy timeout; the transaction was tried again and landed
        assertThat(recorded.get(60, TimeUnit.SECONDS).stored()).isTrue();
        try (Store s = Store.open(StoreLocation.parse(file, Map.of()))) {
            assertThat(s.info().audits()).isEqualTo(1);
        }
    }

    @Test
    void busyLockedAndStaleSnapshotsAreTriedAgainOtherErrorsAreNot() {
        for (SQLiteErrorCode c : new SQLiteErrorCode[] {SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT,
                SQLiteErrorCode.SQLITE_BUSY_RECOVERY, SQLiteErrorCode.SQLITE_LOCKED, SQLiteErrorCode.SQLITE_LOCKED_SHAREDCACHE}) {
            assertThat(Store.isBusy(new SQLiteException("x", c))).as(c.name()).isTrue();
        }
        for (SQLiteErrorCode c : new SQLiteErrorCode[] {SQLiteErrorCode.SQLITE_FULL, SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE,
                SQLiteErrorCode.SQLITE_READONLY, SQLiteErrorCode.SQLITE_CORRUPT}) {
            assertThat(Store.isBusy(new SQLiteException("x", c))).as(c.name()).isFalse();
        }
        assertThat(Store.isBusy(new java.sql.SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(Store.isBusy(new java.sql.SQLException("duplicate key", "23505"))).isFalse();
    }
}
