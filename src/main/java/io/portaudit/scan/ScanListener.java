package io.portaudit.scan;

import io.portaudit.model.PortResult;

/**
 * Receives a scan's results as they are decided. Calls arrive from one thread at a time (the scanner
 * serialises them). {@link #port} streams every port; {@link #host} comes once a host is finished,
 * with its ports in order and the collapsed counts output formats need.
 */
public interface ScanListener {
    default void started(ScanInfo info) {}

    default void port(PortResult result) {}

    default void host(HostReport host) {}

    default void finished(ScanSummary summary) {}

    /** What was asked, for output headers. */
    record ScanInfo(String args, long startMillis, io.portaudit.model.PortSet tcp, io.portaudit.model.PortSet udp,
                    String version) {}

    /** The end: counts, elapsed time, and whether the scan was stopped early (partial). */
    record ScanSummary(long endMillis, double elapsedSeconds, int hostsUp, int hostsDown, boolean partial,
                       String exitReason) {}
}
