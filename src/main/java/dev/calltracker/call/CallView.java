package dev.calltracker.call;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One call with its ordered event history, as {@code GET /api/calls/{callSid}} answers it.
 *
 * @param answeredBy who answered (answering-machine detection), null without detection or until its result
 */
@RegisterForReflection
public record CallView(UUID id, String callSid, String dialedCallSid, UUID leadId, String toNumber, String caller,
                       String status, String answeredBy, String resolution, Integer durationSeconds, OffsetDateTime createdAt,
                       OffsetDateTime answeredAt, OffsetDateTime endedAt, boolean endedAtEstimated,
                       OffsetDateTime parentEndedAt, String recordingSid, String recordingUrl,
                       Integer recordingDurationSeconds, OffsetDateTime lastEventAt, OffsetDateTime updatedAt,
                       List<Event> events) {

    /** One stored event of the call, with the parameters it arrived with. */
    @RegisterForReflection
    public record Event(long id, String kind, String legSid, String status, Integer sequenceNumber,
                        OffsetDateTime twilioTimestamp, OffsetDateTime receivedAt, String source,
                        Map<String, Object> params) {
    }

    /** The call as a CRM user sees it: the events without the raw parameters Twilio sent (operator material). */
    public CallView withoutTwilioParameters() {
        return withEvents(events.stream().map(e -> new Event(e.id(), e.kind(), e.legSid(), e.status(), e.sequenceNumber(),
                e.twilioTimestamp(), e.receivedAt(), e.source(), Map.of())).toList());
    }

    public CallView withEvents(List<Event> history) {
        return new CallView(id, callSid, dialedCallSid, leadId, toNumber, caller, status, answeredBy, resolution,
                durationSeconds,
                createdAt, answeredAt, endedAt, endedAtEstimated, parentEndedAt, recordingSid, recordingUrl,
                recordingDurationSeconds, lastEventAt, updatedAt, history);
    }
}
