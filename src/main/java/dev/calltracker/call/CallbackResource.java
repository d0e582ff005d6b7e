package dev.calltracker.call;

import dev.calltracker.twilio.TwilioParams;
import dev.calltracker.twilio.TwilioRequestMetrics;
import dev.calltracker.twilio.TwilioRequestVerifier;
import dev.calltracker.voice.TwimlBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Twilio's callbacks about a call. Each request is verified, stored and applied before it is answered,
 * so a 2xx always means "stored"; a failure answers 5xx and Twilio's retry (the URL fragment asks for
 * retries on 5xx) delivers it again, idempotently.
 */
@Path("/api/calling")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class CallbackResource {

    private final TwilioRequestVerifier verifier;
    private final CallEventRecorder recorder;
    private final TwimlBuilder twiml;
    private final TwilioRequestMetrics metrics;

    public CallbackResource(TwilioRequestVerifier verifier, CallEventRecorder recorder, TwimlBuilder twiml,
                            TwilioRequestMetrics metrics) {
        this.verifier = verifier;
        this.recorder = recorder;
        this.twiml = twiml;
        this.metrics = metrics;
    }

    /** Dialed-leg status callbacks, the {@code <Dial action>} request and the parent leg's status callback. */
    @POST
    @Path("/webhook")
    public Uni<Response> webhook(@Context UriInfo uri, @HeaderParam(TwilioRequestVerifier.SIGNATURE_HEADER) String signature,
                                 byte[] body) {
        OffsetDateTime receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
        TwilioParams params = verifier.verify("webhook", uri, signature, body);
        CallEvent event = metrics.countingInvalid("webhook", () -> TwilioCallbacks.fromWebhook(params, receivedAt));
        Response answer = event.kind() == CallEventKind.DIAL_ACTION
                // The action's answer is the TwiML the browser leg runs next: the dial is over, hang up.
                ? Response.ok(twiml.hangup(), MediaType.TEXT_XML_TYPE).build()
                : Response.noContent().build();
        return record("webhook", event, answer);
    }

    /** Recording status callbacks ({@code CallSid} is the parent leg). */
    @POST
    @Path("/recording")
    public Uni<Response> recording(@Context UriInfo uri, @HeaderParam(TwilioRequestVerifier.SIGNATURE_HEADER) String signature,
                                   byte[] body) {
        OffsetDateTime receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
        TwilioParams params = verifier.verify("recording", uri, signature, body);
        CallEvent event = metrics.countingInvalid("recording", () -> TwilioCallbacks.fromRecording(params, receivedAt));
        return record("recording", event, Response.noContent().build());
    }

    /** @param kind the endpoint, the label of the request metrics (as for refused and invalid requests) */
    private Uni<Response> record(String kind, CallEvent event, Response answer) {
        return recorder.record(event).map(outcome -> {
            if (outcome == CallEventRecorder.Outcome.DUPLICATE) {
                metrics.duplicate(kind);
            } else {
                metrics.accepted(kind);
            }
            return answer;
        });
    }
}
