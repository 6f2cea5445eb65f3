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
    void pacerSpendsTheLinuxBurstThenWaitsOneSecondPerUnreachable() {
        IcmpPacer p = new IcmpPacer();
        for (int i = 0; i < 6; i++) {
            assertThat(p.permit(0)).isEqualTo(IcmpPacer.Permit.PACED);
            p.sent(IcmpPacer.Permit.PACED, 0);
            p.unreachable(IcmpPacer.Permit.PACED, 1000);
        }
        // the bucket is empty: one exploratory probe is allowed to learn whether the limit is higher
        assertThat(p.permit(1000)).isEqualTo(IcmpPacer.Permit.EXPLORE);
        p.sent(IcmpPacer.Permit.EXPLORE, 1000);
        assertThat(p.permit(1000)).isEqualTo(IcmpPacer.Permit.NONE);
        // it went unanswered, and the port later answers port-unreachable: the limit is real
        p.noIcmp(IcmpPacer.Permit.EXPLORE, 200_000);
        p.limitSeen();
        assertThat(p.exploring()).isFalse();
        assertThat(p.rate()).isEqualTo(1.0);
        assertThat(p.permit(200_000)).isEqualTo(IcmpPacer.Permit.NONE);
        assertThat(p.waitUs(200_000)).isEqualTo(800_000);
        assertThat(p.permit(1_000_000)).isEqualTo(IcmpPacer.Permit.PACED);
    }

    @Test
    void answeredExplorationRaisesTheRate() {
        IcmpPacer p = new IcmpPacer(1, 1);
        p.sent(IcmpPacer.Permit.PACED, 0);
        p.unreachable(IcmpPacer.Permit.PACED, 10);
        assertThat(p.permit(10)).isEqualTo(IcmpPacer.Permit.EXPLORE);
        p.sent(IcmpPacer.Permit.EXPLORE, 10);
        p.unreachable(IcmpPacer.Permit.EXPLORE, 20);  // a loopback target: no limit
        assertThat(p.rate()).isEqualTo(2);
    }

    @Test
    void silenceRefundsTheToken() {
        IcmpPacer p = new IcmpPacer(1, 1);
        p.sent(IcmpPacer.Permit.PACED, 0);
        p.noIcmp(IcmpPacer.Permit.PACED, 100);
        assertThat(p.permit(100)).isEqualTo(IcmpPacer.Permit.PACED);
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
