package dev.calltracker.http;

import java.time.Duration;

/**
 * The service cannot answer a well-formed request, for a reason the client cannot fix: a feature not configured,
 * or a service it depends on (Twilio) failing. Mapped to {@link Problem} with its status (502, 503, 504), and
 * {@code Retry-After} when asking again later can help.
 */
public class CannotAnswer extends AnsweredFailure {

    private final Duration retryAfter;

    public CannotAnswer(int status, String message, Duration retryAfter) {
        super(status, message);
        this.retryAfter = retryAfter;
    }

    /** When a retry can help; null when only a change of configuration can. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
