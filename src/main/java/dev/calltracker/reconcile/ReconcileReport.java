package dev.calltracker.reconcile;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;

/** What one reconciler run did: the answer of {@code POST /api/admin/reconcile}, and its log line. */
@RegisterForReflection
public record ReconcileReport(String runId, String trigger, String replica, OffsetDateTime startedAt, boolean skipped,
                              int claimed, List<Entry> calls) {

    /**
     * One claimed call.
     *
     * @param outcome the status it was closed or moved to, or {@code left-*} when it stays open
     * @param source  {@code twilio-api}, {@code inferred}, or null when nothing was applied
     * @param applied whether the call changed
     */
    @RegisterForReflection
    public record Entry(String callSid, String outcome, String source, boolean applied, String detail) {
    }

    static ReconcileReport skipped(String runId, String trigger, String replica, OffsetDateTime now) {
        return new ReconcileReport(runId, trigger, replica, now, true, 0, List.of());
    }

    public long appliedCount() {
        return calls.stream().filter(Entry::applied).count();
    }
}
