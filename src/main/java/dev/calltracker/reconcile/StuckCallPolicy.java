package dev.calltracker.reconcile;

import dev.calltracker.call.AnsweredBy;
import dev.calltracker.call.CallObservation;
import dev.calltracker.call.CallStatus;
import dev.calltracker.call.Source;
import dev.calltracker.twilio.TwilioFormats;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What the reconciler concludes about a stuck call: the one place that says when a call may be closed
 * without a callback. It never invents a connection: a call is {@code completed} only when Twilio says
 * so, or when the service holds a duration above zero (the call was connected and has ended).
 */
public final class StuckCallPolicy {

    private StuckCallPolicy() {
    }

    /** A conclusion: apply an observation through the transition rule, or leave the call for a later run. */
    public record Decision(CallObservation observation, ReconcileOutcome outcome, String detail, Map<String, Object> evidence) {

        static Decision leave(ReconcileOutcome outcome, String detail) {
            return new Decision(null, outcome, detail, Map.of());
        }

        static Decision closed(CallObservation observation, String detail, Map<String, Object> evidence) {
            return new Decision(observation, ReconcileOutcome.CLOSED, detail, evidence);
        }

        /** Nothing to apply: the call is left as it is. */
        public boolean leavesCall() {
            return observation == null;
        }

        /** The decision's word in the call's events and the run's report: a closed call's status, else the outcome's. */
        public String word() {
            return outcome == ReconcileOutcome.CLOSED ? observation.status().value() : outcome.word();
        }
    }

    /** What the reconciler asks Twilio about a claimed call, or the decision when there is nothing to ask. */
    public sealed interface Question {
    }

    /** Who answered the dialed leg of an ended call; nothing else of the call is revisited. */
    public record WhoAnswered(String legSid) implements Question {
    }

    /** The dialed leg the call knows. */
    public record DialedLeg(String sid) implements Question {
    }

    /** The dialed legs of the parent call (it does not know its dialed leg), or else the parent itself. */
    public record ParentAndItsLegs(String parentSid) implements Question {
    }

    /** Nothing: Twilio cannot be asked, the decision is made at once. */
    public record NoQuestion(Decision decision) implements Question {
    }

    /**
     * The question for a claimed call. An ended call is claimed only for its lost answering-machine detection
     * result, and only with credentials: only who answered is asked, and never decided from evidence (there is
     * none about who answered).
     */
    public static Question question(StuckCall call, boolean twilioCanBeAsked, OffsetDateTime now, Duration giveUpAfter) {
        if (call.status().isTerminal()) {
            String leg = call.dialedSid() != null ? call.dialedSid() : call.callSid();
            return TwilioFormats.isCallSid(leg) ? new WhoAnswered(leg)
                    : new NoQuestion(Decision.leave(ReconcileOutcome.AWAITING_AMD_RESULT, "not a Twilio call sid"));
        }
        if (!twilioCanBeAsked) {
            return new NoQuestion(fromEvidence(call, now, giveUpAfter, "no Twilio credentials"));
        }
        if (!TwilioFormats.isCallSid(call.callSid())) {
            // Placeholder sids given to rows of the original system that had none (or a duplicate one).
            return new NoQuestion(fromEvidence(call, now, giveUpAfter, "not a Twilio call sid, Twilio cannot be asked"));
        }
        return call.dialedSid() != null ? new DialedLeg(call.dialedSid()) : new ParentAndItsLegs(call.callSid());
    }

    /** Twilio answered for the dialed leg. */
    public static Decision fromDialedLeg(TwilioCall leg, OffsetDateTime now) {
        var status = CallStatus.fromTwilio(leg.status());
        if (status.isEmpty()) {
            return Decision.leave(ReconcileOutcome.UNKNOWN_STATUS, "Twilio answered status '" + leg.status() + "'");
        }
        Integer duration = seconds(leg.duration());
        OffsetDateTime end = rfc2822(leg.endTime());
        var observation = CallObservation.from(Source.TWILIO_API).dialedSid(leg.sid()).durationSeconds(duration);
        // Twilio's answered_by stands in for an AMD callback that never arrived.
        AnsweredBy.fromTwilio(leg.answeredBy()).ifPresent(observation::answeredBy);
        if (status.get().isTerminal()) {
            observation.status(status.get(), end != null ? end : now, end == null);
            if (status.get() == CallStatus.COMPLETED && end != null && duration != null && duration > 0) {
                observation.answeredAt(end.minusSeconds(duration));
            }
            return Decision.closed(observation.build(), "Twilio says the dialed leg is " + leg.status(), twilioEvidence(leg));
        }
        // Still live: apply what Twilio says (it may move the call forward, e.g. to in-progress) but do not close it.
        OffsetDateTime start = rfc2822(leg.startTime());
        observation.status(status.get(), start != null ? start : now, start == null);
        return new Decision(observation.build(), ReconcileOutcome.LIVE, "Twilio says the dialed leg is still " + leg.status(),
                twilioEvidence(leg));
    }

    /**
     * Twilio answered for the dialed leg of a call that ended connected without its answering-machine detection
     * result: its {@code answered_by} stands in for the lost AMD callback. Nothing else of the call is revisited.
     */
    public static Decision answeredByOf(TwilioCall leg) {
        return AnsweredBy.fromTwilio(leg.answeredBy())
                .map(who -> new Decision(CallObservation.from(Source.TWILIO_API).dialedSid(leg.sid()).answeredBy(who).build(),
                        ReconcileOutcome.ANSWERED_BY, "Twilio says the dialed leg was answered by " + leg.answeredBy(), twilioEvidence(leg)))
                .orElseGet(() -> Decision.leave(ReconcileOutcome.AWAITING_AMD_RESULT,
                        "Twilio's call has no answered_by (" + leg.answeredBy() + ")"));
    }

    /** Twilio does not know the dialed leg of an ended call: asked again later, within the give-up window. */
    public static Decision whoAnsweredUnknownLeg() {
        return Decision.leave(ReconcileOutcome.AWAITING_AMD_RESULT, "Twilio does not know the dialed leg");
    }

    /** Twilio knows the parent leg but lists no dialed leg for it. */
    public static Decision fromParentWithoutDialedLeg(TwilioCall parent, OffsetDateTime now) {
        var status = CallStatus.fromTwilio(parent.status());
        if (status.isEmpty() || !status.get().isTerminal()) {
            return Decision.leave(ReconcileOutcome.LIVE, "the parent leg is still " + parent.status() + " and nothing was dialed yet");
        }
        OffsetDateTime end = rfc2822(parent.endTime());
        var observation = CallObservation.from(Source.TWILIO_API)
                .status(CallStatus.CANCELED, end != null ? end : now, end == null).parentEndedAt(end);
        return Decision.closed(observation.build(),
                "the parent leg ended (" + parent.status() + ") and no dialed leg ever existed: the dial never happened",
                twilioEvidence(parent));
    }

    /** No answer from Twilio is available (no credentials, or Twilio does not know the call): evidence only. */
    public static Decision fromEvidence(StuckCall call, OffsetDateTime now, Duration giveUpAfter, String why) {
        if (call.durationSeconds() != null && call.durationSeconds() > 0) {
            OffsetDateTime start = call.answeredAt() != null ? call.answeredAt() : call.createdAt();
            OffsetDateTime end = start.plusSeconds(call.durationSeconds());
            var observation = CallObservation.from(Source.INFERRED).status(CallStatus.COMPLETED, end, true);
            return Decision.closed(observation.build(),
                    why + "; the call has a duration of " + call.durationSeconds() + " s, so it was connected and has ended",
                    Map.of("durationSeconds", call.durationSeconds()));
        }
        if (call.createdAt().isBefore(now.minus(giveUpAfter))) {
            OffsetDateTime end = call.parentEndedAt() != null ? call.parentEndedAt() : call.staleSince();
            var observation = CallObservation.from(Source.INFERRED).status(CallStatus.UNKNOWN, end, true);
            return Decision.closed(observation.build(),
                    why + "; no evidence of an outcome after " + giveUpAfter.toHours() + " h: closed as unknown",
                    Map.of("createdAt", call.createdAt().toString()));
        }
        return Decision.leave(ReconcileOutcome.WAITING, why + "; no evidence yet, the call may still be live");
    }

    private static Map<String, Object> twilioEvidence(TwilioCall c) {
        var evidence = new java.util.HashMap<String, Object>();
        evidence.put("sid", c.sid());
        evidence.put("status", c.status());
        if (c.parentCallSid() != null) {
            evidence.put("parent_call_sid", c.parentCallSid());
        }
        if (c.duration() != null) {
            evidence.put("duration", c.duration());
        }
        if (c.startTime() != null) {
            evidence.put("start_time", c.startTime());
        }
        if (c.endTime() != null) {
            evidence.put("end_time", c.endTime());
        }
        if (c.answeredBy() != null) {
            evidence.put("answered_by", c.answeredBy());
        }
        return evidence;
    }

    static Integer seconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n >= 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static OffsetDateTime rfc2822(String value) {
        return value == null ? null : TwilioFormats.parseRfc2822(value.trim()).orElse(null);
    }
}
