package io.portaudit.store;

import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on a real PostgreSQL server started by the test ({@link PgServer}). */
@ExtendWith(PgServer.class)
class PostgresStoreTest extends StoreContract {
    @Override
    String newStore() throws Exception {
        return PgServer.newDatabase();
    }
}
