package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateAndPacingTest {
    @Test
    void maxRateAllowsABurstOfATenthThenTheRate() {
        RateLimiter r = new RateLimiter(100);
        int got = 0;
        while (r.tryAcquire(0)) got++;
        assertThat(got).isEqualTo(10);
        assertThat(r.waitUs(0)).isEqualTo(10_000);
        assertThat(r.tryAcquire(9_999)).isFalse();
        assertThat(r.tryAcquire(10_000)).isTrue();
    }

    @Test
    void unlimitedNeverWaits() {
        RateLimiter r = new RateLimiter(0);
        for (int i = 0; i < 1000; i++) assertThat(r.tryAcquire(0)).isTrue();
    }

    @Test
    void pacerStartsEmptyAndLetsARetryGoOncePerTokenPeriod() {
        IcmpPacer p = new IcmpPacer();
        assertThat(p.mayRetry(0)).isFalse();          // pessimistic: the bucket may be empty
        assertThat(p.waitUs(0)).isEqualTo(1_000_000);
        assertThat(p.mayRetry(1_000_000)).isTrue();
        p.reserve(1_000_000);
        assertThat(p.mayRetry(1_000_000)).isFalse();
        p.unreachable(true, 1_000_100);              // the reserved token was spent
        assertThat(p.mayRetry(1_500_000)).isFalse();
        assertThat(p.mayRetry(2_000_100)).isTrue();
    }

    @Test
    void unplannedUnreachablesSpendModelTokensAndSilenceRefunds() {
        IcmpPacer p = new IcmpPacer();
        p.mayRetry(0);
        assertThat(p.mayRetry(3_000_000)).isTrue();  // 3 tokens
        p.unreachable(false, 3_000_000);             // first tries spent two of them
        p.unreachable(false, 3_000_000);
        p.reserve(3_000_000);
        assertThat(p.mayRetry(3_000_000)).isFalse();
        p.refund(3_100_000);                          // the retry stayed silent: token back
        assertThat(p.mayRetry(3_100_000)).isTrue();
    }

    @Test
    void aTargetAnsweringFasterThanTheModelRaisesTheRate() {
        IcmpPacer p = new IcmpPacer();
        for (int i = 0; i < 20; i++) p.unreachable(false, 1000 + i);  // loopback: no limit
        assertThat(p.rate()).isGreaterThan(IcmpPacer.LINUX_RATE);
    }

    @Test
    void fdBudgetReadsTheSoftLimitAndKeepsAReserve() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max cpu time              unlimited            unlimited            seconds   \n"
                + "Max open files            256                  524288               files     \n";
        assertThat(FdBudget.softNoFile(limits)).isEqualTo(256);
        assertThat(FdBudget.budget(256, 30)).isEqualTo(256 - 30 - FdBudget.RESERVE);
        assertThat(FdBudget.budget(1_000_000, 30)).isEqualTo(FdBudget.CEILING);
        assertThat(FdBudget.budget(40, 30)).isBetween(1, 8);
        assertThat(FdBudget.softNoFile("Max open files            unlimited    unlimited   files\n")).isEqualTo(-1);
    }
}
