package dev.calltracker.call;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The statuses of a call and their order of progress: the one place that says which status may
 * follow which. {@code queued < initiated < ringing < in-progress < terminal}; a terminal status is
 * final.
 */
public enum CallStatus {
    QUEUED("queued", 0),
    INITIATED("initiated", 1),
    RINGING("ringing", 2),
    IN_PROGRESS("in-progress", 3),
    COMPLETED("completed", 4),
    BUSY("busy", 4),
    NO_ANSWER("no-answer", 4),
    FAILED("failed", 4),
    CANCELED("canceled", 4),
    /**
     * Not a Twilio status: the reconciler's honest verdict for a call whose outcome nobody can tell
     * any more (no callback, Twilio does not know it, no evidence). Terminal; never counts as contact.
     */
    UNKNOWN("unknown", 4);

    private static final int TERMINAL_RANK = 4;
    private static final Map<String, CallStatus> BY_VALUE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(s -> s.value, Function.identity()));

    private final String value;
    private final int rank;

    CallStatus(String value, int rank) {
        this.value = value;
        this.rank = rank;
    }

    /** The word stored in the database and used by Twilio. */
    public String value() {
        return value;
    }

    public boolean isTerminal() {
        return rank == TERMINAL_RANK;
    }

    /** True when a call now in this status may move to {@code next}: forward only, never out of terminal. */
    public boolean mayBecome(CallStatus next) {
        return !isTerminal() && next.rank > rank;
    }

    /** A status stored in the database (any of ours, including {@code unknown}). */
    public static Optional<CallStatus> fromStored(String value) {
        return Optional.ofNullable(value == null ? null : BY_VALUE.get(value));
    }

    /** A status Twilio sent; {@code unknown} is ours, so Twilio cannot send it. */
    public static Optional<CallStatus> fromTwilio(String value) {
        return fromStored(value).filter(s -> s != UNKNOWN);
    }

    /** The stored words of the terminal statuses, for SQL. */
    public static String[] terminalValues() {
        return Arrays.stream(values()).filter(CallStatus::isTerminal).map(CallStatus::value).toArray(String[]::new);
    }
}
