package dev.calltracker.db;

import java.time.Duration;

/**
 * The database did not answer within a deadline: the request is refused with 503 and nothing it carried is
 * taken as stored (Twilio retries, and every callback is idempotent).
 */
public final class DatabaseUnavailable extends RuntimeException {

    /** Where the deadline passed. */
    public enum Phase {
        /** No pooled connection came in time (all busy with a silent database, or the wait queue full). */
        ACQUIRE("acquire"),
        /** A new connection was not ready in time. */
        CONNECT("connect"),
        /** A connection held its statements unanswered past the transaction deadline; it was closed. */
        TRANSACTION("transaction");

        private final String tag;

        Phase(String tag) {
            this.tag = tag;
        }

        /** The metric tag and log word. */
        public String tag() {
            return tag;
        }
    }

    private final Phase phase;

    DatabaseUnavailable(Phase phase, Duration deadline, Throwable cause) {
        super(cause == null
                ? "database did not answer within the " + phase.tag() + " deadline of " + deadline.toMillis() + " ms"
                : "database unavailable at " + phase.tag() + " (deadline " + deadline.toMillis() + " ms): " + describe(cause),
                cause, false, false);
        this.phase = phase;
    }

    public Phase phase() {
        return phase;
    }

    /** What refused it, for the log line: some of the pool's and Netty's failures carry no message. */
    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
