package dev.calltracker.voice;

import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.twilio.TwilioParams;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A browser's request to call a lead, from the TwiML App's voice webhook ({@code Device.connect({params: {To,
 * LeadId}})}).
 *
 * @param to     the destination as the browser sent it: attacker-controlled, checked by {@link DestinationPolicy}
 * @param leadId the lead called, when the CRM names one
 * @param params every parameter as received, stored with the call's first event
 */
public record DialRequest(String callSid, String to, UUID leadId, String caller, OffsetDateTime receivedAt,
                          Map<String, String> params) {

    /** The fields of a verified voice webhook, validated (400 naming the field). */
    public static DialRequest from(TwilioParams p) {
        return new DialRequest(p.requiredSid("CallSid", TwilioFormats.CALL_SID_PREFIX), p.required("To"),
                p.optionalUuid("LeadId"), p.optionalCaller("From"), p.receivedAt(), p.asMap());
    }
}
