package dev.calltracker.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallTransitionTest {

    static final OffsetDateTime T = OffsetDateTime.of(2026, 11, 25, 10, 0, 0, 0, ZoneOffset.UTC);
    static final List<CallStatus> PROGRESS = List.of(CallStatus.QUEUED, CallStatus.INITIATED, CallStatus.RINGING,
            CallStatus.IN_PROGRESS);

    static CallState in(CallStatus status) {
        return new CallState(status, null, null, null, null, false, null, null, null, null, null,
                status.isTerminal() ? Source.CALLBACK : null, null);
    }

    static CallObservation says(CallStatus status) {
        return CallObservation.from(Source.CALLBACK).status(status, T, false).build();
    }

    @Test
    void everyStatusPairMovesOnlyForwardAndNeverOutOfTerminal() {
        for (CallStatus from : CallStatus.values()) {
            for (CallStatus to : CallStatus.values()) {
                CallStatus result = CallTransition.apply(in(from), says(to)).status();
                if (from.isTerminal()) {
                    assertThat(result).as("%s then %s", from, to).isEqualTo(from);
                } else if (to.isTerminal() || PROGRESS.indexOf(to) > PROGRESS.indexOf(from)) {
                    assertThat(result).as("%s then %s", from, to).isEqualTo(to);
                } else {
                    assertThat(result).as("%s then %s", from, to).isEqualTo(from);
                }
            }
        }
    }

    @Test
    void progressOrderIsQueuedInitiatedRingingInProgressTerminal() {
        assertThat(CallStatus.QUEUED.mayBecome(CallStatus.INITIATED)).isTrue();
        assertThat(CallStatus.INITIATED.mayBecome(CallStatus.RINGING)).isTrue();
        assertThat(CallStatus.RINGING.mayBecome(CallStatus.IN_PROGRESS)).isTrue();
        assertThat(CallStatus.IN_PROGRESS.mayBecome(CallStatus.COMPLETED)).isTrue();
        assertThat(CallStatus.RINGING.mayBecome(CallStatus.NO_ANSWER)).isTrue();
        assertThat(CallStatus.IN_PROGRESS.mayBecome(CallStatus.RINGING)).isFalse();
        assertThat(CallStatus.COMPLETED.mayBecome(CallStatus.BUSY)).isFalse();
        assertThat(CallStatus.UNKNOWN.mayBecome(CallStatus.COMPLETED)).isFalse();
    }

    @Test
    void twilioCannotSendOurUnknownStatus() {
        assertThat(CallStatus.fromTwilio("unknown")).isEmpty();
        assertThat(CallStatus.fromStored("unknown")).contains(CallStatus.UNKNOWN);
        assertThat(CallStatus.fromTwilio("no-answer")).contains(CallStatus.NO_ANSWER);
        assertThat(CallStatus.fromTwilio("answered")).isEmpty();
    }

    @Test
    void terminalStatusRecordsHowItWasDecided() {
        CallState next = CallTransition.apply(in(CallStatus.RINGING),
                CallObservation.from(Source.TWILIO_API).status(CallStatus.BUSY, T, false).build());
        assertThat(next.resolution()).isEqualTo(Source.TWILIO_API);
        CallState later = CallTransition.apply(next, says(CallStatus.COMPLETED));
        assertThat(later.resolution()).isEqualTo(Source.TWILIO_API);
        assertThat(later.status()).isEqualTo(CallStatus.BUSY);
    }

    @Test
    void lateDataIsFilledInOnATerminalCallButKnownFactsStay() {
        CallState closed = CallTransition.apply(in(CallStatus.IN_PROGRESS), says(CallStatus.COMPLETED));
        CallObservation late = CallObservation.from(Source.CALLBACK).dialedSid("CAchild").durationSeconds(42)
                .recording("RE1", "https://r/1", 40, true).endedAt(T.plusHours(1), false).build();
        CallState next = CallTransition.apply(closed, late);
        assertThat(next.durationSeconds()).isEqualTo(42);
        assertThat(next.dialedSid()).isEqualTo("CAchild");
        assertThat(next.recordingUrl()).isEqualTo("https://r/1");
        assertThat(next.endedAt()).as("a known end time is not replaced").isEqualTo(T);

        CallState again = CallTransition.apply(next, CallObservation.from(Source.CALLBACK).durationSeconds(7).build());
        assertThat(again.durationSeconds()).isEqualTo(42);
    }

    @Test
    void twiliosTimestampReplacesAnEstimatedEndButNotTheOtherWayRound() {
        CallState estimated = CallTransition.apply(in(CallStatus.IN_PROGRESS),
                CallObservation.from(Source.CALLBACK).status(CallStatus.COMPLETED, T.plusMinutes(5), true).build());
        assertThat(estimated.endedAtEstimated()).isTrue();
        CallState exact = CallTransition.apply(estimated, says(CallStatus.COMPLETED));
        assertThat(exact.endedAt()).isEqualTo(T);
        assertThat(exact.endedAtEstimated()).isFalse();
        CallState still = CallTransition.apply(exact,
                CallObservation.from(Source.CALLBACK).status(CallStatus.COMPLETED, T.plusMinutes(9), true).build());
        assertThat(still.endedAt()).isEqualTo(T);
    }

    @Test
    void theCompletedRecordingsUrlReplacesAnEarlierOne() {
        CallState withActionUrl = CallTransition.apply(in(CallStatus.COMPLETED),
                CallObservation.from(Source.CALLBACK).recording(null, "https://r/early", null, false).build());
        CallState withFinal = CallTransition.apply(withActionUrl,
                CallObservation.from(Source.CALLBACK).recording("RE1", "https://r/final", 40, true).build());
        assertThat(withFinal.recordingUrl()).isEqualTo("https://r/final");
        CallState notBack = CallTransition.apply(withFinal,
                CallObservation.from(Source.CALLBACK).recording(null, "https://r/early", null, false).build());
        assertThat(notBack.recordingUrl()).isEqualTo("https://r/final");
    }

    @Test
    void anObservationWithoutStatusChangesNoStatus() {
        CallState ringing = in(CallStatus.RINGING);
        CallState next = CallTransition.apply(ringing, CallObservation.from(Source.CALLBACK).parentEndedAt(T).build());
        assertThat(next.status()).isEqualTo(CallStatus.RINGING);
        assertThat(next.parentEndedAt()).isEqualTo(T);
    }
}
