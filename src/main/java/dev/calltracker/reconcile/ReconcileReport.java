package dev.calltracker.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What one reconciler run did: the answer of {@code POST /api/admin/reconcile}, its log line and its row in
 * {@code reconcile_runs}.
 *
 * @param stoppedBecause {@code drained} (no call was due any more), {@code time-limit} ({@code reconcile.run-time-limit}),
 *                       or {@code skipped} (a run was already under way on this replica)
 * @param backlogAfter   stuck calls left when the run ended (candidates, examined or not)
 */
@RegisterForReflection
public record ReconcileReport(String runId, String trigger, String replica, OffsetDateTime startedAt,
                              OffsetDateTime finishedAt, String stoppedBecause, int batches, int claimed,
                              long twilioRequests, long rateLimited, long backlogAfter, List<Entry> calls) {

    public static final String DRAINED = "drained";
    public static final String TIME_LIMIT = "time-limit";
    public static final String SKIPPED = "skipped";

    /**
     * One claimed call.
     *
     * @param kind    what became of the call
     * @param outcome its word: the status it was closed with, {@code answered-by}, or {@code left-*} when it stays open
     * @param source  {@code twilio-api}, {@code inferred}, or null when nothing was applied
     * @param applied whether the call changed
     */
    @RegisterForReflection
    public record Entry(String callSid, @JsonIgnore ReconcileOutcome kind, String outcome, String source, boolean applied,
                        String detail) {

        /** The call was closed (it stays open on every {@code left-*} outcome). */
        public boolean closed() {
            return applied && !kind.leavesCallOpen();
        }
    }

    static ReconcileReport skipped(String runId, String trigger, String replica, OffsetDateTime now) {
        return new ReconcileReport(runId, trigger, replica, now, now, SKIPPED, 0, 0, 0, 0, 0, List.of());
    }

    /** A run already under way on this replica: a field of its own, so a client need not know the words of stoppedBecause. */
    @JsonProperty
    public boolean skipped() {
        return SKIPPED.equals(stoppedBecause);
    }

    public int closedCount() {
        return (int) calls.stream().filter(Entry::closed).count();
    }

    public int leftOpenCount() {
        return claimed - closedCount();
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
