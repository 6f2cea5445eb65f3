package io.portaudit.scan;

import java.time.Duration;

/**
 * A timing template ({@code -T0}..{@code -T5}) with nmap's documented values, plus portaudit's
 * device-safety caps. All durations in microseconds so the arithmetic in {@link HostTiming} is exact.
 *
 * @param initialRttTimeoutUs timeout for probes before any RTT was measured
 * @param minRttTimeoutUs     lower clamp of srtt + 4·rttvar
 * @param maxRttTimeoutUs     upper clamp of srtt + 4·rttvar
 * @param maxRetries          retransmissions of a silent probe before the port is called filtered
 * @param scanDelayUs         minimum gap between two probes to one host (0 = none)
 * @param maxParallelism      probes in flight to one host at once (the congestion window's ceiling)
 * @param initialCwnd         congestion window at the start (probes in flight to one host)
 * @param initialSsthresh     slow-start threshold at the start
 * @param hostTimeoutUs       give up a host after this long (0 = never)
 */
public record TimingTemplate(int level, String name, long initialRttTimeoutUs, long minRttTimeoutUs, long maxRttTimeoutUs,
                             int maxRetries, long scanDelayUs, int maxParallelism, int initialCwnd, int initialSsthresh,
                             long hostTimeoutUs) {

    /** Device-safe ceiling for probes in flight to one host by default (see docs/scan.md). */
    public static final int DEFAULT_HOST_PARALLELISM = 64;

    public static TimingTemplate of(int level) {
        return switch (level) {
            // nmap: -T0 max_parallelism 1, scan_delay 5 min, initial RTT timeout 5 min
            case 0 -> new TimingTemplate(0, "paranoid", 300_000_000L, 100_000, 10_000_000, 10, 300_000_000L, 1, 1, 75, 0);
            // nmap: -T1 max_parallelism 1, scan_delay 15 s, initial RTT timeout 15 s
            case 1 -> new TimingTemplate(1, "sneaky", 15_000_000L, 100_000, 10_000_000, 10, 15_000_000L, 1, 1, 75, 0);
            // nmap: -T2 max_parallelism 1, scan_delay 400 ms
            case 2 -> new TimingTemplate(2, "polite", 1_000_000, 100_000, 10_000_000, 10, 400_000, 1, 1, 75, 0);
            // nmap defaults: initial 1 s, min 100 ms, max 10 s, 10 retries
            case 3 -> new TimingTemplate(3, "normal", 1_000_000, 100_000, 10_000_000, 10, 0, DEFAULT_HOST_PARALLELISM, 10, 75, 0);
            // nmap -T4: initial 500 ms, min 100 ms, max 1250 ms, 6 retries
            case 4 -> new TimingTemplate(4, "aggressive", 500_000, 100_000, 1_250_000, 6, 0, 128, 10, 75, 0);
            // nmap -T5: initial 250 ms, min 50 ms, max 300 ms, 2 retries, host timeout 15 min
            case 5 -> new TimingTemplate(5, "insane", 250_000, 50_000, 300_000, 2, 0, 256, 10, 75, 900_000_000L);
            default -> throw new IllegalArgumentException("timing template must be 0..5, not " + level);
        };
    }

    /**
     * The rate cap when {@code --max-rate} is not given: 10,000 new probes per second for the
     * default (-T3) and slower templates, so a small board is never asked to answer more than that;
     * -T4 and -T5 are uncapped (only the congestion window limits them), as in nmap.
     */
    public static final double DEVICE_SAFE_MAX_RATE = 10_000;

    public double defaultMaxRate() {
        return level <= 3 ? DEVICE_SAFE_MAX_RATE : 0;
    }

    public static TimingTemplate defaults() {
        return of(3);
    }

    public TimingTemplate withMaxRetries(int n) {
        return new TimingTemplate(level, name, initialRttTimeoutUs, minRttTimeoutUs, maxRttTimeoutUs, n, scanDelayUs,
                maxParallelism, initialCwnd, initialSsthresh, hostTimeoutUs);
    }

    public TimingTemplate withScanDelay(Duration d) {
        return new TimingTemplate(level, name, initialRttTimeoutUs, minRttTimeoutUs, maxRttTimeoutUs, maxRetries,
                d.toNanos() / 1000, maxParallelism, initialCwnd, initialSsthresh, hostTimeoutUs);
    }

    public TimingTemplate withMaxParallelism(int n) {
        return new TimingTemplate(level, name, initialRttTimeoutUs, minRttTimeoutUs, maxRttTimeoutUs, maxRetries,
                scanDelayUs, n, Math.min(initialCwnd, n), initialSsthresh, hostTimeoutUs);
    }

    public TimingTemplate withHostTimeout(Duration d) {
        return new TimingTemplate(level, name, initialRttTimeoutUs, minRttTimeoutUs, maxRttTimeoutUs, maxRetries,
                scanDelayUs, maxParallelism, initialCwnd, initialSsthresh, d.toNanos() / 1000);
    }

    public TimingTemplate withRttTimeouts(long initialUs, long minUs, long maxUs) {
        return new TimingTemplate(level, name, initialUs, minUs, maxUs, maxRetries, scanDelayUs, maxParallelism,
                initialCwnd, initialSsthresh, hostTimeoutUs);
    }
}
