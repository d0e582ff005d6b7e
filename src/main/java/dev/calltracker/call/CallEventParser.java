package dev.calltracker.call;

import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.twilio.TwilioParams;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/**
 * Parses Twilio's callback requests into {@link CallEvent}s: which kind of request it is, which call it
 * belongs to, and what it says. Refuses malformed values (400 naming the field); keeps unknown status
 * words (stored, applied as nothing, logged).
 */
public final class CallEventParser {

    private static final Logger LOG = Logger.getLogger(CallEventParser.class);

    private CallEventParser() {
    }

    /**
     * {@code /api/calling/webhook} receives three kinds of request, told apart by their parameters:
     * the {@code <Dial action>} carries {@code DialCallStatus}; the dialed leg's status callbacks carry
     * {@code ParentCallSid}; anything else is the parent leg's own status callback.
     */
    public static CallEvent fromWebhook(TwilioParams p) {
        if (p.has("DialCallStatus")) {
            return dialAction(p);
        }
        if (p.has("ParentCallSid")) {
            return dialedLegStatus(p);
        }
        return parentLegStatus(p);
    }

    static CallEvent dialedLegStatus(TwilioParams p) {
        OffsetDateTime receivedAt = p.receivedAt();
        String legSid = p.requiredSid("CallSid", TwilioFormats.CALL_SID_PREFIX);
        String callSid = p.requiredSid("ParentCallSid", TwilioFormats.CALL_SID_PREFIX);
        String word = p.requiredStatusWord("CallStatus");
        Integer sequence = p.optionalNonNegativeInt("SequenceNumber");
        OffsetDateTime timestamp = p.optionalRfc2822("Timestamp");
        Integer duration = p.optionalNonNegativeInt("CallDuration");
        String to = p.optionalE164("To");

        var observation = CallObservation.from(Source.CALLBACK).dialedSid(legSid).toNumber(to).durationSeconds(duration);
        CallStatus.fromTwilio(word).ifPresentOrElse(
                status -> observation.status(status, timestamp != null ? timestamp : receivedAt, false),
                () -> warnUnknownStatus("CallStatus", word, callSid));
        String dedupeKey = CallEventKind.DIALED_STATUS.dedupeKey(legSid, sequence != null ? sequence : word);
        return new CallEvent(callSid, legSid, CallEventKind.DIALED_STATUS, word, sequence, timestamp, receivedAt,
                dedupeKey, p.asMap(), observation.build());
    }

    static CallEvent dialAction(TwilioParams p) {
        OffsetDateTime receivedAt = p.receivedAt();
        String callSid = p.requiredSid("CallSid", TwilioFormats.CALL_SID_PREFIX);
        String word = p.requiredStatusWord("DialCallStatus");
        String dialedSid = p.optionalSid("DialCallSid", TwilioFormats.CALL_SID_PREFIX);
        Integer duration = p.optionalNonNegativeInt("DialCallDuration");
        String recordingUrl = p.optionalHttpUrl("RecordingUrl");

        var observation = CallObservation.from(Source.CALLBACK).dialedSid(dialedSid).durationSeconds(duration)
                .recording(null, recordingUrl, null, false);
        // The action request has no Timestamp: its receipt time is an estimate of the end, which the dialed
        // leg's own completed callback (with Twilio's timestamp) replaces whenever it arrives.
        // The parent's CallStatus in this request (normally in-progress) is never the call's outcome.
        CallStatus.fromTwilio(word).ifPresentOrElse(
                status -> observation.status(status, receivedAt, true),
                () -> warnUnknownStatus("DialCallStatus", word, callSid));
        String dedupeKey = CallEventKind.DIAL_ACTION.dedupeKey(callSid, dialedSid != null ? dialedSid : "-");
        return new CallEvent(callSid, callSid, CallEventKind.DIAL_ACTION, word, null, null, receivedAt, dedupeKey,
                p.asMap(), observation.build());
    }

    static CallEvent parentLegStatus(TwilioParams p) {
        OffsetDateTime receivedAt = p.receivedAt();
        String callSid = p.requiredSid("CallSid", TwilioFormats.CALL_SID_PREFIX);
        String word = p.requiredStatusWord("CallStatus");
        Integer sequence = p.optionalNonNegativeInt("SequenceNumber");
        OffsetDateTime timestamp = p.optionalRfc2822("Timestamp");

        var observation = CallObservation.from(Source.CALLBACK);
        // The parent leg ending is evidence for the reconciler (the dial cannot still be running), never
        // the call's outcome: that is the dialed leg's.
        CallStatus.fromTwilio(word).ifPresentOrElse(
                status -> {
                    if (status.isTerminal()) {
                        observation.parentEndedAt(timestamp != null ? timestamp : receivedAt);
                    }
                },
                () -> warnUnknownStatus("CallStatus", word, callSid));
        String dedupeKey = CallEventKind.PARENT_STATUS.dedupeKey(callSid, word);
        return new CallEvent(callSid, callSid, CallEventKind.PARENT_STATUS, word, sequence, timestamp, receivedAt,
                dedupeKey, p.asMap(), observation.build());
    }

    /** Recording status callbacks; {@code CallSid} is always the parent leg. */
    public static CallEvent fromRecording(TwilioParams p) {
        OffsetDateTime receivedAt = p.receivedAt();
        String callSid = p.requiredSid("CallSid", TwilioFormats.CALL_SID_PREFIX);
        String recordingSid = p.requiredSid("RecordingSid", TwilioFormats.RECORDING_SID_PREFIX);
        String word = p.requiredStatusWord("RecordingStatus");
        // Only a completed recording is playable and has its final length.
        boolean completed = "completed".equals(word);
        String url = p.optionalHttpUrl("RecordingUrl");
        Integer duration = p.optionalNonNegativeInt("RecordingDuration");

        var observation = CallObservation.from(Source.CALLBACK)
                .recording(recordingSid, completed ? url : null, completed ? duration : null, completed);
        String dedupeKey = CallEventKind.RECORDING.dedupeKey(recordingSid, word);
        return new CallEvent(callSid, callSid, CallEventKind.RECORDING, word, null, null, receivedAt, dedupeKey,
                p.asMap(), observation.build());
    }

    /**
     * Answering-machine detection callbacks. {@code CallSid} is the dialed leg, and no {@code ParentCallSid}
     * comes with it: the call is found by its dialed leg when it is stored ({@link CallRepository}). A result
     * word this service does not know is stored and changes nothing. One result per dialed leg.
     */
    public static CallEvent fromAmd(TwilioParams p) {
        OffsetDateTime receivedAt = p.receivedAt();
        String legSid = p.requiredSid("CallSid", TwilioFormats.CALL_SID_PREFIX);
        String word = p.required("AnsweredBy"); // its format is checked with every request (TwilioFormats)
        p.optionalNonNegativeInt("MachineDetectionDuration"); // refused when malformed; kept in the parameters

        var observation = CallObservation.from(Source.CALLBACK);
        AnsweredBy.fromTwilio(word).ifPresentOrElse(observation::answeredBy,
                () -> warnUnknownStatus("AnsweredBy", word, legSid));
        return new CallEvent(legSid, legSid, CallEventKind.AMD, word, null, null, receivedAt, CallEventKind.AMD.dedupeKey(legSid),
                p.asMap(), observation.build());
    }

    private static void warnUnknownStatus(String field, String word, String callSid) {
        LOG.warnf("Unknown %s '%s' for call %s: stored, changes nothing", field, word, callSid);
    }
}
