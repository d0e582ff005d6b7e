package dev.calltracker.call;

import java.util.Optional;

/**
 * Who answered the dialed leg, as Twilio's answering-machine detection says: {@code AnsweredBy} of the AMD
 * callback, {@code answered_by} of the REST Call resource. Stored on the call ({@code call_recordings.answered_by}).
 */
public enum AnsweredBy {
    HUMAN("human"),
    MACHINE_START("machine_start"),
    MACHINE_END_BEEP("machine_end_beep"),
    MACHINE_END_SILENCE("machine_end_silence"),
    MACHINE_END_OTHER("machine_end_other"),
    FAX("fax"),
    /** Detection could not tell within its timeout. */
    UNKNOWN("unknown");

    private final String value;

    AnsweredBy(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The result for Twilio's word; empty for null or a word this service does not know. */
    public static Optional<AnsweredBy> fromTwilio(String word) {
        for (AnsweredBy a : values()) {
            if (a.value.equals(word)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
