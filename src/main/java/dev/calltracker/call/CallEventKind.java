package dev.calltracker.call;

/** The kinds of request that tell the service about a call. */
public enum CallEventKind {
    /** The TwiML App's Voice URL request that created the call. */
    VOICE("voice"),
    /** A status callback of the dialed leg ({@code <Number statusCallback>}). */
    DIALED_STATUS("dialed-status"),
    /** The {@code <Dial action>} request: the dial has ended. */
    DIAL_ACTION("dial-action"),
    /** The parent (browser) leg's own status callback from the TwiML App. */
    PARENT_STATUS("parent-status"),
    /** An answering-machine detection callback ({@code <Number amdStatusCallback>}); its CallSid is the dialed leg. */
    AMD("amd"),
    /** A recording status callback. */
    RECORDING("recording"),
    /** The reconciler's finding (from Twilio's REST API or from evidence). */
    RECONCILER("reconciler");

    private final String value;

    CallEventKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
