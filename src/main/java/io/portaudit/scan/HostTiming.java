package io.portaudit.scan;

/**
 * Per-host round-trip estimate and congestion window, after nmap's {@code timing.cc}
 * ({@code adjust_timeouts2}, {@code ultra_timing_vals::ack/drop}). Every method takes the current
 * time (microseconds, any epoch) as a parameter: the arithmetic is exact in tests without sleeping.
 *
 * <p>RTT: RFC 6298 — the first sample R sets srtt = R, rttvar = max(5 ms, min(R, 2 s)); later samples
 * srtt += (R - srtt)/8, rttvar += (|R - srtt| - rttvar)/4. Probe timeout = srtt + 4·rttvar clamped to the
 * template's min/max. Congestion: slow start (+1 per reply) below ssthresh, then +1/cwnd per reply.
 * Unanswered probes shrink the window the way nmap's {@code ultrascan_adjust_timing} does: a silent
 * probe is only known to be <em>lost</em> (rather than filtered) when its retransmission is answered,
 * so a reply to a retransmission (try &gt; 0) of a probe sent after the last drop sets
 * ssthresh = max(inFlight/2, 2) and cwnd = 1 (nmap's host drop). Plain silence from a firewall that
 * drops does not shrink the window — otherwise every filtered port would throttle the scan to one
 * probe in flight. The window never exceeds the template's parallelism. Thread-safe: engine threads
 * that probe one host share one instance ({@link #sharedBy}).
 */
public final class HostTiming {
    private final TimingTemplate t;
    private long srttUs = -1;
    private long rttvarUs = -1;
    private long timeoutUs;
    private double cwnd;
    private double ssthresh;
    private long lastDropUs = Long.MIN_VALUE;
    private int maxSuccessfulTry;
    private long replies;
    private long drops;
    private long silences;
    /** Engine threads probing this host together, each allowed this share of the window. */
    private int shares = 1;

    public HostTiming(TimingTemplate t) {
        this.t = t;
        this.timeoutUs = t.initialRttTimeoutUs();
        this.cwnd = Math.max(1, Math.min(t.initialCwnd(), t.maxParallelism()));
        this.ssthresh = t.initialSsthresh();
    }

    /** A reply (any reply: syn-ack, refusal, unreachable) to a probe sent at {@code sentUs}. */
    public void onReply(long sentUs, long nowUs, int tryNo) {
        onReply(sentUs, nowUs, tryNo, 0);
    }

    /** As {@link #onReply(long, long, int)}, with the number of probes in flight for a possible drop. */
    public synchronized void onReply(long sentUs, long nowUs, int tryNo, int inFlight) {
        replies++;
        if (tryNo > maxSuccessfulTry) maxSuccessfulTry = tryNo;
        if (tryNo > 0 && sentUs > lastDropUs) {
            // the earlier try of this probe was lost: a real drop
            drop(nowUs, inFlight);
            return;
        }
        long delta = nowUs - sentUs;
        if (delta > 0 && delta < 1_500_000_000L) updateRtt(delta);
        if (cwnd < ssthresh) cwnd += 1;
        else cwnd += 1.0 / cwnd;
        if (cwnd > t.maxParallelism()) cwnd = t.maxParallelism();
    }

    private void updateRtt(long delta) {
        if (srttUs < 0) {
            srttUs = delta;
            rttvarUs = Math.max(5_000, Math.min(srttUs, 2_000_000));
        } else {
            // nmap ignores absurd outliers: more than 8 s and well beyond the estimate
            if (delta >= 8_000_000 && delta > 3 * srttUs + 2 * rttvarUs) return;
            long rttdelta = delta - srttUs;
            srttUs += rttdelta / 8;
            rttvarUs += (Math.abs(rttdelta) - rttvarUs) / 4;
        }
        timeoutUs = clamp(srttUs + 4 * rttvarUs);
    }

    private long clamp(long v) {
        return Math.max(t.minRttTimeoutUs(), Math.min(t.maxRttTimeoutUs(), v));
    }

    /**
     * A probe sent at {@code sentUs} timed out. Silence alone may mean "filtered", so it does not
     * shrink the window; whether it was a loss is learnt when the retransmission is answered.
     */
    public synchronized void onSilence(long sentUs, long nowUs, int inFlight) {
        silences++;
    }

    /**
     * A port was found filtered: its first try and its retransmission(s) all went unanswered while
     * this host answers other probes. That is a firewall dropping, not a congested path (a
     * retransmission into congestion gets through, which {@link #onReply} counts as a loss), so the
     * window grows as for an answer. Without it, a device whose firewall drops almost every port
     * (a production board: DROP policy, two services) would be scanned ten probes at a time all
     * along. A host that never answered gains nothing.
     */
    public synchronized void onFiltered(long nowUs) {
        if (srttUs < 0) return;
        if (cwnd < ssthresh) cwnd += 1;
        else cwnd += 1.0 / cwnd;
        if (cwnd > t.maxParallelism()) cwnd = t.maxParallelism();
    }

    /** nmap's host drop: only the first loss per window counts (probes sent before it are the same event). */
    private synchronized void drop(long nowUs, int inFlight) {
        drops++;
        ssthresh = Math.max(inFlight / 2.0, 2);
        cwnd = 1;
        lastDropUs = nowUs;
    }

    /** May another probe be sent to this host with {@code inFlight} already outstanding? */
    public synchronized boolean canSend(int inFlight) {
        return inFlight < Math.max(1, (int) (cwnd / shares));
    }

    /** The probe timeout now: srtt + 4·rttvar, clamped; the initial timeout before any sample. */
    public synchronized long timeoutUs() {
        return timeoutUs;
    }

    /**
     * How many retransmissions a silent port gets: nmap's rule — one more than the highest try that
     * ever got a reply from this host, capped by {@code --max-retries}. A lossless path thus costs one
     * retransmission per filtered port, a lossy one up to the cap.
     */
    public synchronized int allowedRetries() {
        return Math.min(t.maxRetries(), maxSuccessfulTry + 1);
    }

    public synchronized long srttUs() { return srttUs; }
    public synchronized long rttvarUs() { return rttvarUs; }
    public synchronized double cwnd() { return cwnd; }
    public synchronized double ssthresh() { return ssthresh; }
    public synchronized long replies() { return replies; }
    public synchronized long drops() { return drops; }
    public synchronized long silences() { return silences; }
    public synchronized int shares() { return shares; }

    /**
     * Lets {@code k} engine threads probe this host together (disjoint ports): they share the RTT
     * estimate, the window and the retry rule — any thread's answers teach all of them — and each
     * may have {@code cwnd / k} probes awaiting an answer, so the host never sees more than one
     * engine would send. Thread-safe from here on, as every method is.
     */
    public synchronized HostTiming sharedBy(int k) {
        shares = Math.max(1, k);
        return this;
    }
    public TimingTemplate template() { return t; }
}
