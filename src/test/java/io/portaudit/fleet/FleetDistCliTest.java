package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed fleet commands without PostgreSQL: each says clearly that it needs it (exit 2), and bad options are usage errors. */
class FleetDistCliTest {
    @TempDir
    Path tmp;

    @Test
    void distributedCommandsOnSqliteSayTheyNeedPostgresql() throws Exception {
        Path bundle = LabBundles.write(tmp.resolve("b.bundle"), "pa-440", "b", "SN-1");
        Path fleet = tmp.resolve("fleet.yaml");
        Files.writeString(fleet, "devices:\n  - {name: b, bundle: " + bundle.toAbsolutePath() + "}\n");
        String db = tmp.resolve("s.db").toString();
        for (String[] args : new String[][] {
            {"fleet", "submit", fleet.toString(), "--store", db},
            {"fleet", "status", "latest", "--store", db},
            {"fleet", "wait", "latest", "--store", "jdbc:sqlite:" + db},
            {"fleet", "cancel", "latest", "--store", db},
            {"worker", "--store", db, "--until-idle"}}) {
            MainTest.Run r = MainTest.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).contains("distributed fleet runs need a PostgreSQL store (--store jdbc:postgresql://host[:port]/db)")
                    .doesNotContain("Exception");
            assertThat(r.out()).isEmpty();
        }
        assertThat(Files.exists(tmp.resolve("s.db"))).as("nothing created").isFalse();
    }

    @Test
    void badWorkerOptionsAreUsageErrors() {
        String pg = "jdbc:postgresql://127.0.0.1:1/none";
        MainTest.Run r = MainTest.run("worker", "--store", pg, "--threads", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--threads must be 1..256");
        r = MainTest.run("worker", "--store", pg, "--missed-heartbeats", "3");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--missed-heartbeats must be at least 4");
        r = MainTest.run("worker", "--store", pg, "--heartbeat", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--heartbeat");
    }
}
