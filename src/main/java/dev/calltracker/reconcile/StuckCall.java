package dev.calltracker.reconcile;

import dev.calltracker.call.CallStatus;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A claimed candidate: what the service knew about the call when the reconciler took it. */
public record StuckCall(UUID id, String callSid, String dialedSid, CallStatus status, Integer durationSeconds,
                        OffsetDateTime answeredAt, OffsetDateTime createdAt, OffsetDateTime lastEventAt,
                        OffsetDateTime parentEndedAt, int checks, OffsetDateTime checkedAt) {

    static final String COLUMNS = "id, call_sid, dialed_call_sid, status, duration_seconds, answered_at, created_at, "
            + "last_event_at, parent_ended_at, reconcile_checks, reconcile_checked_at";

    static StuckCall from(Row r) {
        return new StuckCall(r.getUUID("id"), r.getString("call_sid"), r.getString("dialed_call_sid"),
                CallStatus.fromStored(r.getString("status")).orElseThrow(), r.getInteger("duration_seconds"),
                r.getOffsetDateTime("answered_at"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("last_event_at"), r.getOffsetDateTime("parent_ended_at"),
                r.getInteger("reconcile_checks"), r.getOffsetDateTime("reconcile_checked_at"));
    }

    /** Staleness is measured from the last event, or from creation for rows that never had one. */
    OffsetDateTime staleSince() {
        return lastEventAt != null ? lastEventAt : createdAt;
    }

    /** Examinations that left the call open since its last event: an event starts the back-off again. */
    int checksSinceLastEvent() {
        return checkedAt != null && !staleSince().isAfter(checkedAt) ? checks : 0;
    }
}
