package io.portaudit.scan;

/**
 * Paces UDP probes to a target's ICMP error rate limit instead of retrying blindly. A probe to a
 * closed port costs the target one ICMP "token" (Linux {@code icmp_ratelimit}: a burst of 6, then one
 * per {@code icmp_ratelimit} ms = 1/s per peer); a probe is only sent while the model says a token is
 * there, so each closed port's port-unreachable actually arrives and silence means open|filtered.
 * Answers and silences refund the token (no ICMP was spent). The rate estimate rises while
 * exploratory probes (sent with an empty bucket) are answered, and stops rising at the first sign of
 * limiting (a silent port that later answers port-unreachable). Time is injected (µs).
 */
public final class IcmpPacer {
    public static final double LINUX_BURST = 6;
    public static final double LINUX_RATE = 1.0;
    public static final double MAX_RATE = 100_000;

    private double rate;       // tokens per second
    private double burst;
    private double tokens;
    private long lastUs = Long.MIN_VALUE;
    private boolean exploring = true;
    private boolean explorationOutstanding;

    public IcmpPacer() {
        this(LINUX_BURST, LINUX_RATE);
    }

    public IcmpPacer(double burst, double rate) {
        this.burst = burst;
        this.rate = rate;
        this.tokens = burst;
    }

    private void refill(long nowUs) {
        if (lastUs == Long.MIN_VALUE) lastUs = nowUs;
        if (nowUs > lastUs) {
            tokens = Math.min(burst, tokens + (nowUs - lastUs) * rate / 1e6);
            lastUs = nowUs;
        }
    }

    /** What kind of send is allowed now: a paced one, an exploratory one, or none. */
    public enum Permit { PACED, EXPLORE, NONE }

    public Permit permit(long nowUs) {
        refill(nowUs);
        if (tokens >= 1) return Permit.PACED;
        if (exploring && !explorationOutstanding) return Permit.EXPLORE;
        return Permit.NONE;
    }

    /** A probe was sent under the given permit. */
    public void sent(Permit p, long nowUs) {
        refill(nowUs);
        if (p == Permit.PACED) tokens -= 1;
        else if (p == Permit.EXPLORE) explorationOutstanding = true;
    }

    /** Port-unreachable arrived for a probe sent under {@code p}. */
    public void unreachable(Permit p, long nowUs) {
        refill(nowUs);
        if (p == Permit.EXPLORE) {
            explorationOutstanding = false;
            if (!exploring) return;
            // the target answered with an empty modelled bucket: its limit is higher than we thought
            rate = Math.min(MAX_RATE, Math.max(rate * 2, 2));
            burst = Math.max(burst, Math.min(MAX_RATE / 10, rate / 4));
        }
    }

    /** A reply or a silence: the probe spent no ICMP token (as far as we can know). */
    public void noIcmp(Permit p, long nowUs) {
        refill(nowUs);
        if (p == Permit.PACED) tokens = Math.min(burst, tokens + 1);
        else if (p == Permit.EXPLORE) explorationOutstanding = false;
    }

    /** A port that was silent earlier answered port-unreachable now: the earlier probe hit the limit. */
    public void limitSeen() {
        exploring = false;
        rate = Math.max(LINUX_RATE, rate / 2);
    }

    /** Microseconds until a paced token is due. */
    public long waitUs(long nowUs) {
        refill(nowUs);
        if (tokens >= 1) return 0;
        return (long) Math.ceil((1 - tokens) / rate * 1e6);
    }

    public double rate() { return rate; }
    public double burst() { return burst; }
    public double tokens() { return tokens; }
    public boolean exploring() { return exploring; }
}
