package io.portaudit.store;

/** The store contract on a real SQLite file in a temp dir. */
class SqliteStoreTest extends StoreContract {
    private int n;

    @Override
    String newStore() {
        return tmp.resolve("store-" + (++n) + ".db").toString();
    }
}
