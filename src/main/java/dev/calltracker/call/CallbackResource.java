package dev.calltracker.call;

import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import dev.calltracker.http.ApiContract;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.calltracker.twilio.TwilioParams;
import dev.calltracker.twilio.TwilioRequestMetrics;
import dev.calltracker.twilio.TwilioRequestMetrics.Result;
import dev.calltracker.twilio.TwimlBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Twilio's callbacks about a call. Each request is verified (it arrives as {@link TwilioParams}), stored and
 * applied before it is answered, so a 2xx always means "stored"; a failure answers 5xx and Twilio's retry
 * (the URL fragment asks for retries on 5xx) delivers it again, idempotently.
 */
@Tag(name = ApiContract.TAG_TWILIO)
@SecurityRequirement(name = ApiContract.TWILIO_SIGNATURE)
@Path("/api/calling")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class CallbackResource {

    @Inject
    CallEventRecorder recorder;
    @Inject
    TwimlBuilder twiml;
    @Inject
    TwilioRequestMetrics metrics;

    /** Dialed-leg status callbacks, the {@code <Dial action>} request and the parent leg's status callback. */
    @POST
    @Path("/webhook")
    @APIResponse(responseCode = "204", description = "Stored and applied")
    @APIResponse(responseCode = "200", description = "The <Dial action> request: TwiML that hangs up the browser leg",
            content = @Content(mediaType = MediaType.TEXT_XML))
    public Uni<Response> webhook(TwilioParams request) {
        CallEvent event = CallEventParser.fromWebhook(request);
        // The action's answer is the TwiML the browser leg runs next: the dial is over, hang up.
        Response answer = event.kind() == CallEventKind.DIAL_ACTION
                ? Response.ok(twiml.hangup(), MediaType.TEXT_XML_TYPE).build()
                : Response.noContent().build();
        return record(request, event, answer);
    }

    /** Recording status callbacks ({@code CallSid} is the parent leg). */
    @POST
    @Path("/recording")
    @APIResponse(responseCode = "204", description = "Stored and applied")
    public Uni<Response> recording(TwilioParams request) {
        return record(request, CallEventParser.fromRecording(request), Response.noContent().build());
    }

    /** Answering-machine detection results ({@code CallSid} is the dialed leg). */
    @POST
    @Path("/amd")
    @APIResponse(responseCode = "204", description = "Stored and applied")
    public Uni<Response> amd(TwilioParams request) {
        return count(request, recorder.recordAmd(CallEventParser.fromAmd(request)), Response.noContent().build());
    }

    private Uni<Response> record(TwilioParams request, CallEvent event, Response answer) {
        return count(request, recorder.record(event), answer);
    }

    private Uni<Response> count(TwilioParams request, Uni<CallEventRecorder.Outcome> recorded, Response answer) {
        return recorded.map(outcome -> {
            metrics.count(request.endpoint(), switch (outcome) {
                case DUPLICATE -> Result.DUPLICATE;
                case UNKNOWN_CALL -> Result.UNKNOWN_CALL;
                default -> Result.ACCEPTED;
            });
            return answer;
        });
    }
}
