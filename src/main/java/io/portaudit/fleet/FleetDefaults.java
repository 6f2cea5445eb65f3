package io.portaudit.fleet;

import io.portaudit.model.Severity;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code defaults:} of a fleet file: what every device gets unless its own entry says otherwise.
 *
 * @param ports          the scan's ports in nmap syntax (e.g. {@code T:1-1024}); null: the audit's choice (TCP top
 *                       1,000 plus every port the device's views name, UDP those named)
 * @param timing         the scan's timing template 0..5 ({@code -T}); null: the scanner's device-safe default (3)
 * @param profile        a built-in policy profile, or null
 * @param policy         a policy file, or null
 * @param failOn         the fail threshold, or null (the policy's)
 * @param timeout        per-device time limit: a device not done by then fails with that reason
 * @param connectTimeout SSH connect + login bound
 * @param commandTimeout bound on each command on the device
 * @param retries        how often an unreachable device is tried again (0: once only)
 * @param key            SSH private key for every device, or null
 * @param knownHosts     known_hosts for every device, or null (~/.ssh/known_hosts)
 */
public record FleetDefaults(String ports, Integer timing, String profile, Path policy, Severity failOn, Duration timeout,
                            Duration connectTimeout, Duration commandTimeout, int retries, Path key, Path knownHosts) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_RETRIES = 1;

    public static FleetDefaults none() {
        return new FleetDefaults(null, null, null, null, null, DEFAULT_TIMEOUT, Duration.ofSeconds(15), Duration.ofSeconds(30),
                DEFAULT_RETRIES, null, null);
    }

    public FleetDefaults withTimeout(Duration t) {
        return new FleetDefaults(ports, timing, profile, policy, failOn, t, connectTimeout, commandTimeout, retries, key, knownHosts);
    }

    public FleetDefaults withRetries(int n) {
        return new FleetDefaults(ports, timing, profile, policy, failOn, timeout, connectTimeout, commandTimeout, n, key, knownHosts);
    }
}
