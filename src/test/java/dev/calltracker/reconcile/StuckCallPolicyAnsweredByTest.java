package dev.calltracker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.call.AnsweredBy;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The reconciler takes who answered from Twilio's Call resource when the AMD callback was lost. */
class StuckCallPolicyAnsweredByTest {

    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 24, 10, 0, 0, 0, ZoneOffset.UTC);

    static TwilioCall dialedLeg(String answeredBy) {
        return new TwilioCall("CA" + "1".repeat(32), "CA" + "2".repeat(32), "completed", "42",
                "Tue, 24 Nov 2026 09:00:00 +0000", "Tue, 24 Nov 2026 09:00:42 +0000", "+15551230000", answeredBy);
    }

    @Test
    void twiliosAnsweredByFillsALostAmdResult() {
        StuckCallPolicy.Decision decision = StuckCallPolicy.fromDialedLeg(dialedLeg("machine_end_beep"), NOW);
        assertThat(decision.observation().answeredBy()).isEqualTo(AnsweredBy.MACHINE_END_BEEP);
        assertThat(decision.evidence()).containsEntry("answered_by", "machine_end_beep");
    }

    @Test
    void aCallDialedWithoutDetectionGetsNoResult() {
        StuckCallPolicy.Decision decision = StuckCallPolicy.fromDialedLeg(dialedLeg(null), NOW);
        assertThat(decision.observation().answeredBy()).isNull();
        assertThat(decision.evidence()).doesNotContainKey("answered_by");
    }
}
