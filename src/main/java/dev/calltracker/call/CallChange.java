package dev.calltracker.call;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * What an event does to a call: its next state under {@link CallTransition}, and the write on its lead that
 * {@link ContactRule} requires with it.
 */
public record CallChange(CallRow call, CallState next, Optional<LeadContact> leadContact) {

    /**
     * The change an observation makes, or empty when the call already knew everything it says. An AMD result
     * stored for the call's dialed leg before the call knew that leg comes with it.
     */
    public static Optional<CallChange> of(CallRow call, CallObservation observation, ContactRule contactRule) {
        CallState next = CallTransition.apply(call.state(), observation.withAnsweredBy(call.waitingAnsweredBy()));
        if (next.equals(call.state())) {
            return Optional.empty();
        }
        return Optional.of(new CallChange(call, next,
                contactRule.leadContact(call.leadId(), call.state(), next)));
    }

    /**
     * Whether the change shows on the lead's timeline: a field its activity ({@code lead_activities}) holds
     * differs. Only such a change is numbered and announced to the live streams.
     */
    public boolean changesTimeline() {
        CallState before = call.state();
        return before.status() != next.status()
                || !Objects.equals(before.durationSeconds(), next.durationSeconds())
                || !sameInstant(before.answeredAt(), next.answeredAt())
                || !sameInstant(before.endedAt(), next.endedAt())
                || !Objects.equals(before.recordingUrl(), next.recordingUrl())
                || before.answeredBy() != next.answeredBy();
    }

    /** Whether two times (either may be missing) are the same instant, whatever their offsets. */
    static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }

    /**
     * The change of linking a lead to a call that may already have reached it (its callbacks came before the
     * voice webhook that names the lead): empty when there is nothing to write on the lead.
     */
    public static Optional<CallChange> leadLinked(CallRow call, ContactRule contactRule) {
        return contactRule.leadContact(call.leadId(), null, call.state())
                .map(contact -> new CallChange(call, call.state(), Optional.of(contact)));
    }
}
