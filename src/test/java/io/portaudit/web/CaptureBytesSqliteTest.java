package io.portaudit.web;

/** {@link CaptureBytesContract} on a SQLite store (a real file in a temp dir). */
class CaptureBytesSqliteTest extends CaptureBytesContract {
    @Override
    String newStore() {
        return tmp.resolve("raw.db").toString();
    }
}
