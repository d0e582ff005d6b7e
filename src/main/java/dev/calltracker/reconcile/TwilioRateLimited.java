package dev.calltracker.reconcile;

import java.time.Duration;

/**
 * Twilio's REST API answered 429 (error 20429: too many concurrent requests for the account). Says
 * nothing about the call asked for: it only slows this replica's requests down
 * ({@link TwilioConcurrencyLimit}) and is retried, and it does not count as a failure for the breaker.
 */
public class TwilioRateLimited extends RuntimeException {

    private final Duration retryAfter;

    TwilioRateLimited(Duration retryAfter, Throwable cause) {
        super("Twilio's REST API answered 429 (too many concurrent requests), retry after " + retryAfter.toMillis() + " ms",
                cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
