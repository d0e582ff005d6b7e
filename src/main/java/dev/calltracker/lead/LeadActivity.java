package dev.calltracker.lead;

import io.quarkus.runtime.annotations.RegisterForReflection;
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
        String recordingUrl,
        /** Who answered (answering-machine detection); null without it. */
        String answeredBy) {
}
