package dev.calltracker.call;

/**
 * The one transition rule every event goes through, callbacks and reconciler alike.
 *
 * <ul>
 *   <li>The status only moves forward ({@link CallStatus#mayBecome}); a terminal status is final, so
 *       late, duplicated or reordered events never move a call backwards.</li>
 *   <li>Who answered (answering-machine detection) is a fact like the others: first value wins.</li>
 *   <li>Facts arriving late are still filled in (dialed sid, duration, times, recording), but a fact
 *       already known is not replaced, except an estimated end time by Twilio's own timestamp and an
 *       earlier recording URL by the completed recording's.</li>
 * </ul>
 *
 * Because every field is either "forward only" or "first value wins" (with the two explicit
 * precedences above), the final state does not depend on the order the events arrive in.
 */
public final class CallTransition {

    private CallTransition() {
    }

    public static CallState apply(CallState s, CallObservation observation) {
        CallState o = observation.reported();
        CallStatus status = s.status();
        Source resolution = s.resolution();
        if (o.status() != null && s.status().mayBecome(o.status())) {
            status = o.status();
            if (status.isTerminal()) {
                resolution = observation.source();
            }
        }

        var endedAt = s.endedAt();
        boolean endedAtEstimated = s.endedAtEstimated();
        if (o.endedAt() != null && (endedAt == null || (endedAtEstimated && !o.endedAtEstimated()))) {
            endedAt = o.endedAt();
            endedAtEstimated = o.endedAtEstimated();
        }

        String recordingUrl = s.recordingUrl();
        if (o.recordingUrl() != null && (recordingUrl == null || observation.recordingFinal())) {
            recordingUrl = o.recordingUrl();
        }

        return new CallState(
                status,
                firstKnown(s.dialedSid(), o.dialedSid()),
                firstKnown(s.toNumber(), o.toNumber()),
                firstKnown(s.answeredAt(), o.answeredAt()),
                endedAt,
                endedAtEstimated,
                firstKnown(s.durationSeconds(), o.durationSeconds()),
                firstKnown(s.recordingSid(), o.recordingSid()),
                recordingUrl,
                firstKnown(s.recordingDurationSeconds(), o.recordingDurationSeconds()),
                firstKnown(s.parentEndedAt(), o.parentEndedAt()),
                resolution,
                // Twilio sends one AMD result per dialed leg; the REST API's answered_by is the same result.
                firstKnown(s.answeredBy(), o.answeredBy()));
    }

    private static <T> T firstKnown(T current, T incoming) {
        return current != null ? current : incoming;
    }
}
