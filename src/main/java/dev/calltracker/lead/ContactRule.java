package dev.calltracker.lead;

import dev.calltracker.call.CallState;
import dev.calltracker.call.CallStatus;
import java.time.OffsetDateTime;

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

    /** When this call reached its lead, or null if it did not (yet): the end time once completed, else the answer time. */
    public static OffsetDateTime contactTime(CallState call) {
        if (call.status() == CallStatus.COMPLETED) {
            return call.endedAt() != null ? call.endedAt() : call.answeredAt();
        }
        if (call.status() == CallStatus.IN_PROGRESS) {
            return call.answeredAt();
        }
        return null;
    }
}
