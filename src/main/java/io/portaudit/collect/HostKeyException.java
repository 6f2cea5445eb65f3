package io.portaudit.collect;

/** The device's host key is not the one on record (changed) or there is none on record (unknown). */
public final class HostKeyException extends CollectException {
    private final boolean changed;
    private final String fingerprint;

    public HostKeyException(String message, boolean changed, String fingerprint) {
        super(message);
        this.changed = changed;
        this.fingerprint = fingerprint;
    }

    /** True when a different key is on record for the host (possible man in the middle). */
    public boolean changed() {
        return changed;
    }

    /** The SHA256 fingerprint of the key the device offered ({@code SHA256:...}). */
    public String fingerprint() {
        return fingerprint;
    }
}
