package dev.calltracker.live;

import dev.calltracker.http.QueryValues;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.lead.LeadActivity;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;

/**
 * The lead's timeline as it changes, as Server-Sent Events: one {@code activity} event per change, its {@code id}
 * the change's number (resume with {@code Last-Event-ID}), its data the activity as the timeline shows it.
 */
@Path("/api/leads/{id}/activities/stream")
@RolesAllowed({Roles.CRM_USER, Roles.OPERATOR})
@NoStore
public class LeadActivityStreamResource {

    private final LiveActivityStreams streams;

    public LeadActivityStreamResource(LiveActivityStreams streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // checks the lead before the answer starts (LiveActivityStreams.open)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                                          @Context Sse sse) {
        UUID leadId = QueryValues.uuid("id", id);
        return streams.open(leadId, position(lastEventId)).map(item -> item.isHeartbeat()
                ? sse.newEventBuilder().comment("heartbeat").build()
                : sse.newEventBuilder()
                        .id(Long.toString(item.change().seq()))
                        .name("activity")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(LeadActivity.class, item.change().activity())
                        .build());
    }

    /** The client's position: the last event id it received, or 0 (nothing yet: the whole timeline). */
    private static long position(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long position = Long.parseLong(lastEventId.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RequestRejected.badField("Last-Event-ID", "Last-Event-ID must be an event id this stream sent");
    }
}
