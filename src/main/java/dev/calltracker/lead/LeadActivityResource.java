package dev.calltracker.lead;

import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import dev.calltracker.http.ApiContract;

import dev.calltracker.http.QueryValues;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

/** The lead's timeline, newest first: what the CRM's lead page shows; and the same timeline as it changes, live. */
@Tag(name = ApiContract.TAG_CRM)
@SecurityRequirement(name = ApiContract.CRM_USER)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path("/api/leads/{id}/activities")
@RolesAllowed({Roles.CRM_USER, Roles.OPERATOR})
@NoStore
public class LeadActivityResource {

    @Inject
    LeadRepository leads;
    // The stream is a view of this same timeline: one resource, one place for its path, roles and no-store.
    @Inject
    LiveActivityStreams liveStreams;

    // The bounds the timeline always had: a client that names no limit gets the same first page as before.
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    /**
     * A page of the timeline, newest first: a JSON array of at most {@code limit} entries (the body clients read
     * before pages existed), and when more follow a {@code Link: <...?limit=n&cursor=c>; rel="next"} header.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<List<LeadActivity>>> activities(@PathParam("id") String id, @QueryParam("limit") String limitParam,
                                                            @QueryParam("cursor") String cursorParam) {
        UUID leadId = QueryValues.uuid("id", id);
        int limit = QueryValues.intBetween("limit", limitParam, DEFAULT_LIMIT, 1, MAX_LIMIT);
        TimelineCursor after = TimelineCursor.decode(cursorParam);
        return leads.activities(leadId, limit, after)
                .map(found -> found.orElseThrow(() -> new RequestRejected(404, "lead not found", "id")))
                .map(page -> {
                    RestResponse.ResponseBuilder<List<LeadActivity>> answer = RestResponse.ResponseBuilder.ok(page.activities());
                    // A relative reference (RFC 8288): right behind whatever proxy or host the CRM called.
                    page.next().ifPresent(next -> answer.header("Link", "</api/leads/%s/activities?limit=%d&cursor=%s>; rel=\"next\""
                            .formatted(leadId, limit, next.encode())));
                    return answer.build();
                });
    }

    /**
     * Server-Sent Events: one {@code activity} event per change of the timeline, its {@code id} the change's number
     * (resume with {@code Last-Event-ID}), its data the activity as {@link #activities} shows it; heartbeat comments.
     */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // checks the lead before the answer starts (LiveActivityStreams.open)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                                          @Context Sse sse, @Context SecurityContext caller) {
        UUID leadId = QueryValues.uuid("id", id);
        return liveStreams.open(leadId, position(lastEventId), user(caller)).map(item -> event(sse, item));
    }

    /** Who asks, for the per-user stream limit: the token's subject (its other names are the user's to choose). */
    private static String user(SecurityContext caller) {
        Principal principal = caller.getUserPrincipal();
        if (principal instanceof JsonWebToken token && token.getSubject() != null) {
            return "sub:" + token.getSubject();
        }
        return "principal:" + (principal == null ? "" : principal.getName());
    }

    private static OutboundSseEvent event(Sse sse, StreamItem item) {
        if (item.isHeartbeat()) {
            return sse.newEventBuilder().comment("heartbeat").build();
        }
        return sse.newEventBuilder()
                .id(Long.toString(item.change().seq()))
                .name("activity")
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(LeadActivity.class, item.change().activity())
                .build();
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
