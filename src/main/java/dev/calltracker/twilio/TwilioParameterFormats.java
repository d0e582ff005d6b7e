package dev.calltracker.twilio;

import dev.calltracker.http.RequestRejected;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The formats of the standard parameters Twilio sends to voice webhooks and callbacks. A signed request
 * whose standard field breaks its format is refused (400 naming the field) before anything is written:
 * it is not what Twilio sends, whoever signed it. Parameters not listed here (custom parameters, caller
 * name, geography) are data: kept as received, never spliced into SQL or XML.
 */
final class TwilioParameterFormats {

    private static final Pattern SID = Pattern.compile("[A-Z]{2}[0-9a-fA-F]{32}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern BOOLEAN = Pattern.compile("true|false");
    private static final Pattern RFC_2822 = Pattern.compile("[A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} "
            + "[0-9]{2}:[0-9]{2}:[0-9]{2} ([+-][0-9]{4}|GMT|UT)");
    private static final Pattern API_VERSION = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    /** A party of a call: a number, a Voice SDK client, a SIP address, or Twilio's words for hidden numbers. */
    private static final Pattern PARTY = Pattern.compile(
            "\\+?[0-9]{1,15}|client:[A-Za-z0-9_.@-]{1,256}|sip:[A-Za-z0-9_.@:;=+-]{1,256}|anonymous|restricted|unknown");

    private static final Map<String, Pattern> FORMATS = Map.ofEntries(
            Map.entry("AccountSid", SID), Map.entry("CallSid", SID), Map.entry("ParentCallSid", SID),
            Map.entry("DialCallSid", SID), Map.entry("RecordingSid", SID), Map.entry("ApplicationSid", SID),
            Map.entry("Direction", TOKEN), Map.entry("CallbackSource", TOKEN), Map.entry("CallStatus", TOKEN),
            Map.entry("DialCallStatus", TOKEN), Map.entry("RecordingStatus", TOKEN), Map.entry("RecordingSource", TOKEN),
            Map.entry("RecordingTrack", TOKEN), Map.entry("AnsweredBy", TOKEN),
            Map.entry("Duration", COUNT), Map.entry("CallDuration", COUNT), Map.entry("DialCallDuration", COUNT),
            Map.entry("RecordingDuration", COUNT), Map.entry("RecordingChannels", COUNT), Map.entry("SequenceNumber", COUNT),
            Map.entry("DialBridged", BOOLEAN),
            Map.entry("Timestamp", RFC_2822), Map.entry("RecordingStartTime", RFC_2822),
            Map.entry("ApiVersion", API_VERSION),
            // No "To": on the voice webhook the destination policy answers it with TwiML that refuses;
            // on the dialed leg's callbacks TwilioParams requires E.164.
            Map.entry("From", PARTY), Map.entry("Caller", PARTY), Map.entry("Called", PARTY),
            Map.entry("ForwardedFrom", PARTY));

    private TwilioParameterFormats() {
    }

    /** Refuses a standard parameter that breaks its format; empty values are left to the field's own rules. */
    static void check(String name, String value) {
        Pattern format = FORMATS.get(name);
        if (format != null && !value.isEmpty() && !format.matcher(value).matches()) {
            throw RequestRejected.badField(name, name + " is not in the format Twilio sends");
        }
    }
}
