package dev.calltracker.call;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What the reconciler concluded about a call it claimed, to be applied through the same transition rule as
 * callbacks: stored as a {@code reconciler} event whose status word is the decision.
 */
public record ReconcilerFinding(String callSid, String decision, CallObservation observation, Map<String, String> params,
                                String dedupeKey, OffsetDateTime decidedAt) {

    /** The event that records it; its leg is the dialed leg when the call has one by then. */
    CallEvent toEvent(CallState next) {
        return new CallEvent(callSid, next.dialedSid() != null ? next.dialedSid() : callSid, CallEventKind.RECONCILER,
                decision, null, null, decidedAt, dedupeKey, params, observation);
    }
}
