package dev.calltracker.call;

import java.util.Locale;

import java.util.Optional;

/**
 * Who answered the dialed leg, as Twilio's answering-machine detection says: {@code AnsweredBy} of the AMD
 * callback, {@code answered_by} of the REST Call resource. Stored on the call ({@code call_recordings.answered_by}).
 */
public enum AnsweredBy {
    HUMAN,
    MACHINE_START,
    MACHINE_END_BEEP,
    MACHINE_END_SILENCE,
    MACHINE_END_OTHER,
    FAX,
    /** Detection could not tell within its timeout. */
    UNKNOWN;

    /** Twilio's word, also the stored one: the name in lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The result for Twilio's word; empty for null or a word this service does not know. */
    public static Optional<AnsweredBy> fromTwilio(String word) {
        for (AnsweredBy a : values()) {
            if (a.value().equals(word)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
