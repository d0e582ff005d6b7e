package dev.calltracker.call;

import dev.calltracker.http.RequestRejected;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

/** One call with its ordered event history, for support. Accepts the parent or the dialed leg's sid. */
@Path("/api/calls/{callSid}")
public class CallResource {

    private final Pool pool;
    private final CallRepository calls;

    public CallResource(Pool pool, CallRepository calls) {
        this.pool = pool;
        this.calls = calls;
    }

    @RegisterForReflection
    public record CallView(UUID id, String callSid, String dialedCallSid, UUID leadId, String toNumber, String caller,
                           String status, String resolution, Integer durationSeconds, OffsetDateTime createdAt,
                           OffsetDateTime answeredAt, OffsetDateTime endedAt, boolean endedAtEstimated,
                           OffsetDateTime parentEndedAt, String recordingSid, String recordingUrl,
                           Integer recordingDurationSeconds, OffsetDateTime lastEventAt, OffsetDateTime updatedAt,
                           List<EventView> events) {
    }

    @RegisterForReflection
    public record EventView(long id, String kind, String legSid, String status, Integer sequenceNumber,
                            OffsetDateTime twilioTimestamp, OffsetDateTime receivedAt, String source,
                            Map<String, Object> params) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CallView> call(@PathParam("callSid") String sid) {
        if (!sid.matches("CA[0-9a-fA-F]{32}")) {
            throw RequestRejected.badField("callSid", "callSid must be a Twilio call sid (CA + 32 hex digits)");
        }
        return pool.withConnection(db -> calls.findCall(db, sid).flatMap(call -> {
            if (call == null) {
                throw new RequestRejected(404, "call not found", "callSid");
            }
            return calls.findEvents(db, call.getString("call_sid")).map(rows -> view(call,
                    StreamSupport.stream(rows.spliterator(), false).map(CallResource::event).toList()));
        }));
    }

    private static CallView view(Row r, List<EventView> events) {
        return new CallView(r.getUUID("id"), r.getString("call_sid"), r.getString("dialed_call_sid"),
                r.getUUID("lead_id"), r.getString("to_number"), r.getString("caller"), r.getString("status"),
                r.getString("resolution"), r.getInteger("duration_seconds"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("answered_at"), r.getOffsetDateTime("ended_at"),
                Boolean.TRUE.equals(r.getBoolean("ended_at_estimated")), r.getOffsetDateTime("parent_ended_at"),
                r.getString("recording_sid"), r.getString("recording_url"), r.getInteger("recording_duration_seconds"),
                r.getOffsetDateTime("last_event_at"), r.getOffsetDateTime("updated_at"), events);
    }

    private static EventView event(Row r) {
        JsonObject params = (JsonObject) r.getValue("params");
        return new EventView(r.getLong("id"), r.getString("kind"), r.getString("leg_sid"), r.getString("status"),
                r.getInteger("sequence_number"), r.getOffsetDateTime("twilio_timestamp"),
                r.getOffsetDateTime("received_at"), r.getString("source"), params == null ? Map.of() : params.getMap());
    }
}
