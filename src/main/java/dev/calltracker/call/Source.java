package dev.calltracker.call;

import java.util.Locale;

/**
 * Where what the service knows about a call came from. Stored on every event ({@code call_events.source})
 * and, for the observation that decided the call's outcome, on the call ({@code call_recordings.resolution}).
 */
public enum Source {
    /** Twilio told us, through a callback. */
    CALLBACK,
    /** The reconciler asked Twilio's REST API. */
    TWILIO_API,
    /** The reconciler decided from evidence held by the service (duration, age). */
    INFERRED;

    /** The stored word: the name in lower case, with dashes. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
