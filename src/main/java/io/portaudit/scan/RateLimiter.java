package io.portaudit.scan;

/**
 * Token bucket for {@code --max-rate} and a pace for {@code --min-rate}; time injected (µs).
 * {@code --max-rate} R allows a burst of at most max(1, R/10) probes, then R per second.
 */
public final class RateLimiter {
    private final double perUs;
    private final double burst;
    private double tokens;
    private long lastUs;
    private boolean started;

    /** @param ratePerSecond probes per second; 0 or less means unlimited */
    public RateLimiter(double ratePerSecond) {
        this.perUs = ratePerSecond <= 0 ? 0 : ratePerSecond / 1_000_000.0;
        this.burst = ratePerSecond <= 0 ? 0 : Math.max(1, ratePerSecond / 10);
    }

    public boolean unlimited() {
        return perUs == 0;
    }

    private void refill(long nowUs) {
        if (!started) {
            started = true;
            lastUs = nowUs;
            tokens = burst;
            return;
        }
        if (nowUs > lastUs) {
            tokens = Math.min(burst, tokens + (nowUs - lastUs) * perUs);
            lastUs = nowUs;
        }
    }

    /** Takes one token if available. */
    public boolean tryAcquire(long nowUs) {
        if (perUs == 0) return true;
        refill(nowUs);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Microseconds until a token is available (0 if now). */
    public long waitUs(long nowUs) {
        if (perUs == 0) return 0;
        refill(nowUs);
        if (tokens >= 1) return 0;
        return (long) Math.ceil((1 - tokens) / perUs);
    }
}
