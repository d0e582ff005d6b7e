package dev.calltracker.call;

import java.util.Locale;

/** The kinds of request that tell the service about a call. */
public enum CallEventKind {
    /** The TwiML App's Voice URL request that created the call. */
    VOICE,
    /** A status callback of the dialed leg ({@code <Number statusCallback>}). */
    DIALED_STATUS,
    /** The {@code <Dial action>} request: the dial has ended. */
    DIAL_ACTION,
    /** The parent (browser) leg's own status callback from the TwiML App. */
    PARENT_STATUS,
    /** An answering-machine detection callback ({@code <Number amdStatusCallback>}); its CallSid is the dialed leg. */
    AMD,
    /** A recording status callback. */
    RECORDING,
    /** The reconciler's finding (from Twilio's REST API or from evidence). */
    RECONCILER;

    /** The stored word ({@code call_events.kind}): the name in lower case, with dashes. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The start of every {@code call_events.dedupe_key} of this kind. An AMD result's key is this and the dialed
     * leg's sid, one result per leg, stored under that leg ({@code call_sid}): the statements that read a call's
     * result look it up by both.
     */
    public String keyPrefix() {
        return value() + ":";
    }

    /** The dedupe key of an event of this kind: equal for every delivery of the event that {@code parts} name. */
    public String dedupeKey(Object... parts) {
        StringBuilder key = new StringBuilder(keyPrefix());
        for (int i = 0; i < parts.length; i++) {
            key.append(i == 0 ? "" : ":").append(parts[i]);
        }
        return key.toString();
    }
}
