package dev.calltracker.call;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A {@code call_recordings} row as the transition code needs it: identity, lead, and state.
 *
 * @param waitingAnsweredBy the AMD result stored for the call's dialed leg (column {@code amd_answered_by} of
 *                          the statements that look it up), null when there is none or the statement did not look
 */
public record CallRow(UUID id, String callSid, UUID leadId, OffsetDateTime createdAt, OffsetDateTime lastEventAt,
                      CallState state, AnsweredBy waitingAnsweredBy) {

    static CallRow from(Row r) {
        String status = r.getString("status");
        CallState state = new CallState(
                CallStatus.fromStored(status).orElseThrow(
                        () -> new IllegalStateException("call " + r.getString("call_sid") + " has unknown status " + status)),
                r.getString("dialed_call_sid"),
                r.getString("to_number"),
                r.getOffsetDateTime("answered_at"),
                r.getOffsetDateTime("ended_at"),
                Boolean.TRUE.equals(r.getBoolean("ended_at_estimated")),
                r.getInteger("duration_seconds"),
                r.getString("recording_sid"),
                r.getString("recording_url"),
                r.getInteger("recording_duration_seconds"),
                r.getOffsetDateTime("parent_ended_at"),
                resolution(r.getString("resolution")),
                AnsweredBy.fromTwilio(r.getString("answered_by")).orElse(null));
        AnsweredBy waiting = r.getDelegate().getColumnIndex("amd_answered_by") < 0 ? null
                : AnsweredBy.fromTwilio(r.getString("amd_answered_by")).orElse(null);
        return new CallRow(r.getUUID("id"), r.getString("call_sid"), r.getUUID("lead_id"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("last_event_at"), state, waiting);
    }

    private static Source resolution(String value) {
        if (value == null) {
            return null;
        }
        for (Source r : Source.values()) {
            if (r.value().equals(value)) {
                return r;
            }
        }
        return null;
    }
}
