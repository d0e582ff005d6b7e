package dev.calltracker.testing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a call and its lead stand once Twilio's requests have been handled: what a test expects
 * ({@link BrowserCall#finalState()}) and what the database holds ({@link TestSql#finalStateOf}).
 *
 * @param twilioRequests the distinct requests of Twilio's stored for the call (the reconciler's findings not counted)
 */
public record FinalState(String status, String dialedSid, OffsetDateTime answeredAt, OffsetDateTime endedAt,
                         boolean endedAtEstimated, Integer durationSeconds, boolean parentEnded, String leadStatus,
                         OffsetDateTime lastContactedAt, long activities, long twilioRequests) {

    /** The same state for a lead whose status a call does not change (one beyond {@code new}). */
    public FinalState withLeadStatus(String status) {
        return new FinalState(this.status, dialedSid, answeredAt, endedAt, endedAtEstimated, durationSeconds, parentEnded,
                status, lastContactedAt, activities, twilioRequests);
    }

    /** What differs in {@code actual}, one line per field; empty when it is this state (times compared as instants). */
    public List<String> differencesFrom(FinalState actual) {
        if (actual == null) {
            return List.of("no such call");
        }
        List<String> wrong = new ArrayList<>();
        compare(wrong, "status", status, actual.status);
        compare(wrong, "dialed sid", dialedSid, actual.dialedSid);
        compare(wrong, "answered at", answeredAt, actual.answeredAt);
        compare(wrong, "ended at", endedAt, actual.endedAt);
        compare(wrong, "ended at estimated", endedAtEstimated, actual.endedAtEstimated);
        compare(wrong, "duration", durationSeconds, actual.durationSeconds);
        compare(wrong, "parent ended", parentEnded, actual.parentEnded);
        compare(wrong, "lead status", leadStatus, actual.leadStatus);
        compare(wrong, "last contacted at", lastContactedAt, actual.lastContactedAt);
        compare(wrong, "activities", activities, actual.activities);
        compare(wrong, "Twilio requests stored", twilioRequests, actual.twilioRequests);
        return wrong;
    }

    private static void compare(List<String> wrong, String what, Object expected, Object actual) {
        boolean same = expected instanceof OffsetDateTime e && actual instanceof OffsetDateTime a ? e.isEqual(a)
                : Objects.equals(expected, actual);
        if (!same) {
            wrong.add(what + " expected " + expected + " but was " + actual);
        }
    }
}
