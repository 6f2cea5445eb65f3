package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A worker's view of a database outage: said once when it begins and once when it ends; polls back off, bounded. */
class WorkerOutageTest {
    @Test
    void anOutageIsSaidOnceWhenItBeginsAndOnceWhenItEndsAndThePollsBackOffBounded() {
        FleetWorker.Outage o = new FleetWorker.Outage();
        Duration poll = Duration.ofMillis(200);
        assertThat(o.pause(poll)).isEqualTo(200);
        assertThat(o.up(0)).isNull();   // nothing to say while up

        SQLException refused = new SQLException("Connection to localhost:5432 refused.\nCheck that the hostname and port are correct", "08001");
        assertThat(o.down(1_000_000_000L, refused))
                .isEqualTo("cannot read the job table: Connection to localhost:5432 refused. (the database may be down; trying again, said again when it answers)");
        long last = o.pause(poll);
        assertThat(last).isEqualTo(400);
        for (int i = 2; i <= 40; i++) {
            assertThat(o.down(1_000_000_000L + i, refused)).as("failure %d", i).isNull();
            long p = o.pause(poll);
            assertThat(p).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(FleetWorker.Outage.MAX_BACKOFF.toMillis());
            last = p;
        }
        assertThat(last).isEqualTo(FleetWorker.Outage.MAX_BACKOFF.toMillis());

        assertThat(o.up(13_500_000_000L)).isEqualTo("the job table can be read again after 12.5 s (40 failed tries)");
        assertThat(o.up(14_000_000_000L)).isNull();
        assertThat(o.pause(poll)).isEqualTo(200);

        // a second outage is said again; a poll interval above the bound is kept, never shortened
        assertThat(o.down(20_000_000_000L, refused)).startsWith("cannot read the job table: ");
        assertThat(o.pause(Duration.ofSeconds(30))).isEqualTo(30_000);
        assertThat(o.up(21_000_000_000L)).isEqualTo("the job table can be read again after 1.0 s (1 failed try)");
    }
}
