package dev.calltracker.call;

/** How a call's outcome was decided, recorded on the call and on every event. */
public enum Resolution {
    /** Twilio told us, through a callback. */
    CALLBACK("callback"),
    /** The reconciler asked Twilio's REST API. */
    TWILIO_API("twilio-api"),
    /** The reconciler decided from evidence held by the service (duration, age). */
    INFERRED("inferred");

    private final String value;

    Resolution(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
