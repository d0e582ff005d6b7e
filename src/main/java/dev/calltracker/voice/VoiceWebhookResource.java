package dev.calltracker.voice;

import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import dev.calltracker.http.ApiContract;

import dev.calltracker.twilio.TwilioParams;
import dev.calltracker.twilio.TwilioRequestMetrics;
import dev.calltracker.twilio.TwilioRequestMetrics.Result;
import dev.calltracker.twilio.TwimlBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

/**
 * The TwiML App's Voice URL: a browser wants to call a lead. Answers the TwiML that dials it, with every
 * callback where Twilio reads it, or TwiML that refuses when the destination may not be dialed.
 */
@Tag(name = ApiContract.TAG_TWILIO)
@SecurityRequirement(name = ApiContract.TWILIO_SIGNATURE)
@Path("/api/webhooks/twilio/voice-client")
public class VoiceWebhookResource {

    private static final Logger LOG = Logger.getLogger(VoiceWebhookResource.class);

    @Inject
    DialService dials;
    @Inject
    TwimlBuilder twiml;
    @Inject
    TwilioRequestMetrics metrics;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_XML)
    public Uni<String> voice(TwilioParams request) {
        DialRequest dial = DialRequest.from(request);
        return dials.dial(dial).map(outcome -> switch (outcome.result()) {
            case DIALED -> answer(request, Result.ACCEPTED, twiml.dial(outcome.to()));
            case ALREADY_RECORDED -> answer(request, Result.DUPLICATE, twiml.dial(outcome.to()));
            case REFUSED -> {
                // The destination is masked in the log (PhoneNumberMaskingFilter), still telling operators which it was.
                LOG.warnf("Refused to dial %s for call %s: %s", dial.to(), dial.callSid(), outcome.refusal());
                yield answer(request, Result.REFUSED, twiml.refuse("This call cannot be placed: " + outcome.refusal() + "."));
            }
        });
    }

    private String answer(TwilioParams request, Result result, String twimlAnswer) {
        metrics.count(request.endpoint(), result);
        return twimlAnswer;
    }
}
