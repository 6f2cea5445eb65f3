package io.portaudit.collect;

/** A bundle that cannot be read: corrupt, truncated, too large, unsafe or from a newer portaudit. */
public final class BundleException extends Exception {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
