package dev.calltracker.reconcile;

/**
 * Twilio's REST API refused a request with a 4xx that asking again cannot change: wrong credentials
 * (401), an account or key without the permission (403), a malformed request (400). Never retried.
 */
public class TwilioApiRefused extends RuntimeException {

    private final int status;

    TwilioApiRefused(int status, Throwable cause) {
        super("Twilio's REST API refused the request with HTTP " + status, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
