package dev.calltracker.lead;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One entry of a lead's timeline as the CRM reads it. */
@RegisterForReflection
public record LeadActivity(
        UUID id,
        String type,
        String callSid,
        String toNumber,
        String status,
        Integer durationSeconds,
        OffsetDateTime startedAt,
        OffsetDateTime answeredAt,
        OffsetDateTime endedAt,
        String recordingUrl) {

    static LeadActivity from(Row r) {
        return new LeadActivity(r.getUUID("id"), r.getString("type"), r.getString("call_sid"),
                r.getString("to_number"), r.getString("status"), r.getInteger("duration_seconds"),
                r.getOffsetDateTime("started_at"), r.getOffsetDateTime("answered_at"),
                r.getOffsetDateTime("ended_at"), r.getString("recording_url"));
    }
}
