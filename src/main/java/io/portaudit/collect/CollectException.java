package io.portaudit.collect;

/** Nothing could be collected from a device: cannot connect, host key refused, authentication failed. */
public class CollectException extends Exception {
    public CollectException(String message) {
        super(message);
    }

    public CollectException(String message, Throwable cause) {
        super(message, cause);
    }
}
