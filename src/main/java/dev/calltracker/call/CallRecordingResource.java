package dev.calltracker.call;

import dev.calltracker.http.ApiContract;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.twilio.TwilioMedia;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * A call's recording, playable by the CRM's {@code <audio>}: the audio streamed from Twilio with the account's
 * credentials, which the browser never holds. {@code Range} goes to Twilio and its 206 comes back, so the player
 * can seek. Accepts the parent or the dialed leg's sid, like {@link CallResource}.
 */
@Tag(name = ApiContract.TAG_CRM)
@SecurityRequirement(name = ApiContract.CRM_USER)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path("/api/calls/{callSid}/recording")
@RolesAllowed({Roles.CRM_USER, Roles.OPERATOR})
@NoStore
public class CallRecordingResource {

    /** What Twilio sends for {@code .mp3}; its own {@code Content-Type} replaces it on the answer. */
    static final String MP3 = "audio/mpeg";

    private final CallViewRepository calls;
    private final TwilioMedia media;

    public CallRecordingResource(CallViewRepository calls, TwilioMedia media) {
        this.calls = calls;
        this.media = media;
    }

    /**
     * Failures before the first byte (unknown call, no recording, Twilio refusing or silent) fail the stream before
     * its head is written, so they are answered by the problem mappers like any other error.
     */
    @GET
    @Produces(MP3)
    public RestMulti<Buffer> recording(@PathParam("callSid") String sid, @HeaderParam("Range") String range) {
        if (!TwilioFormats.isCallSid(sid)) {
            throw RequestRejected.badField("callSid", "callSid must be a Twilio call sid (CA + 32 hex digits)");
        }
        var audio = calls.findRecording(sid)
                .map(found -> found.orElseThrow(() -> new RequestRejected(404, "call not found", "callSid")))
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
}
