package io.portaudit.scan;

/**
 * Paces UDP retransmissions to a target's ICMP error rate limit instead of retrying blindly
 * (Linux {@code icmp_ratelimit}: a burst of 6 port-unreachables, then one per second per peer).
 * A retransmission is what turns a silence into "open|filtered", so it must reach the target when
 * the target has an ICMP token to answer a closed port with; first tries may go at any speed (their
 * silence is never trusted). The model is pessimistic: it starts with an empty bucket and counts
 * every port-unreachable seen as a token the target spent, so it never believes in a token the
 * target does not have. A retry reserves a token; a silent retry gives it back. When the target
 * answers more port-unreachables than the modelled rate allows, the rate estimate doubles (a target
 * without a limit, such as loopback, is paced by nothing). Time is injected (µs).
 */
public final class IcmpPacer {
    public static final double LINUX_BURST = 6;
    public static final double LINUX_RATE = 1.0;
    public static final double MAX_RATE = 1_000_000;

    private double rate;
    private double burst;
    private double tokens;
    private double balance;
    private long lastUs = Long.MIN_VALUE;

    public IcmpPacer() {
        this(LINUX_BURST, LINUX_RATE);
    }

    public IcmpPacer(double burst, double rate) {
        this.burst = burst;
        this.rate = rate;
    }

    private void refill(long nowUs) {
        if (lastUs == Long.MIN_VALUE) lastUs = nowUs;
        if (nowUs > lastUs) {
            double add = (nowUs - lastUs) * rate / 1e6;
            tokens = Math.min(burst, tokens + add);
            balance = Math.min(burst, balance + add);
            lastUs = nowUs;
        }
    }

    /** May a retransmission go now (the target surely has a token for it)? */
    public boolean mayRetry(long nowUs) {
        refill(nowUs);
        return tokens >= 1;
    }

    /** A retransmission was sent: its token is reserved. */
    public void reserve(long nowUs) {
        refill(nowUs);
        tokens -= 1;
        balance -= 1;
    }

    /** A reserved token was not spent (the retry got a datagram back or stayed silent). */
    public void refund(long nowUs) {
        refill(nowUs);
        tokens = Math.min(burst, tokens + 1);
        balance = Math.min(burst, balance + 1);
    }

    /** A port-unreachable arrived; {@code reserved} when it answers a retry that reserved a token. */
    public void unreachable(boolean reserved, long nowUs) {
        refill(nowUs);
        if (!reserved) {
            tokens = Math.max(0, tokens - 1);
            balance -= 1;
        }
        if (balance < -burst - 1) {
            // more answers than a bucket of this rate can give: the limit is higher
            rate = Math.min(MAX_RATE, rate * 2);
            burst = Math.max(burst, Math.min(1000, rate / 4));
            balance = 0;
        }
    }

    /** Microseconds until a retry may go. */
    public long waitUs(long nowUs) {
        refill(nowUs);
        if (tokens >= 1) return 0;
        return (long) Math.ceil((1 - tokens) / rate * 1e6);
    }

    public double rate() { return rate; }
    public double burst() { return burst; }
    public double tokens() { return tokens; }
}
