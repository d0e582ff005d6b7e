package dev.calltracker.testing;

import static dev.calltracker.testing.TwilioFake.dialAction;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.parentStatus;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One browser call from an agent to a lead, as Twilio plays it: every request Twilio sends for it, built
 * once (so a re-delivery is the same request), and the final state their in-order delivery gives. Times
 * are whole seconds, as in Twilio's timestamps; an answered call talks for {@link #TALK_SECONDS}.
 *
 * @param dialedSid the dialed leg's sid; null when nothing was dialed
 * @param voice     the Voice URL request that starts the call
 * @param dialedLeg the dialed leg's status callbacks, in Twilio's order
 * @param action    the {@code <Dial action>} request; null when nothing was dialed
 * @param recording the recording status callback; null unless the call completed
 * @param parentEnd the parent (browser) leg's completed status callback
 */
public record BrowserCall(String parentSid, String dialedSid, UUID leadId, String phone, Outcome outcome,
                          OffsetDateTime dialedAt, Map<String, String> voice, List<Map<String, String>> dialedLeg,
                          Map<String, String> action, Map<String, String> recording, Map<String, String> parentEnd) {

    /** How the dialed leg ends. */
    public enum Outcome {
        COMPLETED("completed"),
        BUSY("busy"),
        NO_ANSWER("no-answer"),
        FAILED("failed"),
        CANCELED("canceled"),
        /**
         * The agent hung up before Twilio dialed: only the parent leg ends. The reconciler later closes such
         * a call as canceled (Twilio lists no dialed leg); callbacks alone leave it open.
         */
        HUNG_UP_BEFORE_DIAL("initiated");

        /** The call's status once every request is handled. */
        public final String finalStatus;

        Outcome(String finalStatus) {
            this.finalStatus = finalStatus;
        }
    }

    public static final int TALK_SECONDS = 42;
    static final int RECORDED_SECONDS = TALK_SECONDS - 2;

    /** A call with new sids to the lead's phone, dialed five minutes ago. */
    public static BrowserCall to(UUID leadId, String phone, Outcome outcome) {
        return to(leadId, phone, outcome, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
    }

    /** A call with new sids to the lead's phone, dialed at {@code dialedAt}. */
    public static BrowserCall to(UUID leadId, String phone, Outcome outcome, OffsetDateTime dialedAt) {
        String parent = newSid("CA");
        OffsetDateTime t0 = dialedAt.truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> voice = fixed(TwilioFake.voice(parent, phone, leadId == null ? null : leadId.toString()));
        if (outcome == Outcome.HUNG_UP_BEFORE_DIAL) {
            return new BrowserCall(parent, null, leadId, phone, outcome, t0, voice, List.of(), null, null,
                    parentEnd(parent, t0, t0.plusSeconds(1)));
        }
        String child = newSid("CA");
        OffsetDateTime ended = endedAt(outcome, t0);
        Integer duration = durationSeconds(outcome);
        List<Map<String, String>> leg = new ArrayList<>();
        leg.add(fixed(dialedStatus(parent, child, "initiated", 0, t0, null)));
        switch (outcome) {
            case COMPLETED -> {
                leg.add(fixed(dialedStatus(parent, child, "ringing", 1, t0.plusSeconds(2), null)));
                leg.add(fixed(dialedStatus(parent, child, "in-progress", 2, answeredAt(outcome, t0), null)));
                leg.add(fixed(dialedStatus(parent, child, "completed", 3, ended, duration)));
            }
            case FAILED -> leg.add(fixed(dialedStatus(parent, child, "failed", 1, ended, duration)));
            default -> {
                leg.add(fixed(dialedStatus(parent, child, "ringing", 1, t0.plusSeconds(2), null)));
                leg.add(fixed(dialedStatus(parent, child, outcome.finalStatus, 2, ended, duration)));
            }
        }
        Map<String, String> recording = outcome == Outcome.COMPLETED
                ? fixed(TwilioFake.recording(parent, newSid("RE"), RECORDED_SECONDS)) : null;
        return new BrowserCall(parent, child, leadId, phone, outcome, t0, voice, List.copyOf(leg),
                fixed(dialAction(parent, child, outcome.finalStatus, duration)), recording,
                parentEnd(parent, t0, ended.plusSeconds(1)));
    }

    /** The browser leg rang in a few seconds before the dial and hangs up a second after it. */
    private static Map<String, String> parentEnd(String parent, OffsetDateTime dialedAt, OffsetDateTime endedAt) {
        int seconds = (int) ChronoUnit.SECONDS.between(dialedAt.minusSeconds(3), endedAt);
        return fixed(parentStatus(parent, "completed", endedAt, seconds));
    }

    private static Map<String, String> fixed(Map<String, String> request) {
        return Collections.unmodifiableMap(request);
    }

    private static OffsetDateTime answeredAt(Outcome outcome, OffsetDateTime dialedAt) {
        return outcome == Outcome.COMPLETED ? dialedAt.plusSeconds(8) : null;
    }

    private static OffsetDateTime endedAt(Outcome outcome, OffsetDateTime dialedAt) {
        return switch (outcome) {
            case COMPLETED -> answeredAt(outcome, dialedAt).plusSeconds(TALK_SECONDS);
            case BUSY -> dialedAt.plusSeconds(3);
            case NO_ANSWER, CANCELED -> dialedAt.plusSeconds(25);
            case FAILED -> dialedAt.plusSeconds(1);
            case HUNG_UP_BEFORE_DIAL -> null;
        };
    }

    private static Integer durationSeconds(Outcome outcome) {
        return switch (outcome) {
            case COMPLETED -> TALK_SECONDS;
            case HUNG_UP_BEFORE_DIAL -> null;
            default -> 0;
        };
    }

    // --- the call --------------------------------------------------------------------------------

    /** When the lead answered; null unless the call completed. */
    public OffsetDateTime answeredAt() {
        return answeredAt(outcome, dialedAt);
    }

    /** When the dialed leg ended; null when nothing was dialed. */
    public OffsetDateTime endedAt() {
        return endedAt(outcome, dialedAt);
    }

    /** The dialed leg's duration as Twilio reports it; null when nothing was dialed. */
    public Integer durationSeconds() {
        return durationSeconds(outcome);
    }

    // --- Twilio's requests -----------------------------------------------------------------------

    /** The dialed leg's status callback reporting {@code status}. */
    public Map<String, String> dialedStatusCallback(String status) {
        return dialedLeg.stream().filter(r -> status.equals(r.get("CallStatus"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a " + outcome + " call has no " + status + " callback"));
    }

    /** What the {@code <Dial>} produces: the dialed leg's status callbacks, in Twilio's order, then the action request. */
    public List<Map<String, String>> dialedLegAndAction() {
        List<Map<String, String>> requests = new ArrayList<>(dialedLeg);
        if (action != null) {
            requests.add(action);
        }
        return List.copyOf(requests);
    }

    /** Every request Twilio sends for the call, in the order it sends them. */
    public List<Map<String, String>> requests() {
        List<Map<String, String>> requests = new ArrayList<>();
        requests.add(voice);
        requests.addAll(dialedLegAndAction());
        if (recording != null) {
            requests.add(recording);
        }
        requests.add(parentEnd);
        return List.copyOf(requests);
    }

    // --- what it must end as ---------------------------------------------------------------------

    /** The state in-order delivery of {@link #requests()} gives, for a lead that was {@code new}. */
    public FinalState finalState() {
        return finalStateAfter(requests());
    }

    /** The state once the voice request, the dialed leg's callbacks and the action are handled, for a {@code new} lead. */
    public FinalState finalStateAfterTheDial() {
        List<Map<String, String>> delivered = new ArrayList<>(dialedLegAndAction());
        delivered.add(voice);
        return finalStateAfter(delivered);
    }

    /**
     * The state in-order delivery of {@code delivered} gives, for a lead that was {@code new}: the voice
     * request and the dialed leg's callbacks and action, with or without the recording and the parent's end.
     */
    public FinalState finalStateAfter(Collection<Map<String, String>> delivered) {
        boolean contacted = outcome == Outcome.COMPLETED;
        return new FinalState(outcome.finalStatus, dialedSid, answeredAt(), endedAt(), false, durationSeconds(),
                delivered.contains(parentEnd), contacted ? "contacted" : "new", contacted ? endedAt() : null, 1,
                new HashSet<>(delivered).size());
    }

    @Override
    public String toString() {
        return outcome + " call " + parentSid;
    }
}
