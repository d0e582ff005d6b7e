package dev.calltracker.twilio;

import dev.calltracker.http.RequestRejected;

/**
 * A Twilio request refused before anything was written: 403 for a signature that does not verify (or another
 * account's), 400 for a signed request that is not what Twilio sends. Counted by endpoint where it becomes
 * an answer ({@link TwilioRequestRejectedMapper}).
 */
public final class TwilioRequestRejected extends RequestRejected {

    private final String endpoint;

    private TwilioRequestRejected(String endpoint, int status, String message, String field) {
        super(status, message, field);
        this.endpoint = endpoint;
    }

    static TwilioRequestRejected invalid(String endpoint, String field, String message) {
        return new TwilioRequestRejected(endpoint, 400, message, field);
    }

    static TwilioRequestRejected forbidden(String endpoint, String message) {
        return new TwilioRequestRejected(endpoint, 403, message, null);
    }

    public String endpoint() {
        return endpoint;
    }
}
