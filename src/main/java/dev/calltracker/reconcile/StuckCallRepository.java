package dev.calltracker.reconcile;

import dev.calltracker.call.CallStatus;
import dev.calltracker.db.SqlFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The reconciler's queries: claiming candidates across replicas in queue order, releasing them, the backlog, the run
 * log. The fixed statements are in {@code src/main/resources/sql/}; the claims and the backlog are composed here,
 * because their predicates must render exactly as the indexes' (from {@link CallStatus}, one place for the rule).
 */
@ApplicationScoped
public class StuckCallRepository {

    private final String releaseClaimedCalls = SqlFile.load("release-claimed-calls.sql");
    private final String saveReconcileRun = SqlFile.load("save-reconcile-run.sql");

    /**
     * SQL for "the call is not terminal", from {@link CallStatus}. It renders exactly as the predicate of the
     * partial index {@code call_recordings_open_idx} (same values, same order; V5), so that the planner uses it.
     */
    public static String openPredicate(String statusColumn) {
        return Arrays.stream(CallStatus.terminalValues()).map(v -> "'" + v + "'")
                .collect(Collectors.joining(", ", statusColumn + " NOT IN (", ")"));
    }

    /** SQL for the time staleness is measured from: the last event, or creation for rows that never had one. */
    public static String staleSince(String alias) {
        return "COALESCE(" + alias + "last_event_at, " + alias + "created_at)";
    }

    private static final String OPEN = openPredicate("status");
    private static final String STALE_SINCE = staleSince("");

    /** The older lane's order: when the call became due. Identical to the expression of call_recordings_reconcile_due_idx (V7). */
    static final String DUE_SINCE = "COALESCE(reconcile_next_check_at, last_event_at, created_at)";

    /**
     * The claim rule of both lanes ($6 now, $7 run start): not claimed by a live claim, and not examined yet by
     * this run (a run takes each call once, whatever it decided).
     */
    private static final String CLAIMABLE = """
            (reconcile_claimed_until IS NULL OR reconcile_claimed_until < $6)
            AND (reconcile_checked_at IS NULL OR reconcile_checked_at < $7)""";

    /**
     * A candidate ($1 stale before, $2 parent ended before, $6 now): open, stuck, claimable, and due (never
     * examined, its re-check time reached, or an event since the last examination).
     */
    private static final String CANDIDATE = """
            %s
            AND %s
            AND (%s < $1 OR (parent_ended_at IS NOT NULL AND parent_ended_at < $2))
            AND (reconcile_next_check_at IS NULL OR reconcile_next_check_at <= $6 OR %s > reconcile_checked_at)"""
            .formatted(OPEN, CLAIMABLE, STALE_SINCE, STALE_SINCE);

    /**
     * Two lanes in one batch. The newer lane ($8 calls) takes the calls that went quiet most recently, so a call
     * that got stuck today is examined in the next batch however large the backlog (an adopted database, a
     * Twilio outage). The older lane ($3 calls) takes the rest in the order they became due, so the backlog
     * and the re-checks of live calls drain too. Both skip the rows other replicas hold.
     */
    private static final String CLAIM = """
            WITH newer AS (
                SELECT id FROM call_recordings WHERE %s
                 ORDER BY %s DESC LIMIT $8 FOR UPDATE SKIP LOCKED),
            older AS (
                SELECT id FROM call_recordings WHERE %s AND id NOT IN (SELECT id FROM newer)
                 ORDER BY %s LIMIT $3 FOR UPDATE SKIP LOCKED)
            UPDATE call_recordings
               SET reconcile_claimed_until = $4, reconcile_claimed_by = $5
             WHERE id IN (SELECT id FROM newer UNION ALL SELECT id FROM older)
            RETURNING %s""".formatted(CANDIDATE, STALE_SINCE, CANDIDATE, DUE_SINCE, StuckCall.COLUMNS);

    /** The share of a batch that goes to the newest stuck calls. */
    static int newerLane(int batchSize) {
        return Math.max(1, batchSize / 4);
    }

    /**
     * Claims up to {@code limit} candidates of the run started at {@code runStartedAt}: a quarter the newest
     * stuck calls, the rest the longest due. Candidates are non-terminal calls with no event since
     * {@code staleBefore}, or whose parent leg ended before {@code parentEndedBefore}.
     */
    public Uni<List<StuckCall>> claim(SqlClient db, OffsetDateTime staleBefore, OffsetDateTime parentEndedBefore,
                                      int limit, OffsetDateTime claimUntil, String claimant, OffsetDateTime now,
                                      OffsetDateTime runStartedAt) {
        int newer = Math.min(limit, newerLane(limit));
        Tuple args = Tuple.tuple().addValue(staleBefore).addValue(parentEndedBefore).addValue(limit - newer)
                .addValue(claimUntil).addValue(claimant).addValue(now).addValue(runStartedAt).addValue(newer);
        return db.preparedQuery(CLAIM).execute(args)
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(StuckCall::from).toList());
    }

    /**
     * With answering-machine detection: calls that ended connected ($1: before the stale age, so a late AMD
     * callback had its time) without a result, created within the give-up window ($2, through
     * call_recordings_created_at_idx: no index of their own, none to maintain on the hot path), with the
     * claim and re-check rules of the stuck calls ($6 now, $7 run start), oldest first.
     */
    private static final String CLAIM_AWAITING_AMD_RESULT = """
            WITH awaiting AS (
                SELECT id FROM call_recordings
                 WHERE created_at > $2 AND status = 'completed' AND answered_by IS NULL AND ended_at < $1
                   AND %s
                   AND (reconcile_next_check_at IS NULL OR reconcile_next_check_at <= $6)
                 ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            UPDATE call_recordings
               SET reconcile_claimed_until = $4, reconcile_claimed_by = $5
             WHERE id IN (SELECT id FROM awaiting)
            RETURNING %s""".formatted(CLAIMABLE, StuckCall.COLUMNS);

    /** Claims up to {@code limit} ended calls still waiting for their answering-machine detection result. */
    public Uni<List<StuckCall>> claimAwaitingAmdResult(SqlClient db, OffsetDateTime endedBefore, OffsetDateTime createdAfter,
                                                       int limit, OffsetDateTime claimUntil, String claimant,
                                                       OffsetDateTime now, OffsetDateTime runStartedAt) {
        Tuple args = Tuple.tuple().addValue(endedBefore).addValue(createdAfter).addValue(limit).addValue(claimUntil)
                .addValue(claimant).addValue(now).addValue(runStartedAt);
        return db.preparedQuery(CLAIM_AWAITING_AMD_RESULT).execute(args)
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(StuckCall::from).toList());
    }

    /**
     * Releases the claims {@code claimant} still holds and records when each call is due again. A run that
     * outlasted its lease may find some of its calls claimed by another replica since: those are not its to release.
     */
    public Uni<Void> release(SqlClient db, List<Recheck> rechecks, String claimant, OffsetDateTime checkedAt) {
        if (rechecks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(releaseClaimedCalls)
                .execute(Tuple.of(rechecks.stream().map(Recheck::id).toArray(UUID[]::new),
                        rechecks.stream().map(Recheck::nextCheckAt).toArray(OffsetDateTime[]::new),
                        rechecks.stream().map(Recheck::checks).toArray(Integer[]::new), checkedAt, claimant))
                .replaceWithVoid();
    }

    /** How many calls are stuck: the candidates (the backlog), and those stuck longer than the alert age. */
    public record Backlog(long candidates, long stuckBeyondAlert) {
    }

    /** One scan of the open calls (few, through call_recordings_open_idx) for both gauges. */
    public Uni<Backlog> backlog(SqlClient db, OffsetDateTime staleBefore, OffsetDateTime parentEndedBefore,
                                OffsetDateTime alertBefore) {
        return db.preparedQuery("SELECT count(*) FILTER (WHERE " + STALE_SINCE + " < $1 OR parent_ended_at < $2), "
                        + "count(*) FILTER (WHERE " + STALE_SINCE + " < $3) FROM call_recordings WHERE " + OPEN)
                .execute(Tuple.of(staleBefore, parentEndedBefore, alertBefore))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Backlog(row.getLong(0), row.getLong(1));
                });
    }

    /** Keeps the run's summary for the diagnostics (until retention.reconcile-runs: retention/DataRetention). */
    public Uni<Void> saveRun(SqlClient db, ReconcileReport run) {
        return db.preparedQuery(saveReconcileRun)
                .execute(Tuple.from(List.of(UUID.fromString(run.runId()), run.replica(), run.trigger(), run.startedAt(),
                        run.finishedAt(), run.stoppedBecause(), run.batches(), run.claimed(), run.closedCount(),
                        run.leftOpenCount(), run.twilioRequests(), run.rateLimited(), run.backlogAfter())))
                .replaceWithVoid();
    }
}
