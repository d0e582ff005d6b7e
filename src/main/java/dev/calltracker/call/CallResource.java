package dev.calltracker.call;

import dev.calltracker.http.RequestRejected;
import dev.calltracker.twilio.TwilioFormats;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** One call with its ordered event history, for support. Accepts the parent or the dialed leg's sid. */
@Path("/api/calls/{callSid}")
public class CallResource {

    private final CallRepository calls;

    public CallResource(CallRepository calls) {
        this.calls = calls;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CallView> call(@PathParam("callSid") String sid) {
        if (!TwilioFormats.isCallSid(sid)) {
            throw RequestRejected.badField("callSid", "callSid must be a Twilio call sid (CA + 32 hex digits)");
        }
        return calls.findCall(sid).map(found -> found.orElseThrow(() -> new RequestRejected(404, "call not found", "callSid")));
    }
}
