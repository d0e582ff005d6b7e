package dev.calltracker.call;

import dev.calltracker.http.RequestRejected;
import dev.calltracker.twilio.TwilioParams;
import java.net.URI;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/**
 * Reads Twilio's callback requests into {@link CallEvent}s: which kind of request it is, which call it
 * belongs to, and what it says. Refuses malformed values (400 naming the field); keeps unknown status
 * words (stored, applied as nothing, logged).
 */
public final class TwilioCallbacks {

    private static final Logger LOG = Logger.getLogger(TwilioCallbacks.class);

    private TwilioCallbacks() {
    }

    /**
     * {@code /api/calling/webhook} receives three kinds of request, told apart by their parameters:
     * the {@code <Dial action>} carries {@code DialCallStatus}; the dialed leg's status callbacks carry
     * {@code ParentCallSid}; anything else is the parent leg's own status callback.
     */
    public static CallEvent fromWebhook(TwilioParams p, OffsetDateTime receivedAt) {
        if (p.has("DialCallStatus")) {
            return dialAction(p, receivedAt);
        }
        if (p.has("ParentCallSid")) {
            return dialedLegStatus(p, receivedAt);
        }
        return parentLegStatus(p, receivedAt);
    }

    static CallEvent dialedLegStatus(TwilioParams p, OffsetDateTime receivedAt) {
        String legSid = p.requiredSid("CallSid", "CA");
        String callSid = p.requiredSid("ParentCallSid", "CA");
        String word = p.requiredStatusWord("CallStatus");
        Integer sequence = p.optionalNonNegativeInt("SequenceNumber");
        OffsetDateTime timestamp = p.optionalRfc2822("Timestamp");
        Integer duration = p.optionalNonNegativeInt("CallDuration");
        String to = p.optionalE164("To");

        var observation = CallObservation.from(Resolution.CALLBACK).dialedSid(legSid).toNumber(to).durationSeconds(duration);
        CallStatus.fromTwilio(word).ifPresentOrElse(
                status -> observation.status(status, timestamp != null ? timestamp : receivedAt, false),
                () -> warnUnknownStatus("CallStatus", word, callSid));
        String dedupeKey = "dialed-status:" + legSid + ":" + (sequence != null ? sequence : word);
        return new CallEvent(callSid, legSid, CallEventKind.DIALED_STATUS, word, sequence, timestamp, receivedAt,
                dedupeKey, p.asMap(), observation.build());
    }

    static CallEvent dialAction(TwilioParams p, OffsetDateTime receivedAt) {
        String callSid = p.requiredSid("CallSid", "CA");
        String word = p.requiredStatusWord("DialCallStatus");
        String dialedSid = p.optionalSid("DialCallSid", "CA");
        Integer duration = p.optionalNonNegativeInt("DialCallDuration");
        String recordingUrl = optionalHttpUrl(p, "RecordingUrl");

        var observation = CallObservation.from(Resolution.CALLBACK).dialedSid(dialedSid).durationSeconds(duration)
                .recording(null, recordingUrl, null, false);
        // The action request has no Timestamp: its receipt time is an estimate of the end, which the dialed
        // leg's own completed callback (with Twilio's timestamp) replaces whenever it arrives.
        // The parent's CallStatus in this request (normally in-progress) is never the call's outcome.
        CallStatus.fromTwilio(word).ifPresentOrElse(
                status -> observation.status(status, receivedAt, true),
                () -> warnUnknownStatus("DialCallStatus", word, callSid));
        String dedupeKey = "dial-action:" + callSid + ":" + (dialedSid != null ? dialedSid : "-");
        return new CallEvent(callSid, callSid, CallEventKind.DIAL_ACTION, word, null, null, receivedAt, dedupeKey,
                p.asMap(), observation.build());
    }

    static CallEvent parentLegStatus(TwilioParams p, OffsetDateTime receivedAt) {
        String callSid = p.requiredSid("CallSid", "CA");
        String word = p.requiredStatusWord("CallStatus");
        Integer sequence = p.optionalNonNegativeInt("SequenceNumber");
        OffsetDateTime timestamp = p.optionalRfc2822("Timestamp");

        var observation = CallObservation.from(Resolution.CALLBACK);
        // The parent leg ending is evidence for the reconciler (the dial cannot still be running), never
        // the call's outcome: that is the dialed leg's.
        CallStatus.fromTwilio(word).ifPresentOrElse(
                status -> {
                    if (status.isTerminal()) {
                        observation.parentEndedAt(timestamp != null ? timestamp : receivedAt);
                    }
                },
                () -> warnUnknownStatus("CallStatus", word, callSid));
        String dedupeKey = "parent-status:" + callSid + ":" + word;
        return new CallEvent(callSid, callSid, CallEventKind.PARENT_STATUS, word, sequence, timestamp, receivedAt,
                dedupeKey, p.asMap(), observation.build());
    }

    /** Recording status callbacks; {@code CallSid} is always the parent leg. */
    public static CallEvent fromRecording(TwilioParams p, OffsetDateTime receivedAt) {
        String callSid = p.requiredSid("CallSid", "CA");
        String recordingSid = p.requiredSid("RecordingSid", "RE");
        String word = p.requiredStatusWord("RecordingStatus");
        String url = optionalHttpUrl(p, "RecordingUrl");
        Integer duration = p.optionalNonNegativeInt("RecordingDuration");

        boolean completed = "completed".equals(word);
        var observation = CallObservation.from(Resolution.CALLBACK)
                .recording(recordingSid, completed ? url : null, completed ? duration : null, completed);
        String dedupeKey = "recording:" + recordingSid + ":" + word;
        return new CallEvent(callSid, callSid, CallEventKind.RECORDING, word, null, null, receivedAt, dedupeKey,
                p.asMap(), observation.build());
    }

    private static String optionalHttpUrl(TwilioParams p, String name) {
        String value = p.optional(name);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw RequestRejected.badField(name, name + " must be an http(s) URL");
    }

    private static void warnUnknownStatus(String field, String word, String callSid) {
        LOG.warnf("Unknown %s '%s' for call %s: stored, changes nothing", field, word, callSid);
    }
}
