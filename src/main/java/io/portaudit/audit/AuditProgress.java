package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.PortResult;

/** What an {@link AuditRun} tells while it runs (the CLI prints it on stderr; a web server would stream it). */
public interface AuditProgress {
    AuditProgress NONE = new AuditProgress() {};

    /** The device's facts were collected (a partial snapshot says so in {@code partial()} and its notes). */
    default void collected(DeviceSnapshot snapshot) {}

    /** The scan of {@code target} starts. */
    default void scanning(String target, int tcpPorts, int udpPorts) {}

    /** The loopback probe of this machine's {@code listeners} listeners starts (a local audit). */
    default void probing(int listeners) {}

    /** A scanned port was decided (from the scanner's threads). */
    default void scanned(PortResult port) {}
}
