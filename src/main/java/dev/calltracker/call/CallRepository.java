package dev.calltracker.call;

import dev.calltracker.config.WebhooksConfig;
import dev.calltracker.db.PipelinedTransaction;
import dev.calltracker.db.SqlFile;
import dev.calltracker.db.Watches;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The writes of calls, their events and the lead side effects of a change, and the locks they take. Every
 * statement takes the connection to run on, so the caller owns the transaction. The statements are in
 * {@code src/main/resources/sql/} (the benchmark runs the hot path's). The API's reads are {@link CallViewRepository}.
 */
@ApplicationScoped
public class CallRepository {

    private final String appendEventAndLockCall = SqlFile.load("append-event-and-lock-call.sql");
    private final String saveTransition = SqlFile.load("save-transition.sql");
    private final String recordDialedCall = SqlFile.load("record-dialed-call.sql");
    private final String appendAmdResultAndLockCall = SqlFile.load("append-amd-result-and-lock-call.sql");
    private final String appendParentStatusToKnownCall = SqlFile.load("append-parent-status-to-known-call.sql");
    private final String lockDialedLeg = SqlFile.load("lock-dialed-leg.sql");
    private final String lockCall = SqlFile.load("lock-call.sql");
    private final String enqueueCallWebhooks = SqlFile.load("enqueue-call-webhooks.sql");
    /** Whether a change also writes its webhook events (the outbox is left alone while webhooks are off). */
    private final boolean webhooks;

    public CallRepository(WebhooksConfig webhooks) {
        this.webhooks = webhooks.enabled();
    }

    /** What recording the voice webhook found: the call, and whether this request created it. */
    public record DialedCall(CallRow row, boolean created) {
    }

    /**
     * Appends the event and locks its call (created if unknown) until the transaction ends; empty when the
     * event is a re-delivery: nothing was written.
     */
    public Uni<Optional<CallRow>> appendEventAndLockCall(SqlClient db, CallEvent e) {
        return db.preparedQuery(appendEventAndLockCall).execute(eventArgs(e)).map(first(CallRow::from));
    }

    /** What appending a parent leg's status found: whether its call exists, and the call, locked, when the event was stored. */
    public record ParentStatusAppended(boolean callKnown, Optional<CallRow> call) {
    }

    /**
     * Appends a parent leg's status event to its call and locks the call, only when the call exists: a parent leg
     * no call knows was never dialed (a refused dial), and leaves nothing behind ({@code append-parent-status-to-known-call.sql}).
     */
    public Uni<ParentStatusAppended> appendParentStatusToKnownCall(SqlClient db, CallEvent e) {
        return db.preparedQuery(appendParentStatusToKnownCall).execute(eventArgs(e)).map(rows -> {
            Row row = rows.iterator().next();
            return new ParentStatusAppended(Boolean.TRUE.equals(row.getBoolean("known")),
                    row.getUUID("id") == null ? Optional.empty() : Optional.of(CallRow.from(row)));
        });
    }

    private static Tuple eventArgs(CallEvent e) {
        return Tuple.tuple()
                .addValue(e.callSid())
                .addValue(e.legSid())
                .addValue(e.kind().value())
                .addValue(e.statusWord())
                .addValue(e.sequenceNumber())
                .addValue(e.twilioTimestamp())
                .addValue(e.receivedAt())
                .addValue(e.observation().source().value())
                .addValue(e.dedupeKey())
                .addValue(json(e.params()))
                .addValue(e.observation().dialedSid())
                .addValue(CallEventKind.AMD.keyPrefix());
    }

    /**
     * Serialises, until the transaction ends, the transactions that link a dialed leg to its call: an AMD
     * result (which names only the leg) and an event that teaches the call that leg. Without it each could
     * commit unseen by the other and the result would stay unlinked; the lock is its own statement so the
     * next statement's snapshot is taken after the other transaction committed.
     */
    public Uni<Void> lockDialedLeg(SqlClient db, String dialedSid) {
        return db.preparedQuery(lockDialedLeg).execute(Tuple.of(dialedSid)).replaceWithVoid();
    }

    /** What storing an AMD result found: the call of its dialed leg, locked, or none while no call knows that leg. */
    public record StoredAmdResult(Optional<CallRow> call) {
    }

    /**
     * Appends an AMD result and locks the call of its dialed leg until the transaction ends; empty when the
     * event is a re-delivery: nothing was written.
     */
    public Uni<Optional<StoredAmdResult>> appendAmdResultAndLockCall(SqlClient db, CallEvent e) {
        Tuple args = Tuple.of(e.legSid(), e.statusWord(), e.receivedAt(), json(e.params()), e.dedupeKey());
        return db.preparedQuery(appendAmdResultAndLockCall).execute(args).map(first(row -> new StoredAmdResult(
                row.getUUID("id") == null ? Optional.empty() : Optional.of(CallRow.from(row)))));
    }

    /** Writes the call's next state, its lead (when the change contacts it) and its activity. */
    public Uni<Void> save(SqlClient db, CallChange change) {
        CallState next = change.next();
        Tuple args = Tuple.tuple()
                .addValue(change.call().id())
                .addValue(next.status().value())
                .addValue(next.dialedSid())
                .addValue(next.toNumber())
                .addValue(next.answeredAt())
                .addValue(next.endedAt())
                .addValue(next.endedAtEstimated())
                .addValue(next.durationSeconds())
                .addValue(next.recordingSid())
                .addValue(next.recordingUrl())
                .addValue(next.recordingDurationSeconds())
                .addValue(next.parentEndedAt())
                .addValue(next.resolution() == null ? null : next.resolution().value())
                .addValue(change.leadContact().map(LeadContact::contactedAt).orElse(null))
                .addValue(change.leadContact().map(LeadContact::replaces).orElse(null))
                .addValue(change.changesTimeline() ? 1 : 0)
                .addValue(next.answeredBy() == null ? null : next.answeredBy().value())
                .addValue(Watches.LEAD_ACTIVITY.space())
                .addValue(Watches.keyOf(change.call().leadId()));
        Uni<RowSet<Row>> saved = db.preparedQuery(saveTransition).execute(args);
        if (!webhooks) {
            return saved.replaceWithVoid();
        }
        // Before save-transition.sql, in the same round trip: it reads the lead as that statement finds it.
        return PipelinedTransaction.sentTogether(enqueueWebhooks(db, change), saved).replaceWithVoid();
    }

    /** The change's events in {@code webhook_outbox} ({@code enqueue-call-webhooks.sql}): call.updated, maybe lead.contacted. */
    private Uni<RowSet<Row>> enqueueWebhooks(SqlClient db, CallChange change) {
        CallRow call = change.call();
        CallState next = change.next();
        JsonObject data = new JsonObject()
                .put("call_id", call.id().toString())
                .put("call_sid", call.callSid())
                .put("dialed_call_sid", next.dialedSid())
                .put("lead_id", call.leadId() == null ? null : call.leadId().toString())
                .put("status", next.status().value())
                .put("started_at", instant(call.createdAt()))
                .put("answered_at", instant(next.answeredAt()))
                .put("ended_at", instant(next.endedAt()))
                .put("ended_at_estimated", next.endedAtEstimated())
                .put("duration_seconds", next.durationSeconds())
                .put("answered_by", next.answeredBy() == null ? null : next.answeredBy().value())
                .put("recording_sid", next.recordingSid());
        Tuple args = Tuple.of(data, call.leadId(), change.leadContact().map(LeadContact::contactedAt).orElse(null), call.id());
        return db.preparedQuery(enqueueCallWebhooks).execute(args);
    }

    private static String instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    /**
     * Records the call of a voice webhook linked to its lead (if the lead exists); empty when this CallSid was
     * already recorded (a retry).
     */
    public Uni<Optional<DialedCall>> recordDialedCall(SqlClient db, String callSid, UUID leadId, String to,
                                                      String caller, OffsetDateTime receivedAt, Map<String, String> params) {
        Tuple args = Tuple.tuple()
                .addValue(callSid)
                .addValue(leadId)
                .addValue(to)
                .addValue(caller)
                .addValue(receivedAt)
                .addValue(params.get("CallStatus"))
                .addValue(json(params))
                .addValue(Watches.LEAD_ACTIVITY.space())
                .addValue(Watches.keyOf(leadId));
        return db.preparedQuery(recordDialedCall).execute(args)
                .map(first(row -> new DialedCall(CallRow.from(row), Boolean.TRUE.equals(row.getBoolean("inserted")))));
    }

    /**
     * Locks one call row for the rest of the caller's transaction, with the AMD result stored for its dialed
     * leg; empty when it does not exist.
     */
    public Uni<Optional<CallRow>> lockCall(SqlClient db, UUID id) {
        return db.preparedQuery(lockCall).execute(Tuple.of(id, CallEventKind.AMD.keyPrefix())).map(first(CallRow::from));
    }

    private static JsonObject json(Map<String, String> params) {
        return new JsonObject(Collections.<String, Object>unmodifiableMap(params));
    }

    static <T> Function<RowSet<Row>, Optional<T>> first(Function<Row, T> mapping) {
        return rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(mapping.apply(rows.iterator().next()));
    }
}
