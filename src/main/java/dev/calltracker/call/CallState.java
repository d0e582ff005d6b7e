package dev.calltracker.call;

import java.time.OffsetDateTime;

/**
 * What the service knows about one call: the dialed leg's outcome and the facts around it. Immutable;
 * {@link CallTransition} derives the next state from an observation, whose facts have this shape too.
 *
 * @param endedAtEstimated true when {@code endedAt} is the receipt time of a request without a Twilio
 *                         timestamp (the {@code <Dial action>}); a Twilio timestamp replaces it
 * @param resolution       how the terminal status was decided, null while the call is live
 * @param answeredBy       who answered, from answering-machine detection; null without it or until its result
 */
public record CallState(
        CallStatus status,
        String dialedSid,
        String toNumber,
        OffsetDateTime answeredAt,
        OffsetDateTime endedAt,
        boolean endedAtEstimated,
        Integer durationSeconds,
        String recordingSid,
        String recordingUrl,
        Integer recordingDurationSeconds,
        OffsetDateTime parentEndedAt,
        Source resolution,
        AnsweredBy answeredBy) {

    /** The same state, with who answered. */
    public CallState withAnsweredBy(AnsweredBy who) {
        return new CallState(status, dialedSid, toNumber, answeredAt, endedAt, endedAtEstimated, durationSeconds,
                recordingSid, recordingUrl, recordingDurationSeconds, parentEndedAt, resolution, who);
    }
}
