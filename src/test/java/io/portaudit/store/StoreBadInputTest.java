package io.portaudit.store;

import io.portaudit.cli.MainTest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot be used: one clear line, exit 2 (cannot open, newer schema: see the contract) or 3 (locked,
 * full), the audit's report still written, and nothing stored before lost.
 */
class StoreBadInputTest {
    @TempDir
    Path tmp;

    @Test
    void aStoreThatCannotBeOpenedIsOneLineAndExit2WithTheReportWritten() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        for (String url : new String[] {"jdbc:postgresql://127.0.0.1:" + closed + "/nothing?user=x&password=secret", tmp.toString(),
                "jdbc:mysql://host/db", "sqlite:" + tmp.resolve("s.db"), "postgres://127.0.0.1/x"}) {
            MainTest.Run r = Cli.run(Cli.fw1(url));
            assertThat(r.exit()).as(url + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).doesNotContain("secret").doesNotContain("Exception");
            assertThat(tmp.resolve("sqlite:")).doesNotExist();
            assertThat(Path.of("sqlite:")).doesNotExist();
            if (url.startsWith("jdbc:postgresql") || url.equals(tmp.toString())) assertThat(r.out()).as(url).containsPattern("(?m)^(PASS|FAIL)  "); // -q: the verdict
        }
        Path notDb = Files.writeString(tmp.resolve("notes.txt"), "not a database\n".repeat(10));
        MainTest.Run r = Cli.run(Cli.fw1(notDb.toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not a SQLite database");
        assertThat(Files.readString(notDb)).isEqualTo("not a database\n".repeat(10));
    }

    @Test
    void aLockedStoreIsExit3AndKeepsWhatItHad() throws Exception {
        Path db = tmp.resolve("s.db");
        assertThat(Cli.run(Cli.fw1(db.toString(), "--device", "a440")).exit()).isEqualTo(1);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 0");
            c.setAutoCommit(false);
            st.execute("INSERT INTO baselines (model, audit_id, set_at) VALUES ('lock', 1, 'x')");   // holds the write lock
            MainTest.Run r = Cli.run(Cli.fw2("jdbc:sqlite:" + db + "?busy_timeout=300", "--device", "a440"));
            assertThat(r.exit()).as(r.err()).isEqualTo(3);
            assertThat(r.out()).containsPattern("(?m)^(PASS|FAIL)  "); // -q: the verdict
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("is locked by another writer");
            c.rollback();
        }
        try (Store s = Store.open(StoreLocation.parse(db.toString(), java.util.Map.of()))) {
            assertThat(s.info().audits()).isEqualTo(1);
        }
        assertThat(Cli.run(Cli.fw2(db.toString(), "--device", "a440")).exit()).isIn(0, 1);
    }

    @Test
    void aFullDiskIsExit3AndLeavesNoHalfAudit() throws Exception {
        Path db = tmp.resolve("s.db");
        assertThat(Cli.run(Cli.fw1(db.toString(), "--device", "a440")).exit()).isEqualTo(1);
        long pages;
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement(); var rs = st.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
        }
        // SQLite's own "database or disk is full" (SQLITE_FULL): the file may not grow by another page
        MainTest.Run r = Cli.run(Cli.fw2("jdbc:sqlite:" + db + "?max_page_count=" + pages, "--device", "a440"));
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).containsPattern("(?m)^(PASS|FAIL)  "); // -q: the verdict
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("disk full");
        try (Store s = Store.open(StoreLocation.parse(db.toString(), java.util.Map.of()))) {
            assertThat(s.info().audits()).isEqualTo(1);
            assertThat(s.facts(s.resolve("a440@latest")).rows()).isNotEmpty();
            assertThat(s.info().rows()).isEqualTo(s.facts(s.resolve("a440@latest")).rows().size());
        }
    }
}
