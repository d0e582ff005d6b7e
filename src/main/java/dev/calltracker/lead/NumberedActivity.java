package dev.calltracker.lead;

import java.time.OffsetDateTime;

/**
 * An activity as its latest change left it: {@code seq} numbers that change among the lead's changes (in commit
 * order, see V8), {@code changedAt} is when the writing transaction started.
 */
public record NumberedActivity(long seq, OffsetDateTime changedAt, LeadActivity activity) {
}
