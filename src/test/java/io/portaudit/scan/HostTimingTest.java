package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostTimingTest {
    private final TimingTemplate t4 = TimingTemplate.of(4);

    @Test
    void templatesCarryNmapsDocumentedValues() {
        assertThat(t4.initialRttTimeoutUs()).isEqualTo(500_000);
        assertThat(t4.minRttTimeoutUs()).isEqualTo(100_000);
        assertThat(t4.maxRttTimeoutUs()).isEqualTo(1_250_000);
        assertThat(t4.maxRetries()).isEqualTo(6);
        TimingTemplate t5 = TimingTemplate.of(5);
        assertThat(t5.initialRttTimeoutUs()).isEqualTo(250_000);
        assertThat(t5.minRttTimeoutUs()).isEqualTo(50_000);
        assertThat(t5.maxRttTimeoutUs()).isEqualTo(300_000);
        assertThat(t5.maxRetries()).isEqualTo(2);
        TimingTemplate t3 = TimingTemplate.of(3);
        assertThat(t3.initialRttTimeoutUs()).isEqualTo(1_000_000);
        assertThat(t3.maxRttTimeoutUs()).isEqualTo(10_000_000);
        assertThat(t3.maxRetries()).isEqualTo(10);
        assertThat(TimingTemplate.of(0).scanDelayUs()).isEqualTo(300_000_000L);
        assertThat(TimingTemplate.of(1).scanDelayUs()).isEqualTo(15_000_000L);
        assertThat(TimingTemplate.of(2).scanDelayUs()).isEqualTo(400_000);
        assertThat(TimingTemplate.of(2).maxParallelism()).isEqualTo(1);
    }

    @Test
    void beforeAnySampleTheInitialTimeoutApplies() {
        assertThat(new HostTiming(t4).timeoutUs()).isEqualTo(500_000);
    }

    @Test
    void firstSampleSetsSrttAndRttvarAsRfc6298WithNmapsFloor() {
        HostTiming h = new HostTiming(TimingTemplate.of(3));
        h.onReply(1_000_000, 1_200_000, 0);  // R = 200 ms
        assertThat(h.srttUs()).isEqualTo(200_000);
        assertThat(h.rttvarUs()).isEqualTo(200_000);  // max(5 ms, min(R, 2 s))
        assertThat(h.timeoutUs()).isEqualTo(200_000 + 4 * 200_000);
    }

    @Test
    void laterSamplesSmoothWithGainsOneEighthAndOneQuarter() {
        HostTiming h = new HostTiming(TimingTemplate.of(3));
        h.onReply(0, 200_000, 0);
        h.onReply(0, 280_000, 0);  // R = 280 ms: delta 80 ms
        assertThat(h.srttUs()).isEqualTo(200_000 + 80_000 / 8);
        assertThat(h.rttvarUs()).isEqualTo(200_000 + (80_000 - 200_000) / 4);
        assertThat(h.timeoutUs()).isEqualTo(h.srttUs() + 4 * h.rttvarUs());
    }

    @Test
    void timeoutIsClampedToTheTemplate() {
        HostTiming fast = new HostTiming(t4);
        fast.onReply(0, 100, 0);  // 0.1 ms on a veth: srtt + 4·5 ms = 20.1 ms < min 100 ms
        assertThat(fast.timeoutUs()).isEqualTo(100_000);
        HostTiming slow = new HostTiming(t4);
        slow.onReply(0, 900_000, 0);  // 0.9 s + 4·0.9 s > max 1.25 s
        assertThat(slow.timeoutUs()).isEqualTo(1_250_000);
    }

    @Test
    void windowGrowsBySlowStartThenCongestionAvoidance() {
        HostTiming h = new HostTiming(TimingTemplate.of(3));
        assertThat(h.cwnd()).isEqualTo(10);
        for (int i = 0; i < 5; i++) h.onReply(0, 1000, 0);
        assertThat(h.cwnd()).isEqualTo(15);
        assertThat(h.canSend(14)).isTrue();
        assertThat(h.canSend(15)).isFalse();
    }

    @Test
    void windowNeverExceedsTheParallelismCeiling() {
        HostTiming h = new HostTiming(TimingTemplate.of(3));
        for (int i = 0; i < 1000; i++) h.onReply(0, 1000, 0);
        assertThat(h.cwnd()).isEqualTo(TimingTemplate.DEFAULT_HOST_PARALLELISM);
    }

    @Test
    void anAnsweredRetransmissionIsALossAndCollapsesTheWindowOncePerEvent() {
        HostTiming h = new HostTiming(TimingTemplate.of(3));
        for (int i = 0; i < 20; i++) h.onReply(0, 1000, 0);
        h.onReply(5_000, 10_000, 1, 40);  // retransmission answered at t=10 ms
        assertThat(h.cwnd()).isEqualTo(1);
        assertThat(h.ssthresh()).isEqualTo(20);
        h.onReply(6_000, 11_000, 0, 40);  // ordinary reply: grows again
        assertThat(h.cwnd()).isEqualTo(2);
        h.onReply(4_000, 12_000, 1, 40);  // sent before the drop: same loss event, no second collapse
        assertThat(h.cwnd()).isEqualTo(3);
        assertThat(h.drops()).isEqualTo(1);
    }

    @Test
    void aConfirmedFilteredPortGrowsTheWindowOfAHostThatAnswers() {
        HostTiming h = new HostTiming(TimingTemplate.of(4));
        h.onFiltered(1_000);
        assertThat(h.cwnd()).as("a host that never answered gains nothing").isEqualTo(10);
        h.onReply(0, 500, 0);
        assertThat(h.cwnd()).isEqualTo(11);
        h.onFiltered(2_000);
        assertThat(h.cwnd()).as("slow start, as for an answer").isEqualTo(12);
        for (int i = 0; i < 1000; i++) h.onFiltered(3_000);
        assertThat(h.cwnd()).isLessThanOrEqualTo(TimingTemplate.of(4).maxParallelism());
    }

    @Test
    void silenceAloneDoesNotShrinkTheWindow() {
        HostTiming h = new HostTiming(TimingTemplate.of(3));
        h.onSilence(0, 1_000_000, 10);
        assertThat(h.cwnd()).isEqualTo(10);
        assertThat(h.silences()).isEqualTo(1);
    }

    @Test
    void retriesFollowTheHighestAnsweredTryCappedByMaxRetries() {
        HostTiming h = new HostTiming(TimingTemplate.of(4));
        assertThat(h.allowedRetries()).isEqualTo(1);
        h.onReply(0, 1000, 3, 1);
        assertThat(h.allowedRetries()).isEqualTo(4);
        HostTiming none = new HostTiming(TimingTemplate.of(4).withMaxRetries(0));
        assertThat(none.allowedRetries()).isZero();
    }
}
