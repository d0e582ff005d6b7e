package dev.calltracker.call;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import dev.calltracker.http.ApiContract;

import dev.calltracker.http.RequestRejected;
import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * One call with its ordered event history, for the CRM and for support. Accepts the parent or the dialed
 * leg's sid. The raw Twilio parameters of each event are operator material: a CRM user gets the events
 * without them.
 */
@Tag(name = ApiContract.TAG_CRM)
@SecurityRequirement(name = ApiContract.CRM_USER)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path("/api/calls/{callSid}")
@RolesAllowed({Roles.CRM_USER, Roles.OPERATOR})
@NoStore
public class CallResource {

    private final CallViewRepository calls;

    public CallResource(CallViewRepository calls) {
        this.calls = calls;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CallView> call(@PathParam("callSid") String sid, @Context SecurityContext caller) {
        if (!TwilioFormats.isCallSid(sid)) {
            throw RequestRejected.badField("callSid", "callSid must be a Twilio call sid (CA + 32 hex digits)");
        }
        boolean operator = caller.isUserInRole(Roles.OPERATOR);
        return calls.findCall(sid)
                .map(found -> found.orElseThrow(() -> new RequestRejected(404, "call not found", "callSid")))
                .map(call -> operator ? call : call.withoutTwilioParameters());
    }
}
