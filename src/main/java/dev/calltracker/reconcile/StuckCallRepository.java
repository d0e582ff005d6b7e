package dev.calltracker.reconcile;

import dev.calltracker.call.CallStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** The reconciler's queries: claiming candidates across replicas, releasing them, counting stuck calls. */
@ApplicationScoped
public class StuckCallRepository {

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

    private static final String CLAIM = """
            UPDATE call_recordings
               SET reconcile_claimed_until = $4, reconcile_claimed_by = $5
             WHERE id IN (
                   SELECT id FROM call_recordings
                    WHERE %s
                      AND (reconcile_claimed_until IS NULL OR reconcile_claimed_until < $6)
                      AND (%s < $1
                           OR (parent_ended_at IS NOT NULL AND parent_ended_at < $2))
                    ORDER BY %s
                    LIMIT $3
                    FOR UPDATE SKIP LOCKED)
            RETURNING %s""".formatted(OPEN, staleSince(""), staleSince(""), StuckCall.COLUMNS);

    /**
     * Claims up to {@code limit} candidates, oldest first: non-terminal calls with no event since
     * {@code staleBefore}, or whose parent leg ended before {@code parentEndedBefore}. Rows another replica
     * holds (locked or claimed) are skipped.
     */
    public Uni<List<StuckCall>> claim(SqlClient db, OffsetDateTime staleBefore, OffsetDateTime parentEndedBefore,
                                      int limit, OffsetDateTime claimUntil, String claimant, OffsetDateTime now) {
        Tuple args = Tuple.tuple().addValue(staleBefore).addValue(parentEndedBefore).addValue(limit)
                .addValue(claimUntil).addValue(claimant).addValue(now);
        return db.preparedQuery(CLAIM).execute(args)
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(StuckCall::from).toList());
    }

    /**
     * Releases the claims {@code claimant} still holds. A run that outlasted its lease may find some of its
     * calls claimed by another replica since: those claims are not its to release.
     */
    public Uni<Void> release(SqlClient db, List<UUID> ids, String claimant) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("UPDATE call_recordings SET reconcile_claimed_until = NULL, reconcile_claimed_by = NULL "
                        + "WHERE id = ANY($1) AND reconcile_claimed_by = $2")
                .execute(Tuple.of(ids.toArray(UUID[]::new), claimant)).replaceWithVoid();
    }

    /** Non-terminal calls with no event since {@code before}: the stuck-calls gauge. */
    public Uni<Long> countStuck(SqlClient db, OffsetDateTime before) {
        return db.preparedQuery("SELECT count(*) FROM call_recordings WHERE " + OPEN
                        + " AND " + staleSince("") + " < $1")
                .execute(Tuple.of(before)).map(rows -> rows.iterator().next().getLong(0));
    }
}
