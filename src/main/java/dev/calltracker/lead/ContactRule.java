package dev.calltracker.lead;

import dev.calltracker.call.CallState;
import dev.calltracker.call.CallStatus;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * What makes a lead "contacted": the dialed leg was answered ({@code in-progress}) or ended
 * {@code completed} (audio was connected: a person, a menu or a voicemail). {@code busy},
 * {@code no-answer}, {@code failed}, {@code canceled} and {@code unknown} never contact a lead.
 */
public final class ContactRule {

    private ContactRule() {
    }

    /** The statuses of a call that reached its lead (answered, or ended after audio was connected). */
    public static final java.util.Set<CallStatus> CONNECTED = java.util.EnumSet.of(CallStatus.IN_PROGRESS, CallStatus.COMPLETED);

    /**
     * The lead write a change of a call requires, the one place that decides it: present when the call has a
     * lead and its contact time changed.
     *
     * @param before the call before the change, or null when the lead was only now linked to the call
     */
    public static Optional<LeadContact> leadContact(UUID leadId, CallState before, CallState after) {
        OffsetDateTime was = before == null ? null : contactTime(before);
        OffsetDateTime now = contactTime(after);
        if (leadId == null || now == null || now.equals(was)) {
            return Optional.empty();
        }
        return Optional.of(new LeadContact(now, was));
    }

    /** When this call reached its lead, or null if it did not (yet): the end time once completed, else the answer time. */
    static OffsetDateTime contactTime(CallState call) {
        if (call.status() == CallStatus.COMPLETED) {
            return call.endedAt() != null ? call.endedAt() : call.answeredAt();
        }
        if (call.status() == CallStatus.IN_PROGRESS) {
            return call.answeredAt();
        }
        return null;
    }
}
