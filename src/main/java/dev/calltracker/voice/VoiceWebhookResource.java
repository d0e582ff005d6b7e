package dev.calltracker.voice;

import dev.calltracker.call.CallRepository;
import dev.calltracker.db.PipelinedTransaction;
import dev.calltracker.lead.ContactRule;
import dev.calltracker.lead.LeadRepository;
import dev.calltracker.twilio.TwilioParams;
import dev.calltracker.twilio.TwilioRequestMetrics;
import dev.calltracker.twilio.TwilioRequestVerifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The TwiML App's Voice URL: a browser ({@code Device.connect({params: {To, LeadId}})}) wants to call a
 * lead. Answers the TwiML that dials it, with every callback where Twilio reads it, or TwiML that
 * refuses when the destination may not be dialed.
 */
@Path("/api/webhooks/twilio/voice-client")
public class VoiceWebhookResource {

    private static final Logger LOG = Logger.getLogger(VoiceWebhookResource.class);
    private static final String KIND = "voice";

    private final TwilioRequestVerifier verifier;
    private final DestinationPolicy destinations;
    private final TwimlBuilder twiml;
    private final Pool pool;
    private final LeadRepository leads;
    private final CallRepository calls;
    private final TwilioRequestMetrics metrics;

    public VoiceWebhookResource(TwilioRequestVerifier verifier, DestinationPolicy destinations, TwimlBuilder twiml,
                                Pool pool, LeadRepository leads, CallRepository calls, TwilioRequestMetrics metrics) {
        this.verifier = verifier;
        this.destinations = destinations;
        this.twiml = twiml;
        this.pool = pool;
        this.leads = leads;
        this.calls = calls;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_XML)
    public Uni<String> dial(@Context UriInfo uri, @HeaderParam(TwilioRequestVerifier.SIGNATURE_HEADER) String signature,
                            byte[] body) {
        OffsetDateTime receivedAt = OffsetDateTime.now(ZoneOffset.UTC);
        TwilioParams p = verifier.verify(KIND, uri, signature, body);
        DialRequest request = metrics.countingInvalid(KIND, () -> new DialRequest(p.requiredSid("CallSid", "CA"),
                p.required("To"), p.optionalUuid("LeadId"), p.optionalCaller("From")));
        String callSid = request.callSid();
        String to = request.to();
        UUID leadId = request.leadId();
        String caller = request.caller();
        var refusal = destinations.refusal(to);
        if (refusal.isPresent()) {
            return Uni.createFrom().item(refuse(callSid, refusal.get()));
        }
        JsonObject params = new JsonObject(Collections.<String, Object>unmodifiableMap(p.asMap()));
        // Two round trips: BEGIN, the lead check and the record go together (a refused dial rolls the record
        // back: refusals are rare, a round trip on every accepted call is not), then COMMIT.
        return PipelinedTransaction.run(pool, tx -> {
            Uni<CallRepository.DialedCall> record = calls.recordDialedCall(tx.client(), callSid, leadId, to, caller,
                    receivedAt, params);
            return tx.begin(leadRefusal(tx.client(), leadId, to), record).flatMap(checked -> {
                String leadRefusal = checked.getItem1();
                if (leadRefusal != null) {
                    return tx.rollback().map(nothing -> refuse(callSid, leadRefusal));
                }
                CallRepository.DialedCall recorded = checked.getItem2();
                Uni<Void> contact = contactIfAlreadyConnected(tx.client(), recorded);
                return (contact == null ? tx.commit() : tx.commitWith(contact)).map(committed -> {
                    if (recorded != null) {
                        metrics.accepted(KIND);
                    } else {
                        metrics.duplicate(KIND);
                    }
                    return twiml.dial(to);
                });
            });
        });
    }

    /** Why the lead refuses this destination, or null when it accepts it (no lead: no query, no refusal). */
    private Uni<String> leadRefusal(SqlClient db, UUID leadId, String to) {
        if (leadId == null) {
            return Uni.createFrom().nullItem();
        }
        return leads.findPhone(db, leadId).map(phone -> {
            if (phone == null) {
                return "the lead does not exist";
            }
            if (!phone.isEmpty() && !DestinationPolicy.sameNumber(phone, to)) {
                return "the destination is not the lead's phone number";
            }
            return null;
        });
    }

    /**
     * Twilio dials only after this answer, so the call's callbacks normally come later. If they came first
     * anyway (the call row exists, created by them without a lead), the lead this request links may have
     * been reached already: the write that applies the contact rule now, as a transition does; null when
     * there is nothing to apply.
     */
    private Uni<Void> contactIfAlreadyConnected(SqlClient db, CallRepository.DialedCall recorded) {
        if (recorded == null || recorded.created() || recorded.row().leadId() == null) {
            return null;
        }
        OffsetDateTime contactTime = ContactRule.contactTime(recorded.row().state());
        if (contactTime == null) {
            return null;
        }
        return calls.saveTransition(db, recorded.row(), recorded.row().state(), contactTime, null);
    }

    /** The fields of the voice webhook the service reads, validated. */
    private record DialRequest(String callSid, String to, UUID leadId, String caller) {
    }

    private String refuse(String callSid, String reason) {
        metrics.refused(KIND);
        LOG.warnf("Refused to dial for call %s: %s", callSid, reason);
        return twiml.refuse("This call cannot be placed: " + reason + ".");
    }
}
