package dev.calltracker.call;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One accepted request about a call, as appended to {@code call_events}, with what it says about the call.
 *
 * @param callSid    the call (the parent leg's sid), the key of {@code call_recordings}; for an AMD result,
 *                   which names only the dialed leg, the dialed leg's sid (the statement finds the call)
 * @param legSid     the leg the request was about (the dialed leg for its status callbacks)
 * @param dedupeKey  equal for re-deliveries of the same event, so a retry is stored once and applied once;
 *                   unique with {@code callSid} (what the key names gives the sid the event is stored under)
 */
public record CallEvent(
        String callSid,
        String legSid,
        CallEventKind kind,
        String statusWord,
        Integer sequenceNumber,
        OffsetDateTime twilioTimestamp,
        OffsetDateTime receivedAt,
        String dedupeKey,
        Map<String, String> params,
        CallObservation observation) {
}
