package dev.calltracker.call;

/**
 * Where what the service knows about a call came from. Stored on every event ({@code call_events.source})
 * and, for the observation that decided the call's outcome, on the call ({@code call_recordings.resolution}).
 */
public enum Source {
    /** Twilio told us, through a callback. */
    CALLBACK("callback"),
    /** The reconciler asked Twilio's REST API. */
    TWILIO_API("twilio-api"),
    /** The reconciler decided from evidence held by the service (duration, age). */
    INFERRED("inferred");

    private final String value;

    Source(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
