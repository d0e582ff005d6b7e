package dev.calltracker.reconcile;

import java.util.EnumSet;
import java.util.Set;

/** What the reconciler did with a claimed call: closed it, completed it, or left it open, and why. */
public enum ReconcileOutcome {
    /** Closed with the terminal status Twilio or the evidence gave: its word is that status. */
    CLOSED(null),
    /** An ended call got who answered from Twilio (its answering-machine detection result was lost). */
    ANSWERED_BY("answered-by"),
    /** Twilio says the dialed leg (or the parent leg, before anything was dialed) is still live. */
    LIVE("left-live"),
    /** Twilio answered a status word the service does not know. */
    UNKNOWN_STATUS("left-unknown-status"),
    /** No answer from Twilio and no evidence yet: the call may still be live. */
    WAITING("left-waiting"),
    /** An ended call whose detection result Twilio does not have (yet). */
    AWAITING_AMD_RESULT("left-awaiting-amd-result"),
    /** Twilio's API refused the request (a 4xx that asking again cannot change). */
    TWILIO_REFUSED("left-twilio-refused"),
    /** Twilio's API did not answer (timeouts, 5xx, the breaker open). */
    TWILIO_UNAVAILABLE("left-twilio-unavailable"),
    /** A failure of ours while deciding or applying. */
    ERROR("left-error"),
    /** An event arrived while Twilio was asked: the call is left for the next run. */
    CHANGED("left-changed");

    /** Outcomes where nothing was learnt about the call: its back-off does not grow. */
    private static final Set<ReconcileOutcome> NOTHING_LEARNT = EnumSet.of(TWILIO_UNAVAILABLE, TWILIO_REFUSED, ERROR);

    private final String word;

    ReconcileOutcome(String word) {
        this.word = word;
    }

    /** The word of an outcome that is not {@link #CLOSED} (a closed call's word is its status). */
    String word() {
        return word;
    }

    /** Whether the call stays open (the {@code left-*} outcomes). */
    public boolean leavesCallOpen() {
        return this != CLOSED && this != ANSWERED_BY;
    }

    /** Whether nothing was learnt about the call (Twilio unreachable, refusing, or a failure of ours). */
    boolean learntNothing() {
        return NOTHING_LEARNT.contains(this);
    }
}
