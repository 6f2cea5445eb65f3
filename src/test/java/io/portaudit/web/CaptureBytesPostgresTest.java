package io.portaudit.web;

import io.portaudit.store.PgServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CaptureBytesContract} on a real PostgreSQL server of the test's own ({@link PgServer}). */
@ExtendWith(PgServer.class)
class CaptureBytesPostgresTest extends CaptureBytesContract {
    @Override
    String newStore() throws Exception {
        return PgServer.newDatabase();
    }
}
