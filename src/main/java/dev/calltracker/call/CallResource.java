package dev.calltracker.call;

import dev.calltracker.http.ApiContract;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.twilio.TwilioMedia;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * One call, for the CRM and for support: its ordered event history, and its recording. Both accept the parent or
 * the dialed leg's sid.
 */
@Tag(name = ApiContract.TAG_CRM)
@SecurityRequirement(name = ApiContract.CRM_USER)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path("/api/calls/{callSid}")
@RolesAllowed({Roles.CRM_USER, Roles.OPERATOR})
@NoStore
public class CallResource {

    /** What Twilio sends for {@code .mp3}; its own {@code Content-Type} replaces it on the answer. */
    static final String MP3 = "audio/mpeg";

    @Inject
    CallViewRepository calls;
    @Inject
    TwilioMedia media;

    /** The call and its events. The raw Twilio parameters of each event are operator material: a CRM user gets the events without them. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CallView> call(@PathParam("callSid") String sid, @Context SecurityContext caller) {
        boolean operator = caller.isUserInRole(Roles.OPERATOR);
        return calls.findCall(checkedSid(sid))
                .map(found -> found.orElseThrow(CallResource::notFound))
                .map(call -> operator ? call : call.withoutTwilioParameters());
    }

    /**
     * The recording, playable by the CRM's {@code <audio>}: the audio streamed from Twilio with the account's
     * credentials, which the browser never holds. {@code Range} goes to Twilio and its 206 comes back, so the
     * player can seek. Failures before the first byte (unknown call, no recording, Twilio refusing or silent) fail
     * the stream before its head is written, so they are answered by the problem mappers like any other error.
     */
    @GET
    @Path("/recording")
    @Produces(MP3)
    public RestMulti<Buffer> recording(@PathParam("callSid") String sid, @HeaderParam("Range") String range) {
        var audio = calls.findRecording(checkedSid(sid))
                .map(found -> found.orElseThrow(CallResource::notFound))
                .map(recording -> {
                    if (!recording.exists()) {
                        throw new RequestRejected(404, "the call has no recording", "callSid");
                    }
                    return recording;
                })
                .flatMap(recording -> media.audio(recording.recordingSid(), recording.recordingUrl(), range));
        return RestMulti.fromUniResponse(audio, TwilioMedia.Audio::body, TwilioMedia.Audio::headers,
                TwilioMedia.Audio::status);
    }

    private static String checkedSid(String sid) {
        if (!TwilioFormats.isCallSid(sid)) {
            throw RequestRejected.badField("callSid", "callSid must be a Twilio call sid (CA + 32 hex digits)");
        }
        return sid;
    }

    private static RequestRejected notFound() {
        return new RequestRejected(404, "call not found", "callSid");
    }
}
