package io.portaudit.store;

/** A store that cannot be used: one line for the user and the exit code it means (2 input/usage, 3 could not record). */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public StoreException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public StoreException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
