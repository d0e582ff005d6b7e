package dev.calltracker.call;

import dev.calltracker.db.SqlFile;
import dev.calltracker.lead.LeadContact;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * Data access for calls, their events and the lead side effects of a change. Every write takes the
 * connection to run on, so the caller owns the transaction; reads for the API use the pool. The hot path's statements are in
 * {@code src/main/resources/sql/} (the benchmark runs the same files).
 */
@ApplicationScoped
public class CallRepository {

    private final Pool pool;
    final String appendEventAndLockCall = SqlFile.load("append-event-and-lock-call.sql");
    final String saveTransition = SqlFile.load("save-transition.sql");
    final String recordDialedCall = SqlFile.load("record-dialed-call.sql");
    final String appendAmdResultAndLockCall = SqlFile.load("append-amd-result-and-lock-call.sql");
    final String appendParentStatusToKnownCall = SqlFile.load("append-parent-status-to-known-call.sql");

    public CallRepository(Pool pool) {
        this.pool = pool;
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
                .addValue(e.observation().dialedSid());
    }

    /**
     * Serialises, until the transaction ends, the transactions that link a dialed leg to its call: an AMD
     * result (which names only the leg) and an event that teaches the call that leg. Without it each could
     * commit unseen by the other and the result would stay unlinked; the lock is its own statement so the
     * next statement's snapshot is taken after the other transaction committed.
     */
    public Uni<Void> lockDialedLeg(SqlClient db, String dialedSid) {
        return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('dialed-leg:' || $1, 0))")
                .execute(Tuple.of(dialedSid)).replaceWithVoid();
    }

    /** What storing an AMD result found: the call of its dialed leg, locked, or none while no call knows that leg. */
    public record StoredAmdResult(Optional<CallRow> call) {
    }

    /**
     * Appends an AMD result and locks the call of its dialed leg until the transaction ends; empty when the
     * event is a re-delivery: nothing was written.
     */
    public Uni<Optional<StoredAmdResult>> appendAmdResultAndLockCall(SqlClient db, CallEvent e) {
        Tuple args = Tuple.of(e.legSid(), e.statusWord(), e.receivedAt(), json(e.params()));
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
                .addValue(next.answeredBy() == null ? null : next.answeredBy().value());
        return db.preparedQuery(saveTransition).execute(args).replaceWithVoid();
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
                .addValue(json(params));
        return db.preparedQuery(recordDialedCall).execute(args)
                .map(first(row -> new DialedCall(CallRow.from(row), Boolean.TRUE.equals(row.getBoolean("inserted")))));
    }

    /**
     * Locks one call row for the rest of the caller's transaction, with the AMD result stored for its dialed
     * leg; empty when it does not exist.
     */
    public Uni<Optional<CallRow>> lockCall(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT " + CallRow.COLUMNS + ", (SELECT e.status FROM call_events e "
                        + "WHERE e.dedupe_key = 'amd:' || c.dialed_call_sid) AS amd_answered_by "
                        + "FROM call_recordings c WHERE c.id = $1 FOR UPDATE OF c")
                .execute(Tuple.of(id)).map(first(CallRow::from));
    }

    /** One call by its parent sid (or its dialed sid), with its events; empty when unknown. */
    public Uni<Optional<CallView>> findCall(String sid) {
        return pool.withConnection(db -> findCall(db, sid).flatMap(found -> found.isEmpty()
                ? Uni.createFrom().item(found)
                : findEvents(db, found.get()).map(events -> Optional.of(found.get().withEvents(events)))));
    }

    private Uni<Optional<CallView>> findCall(SqlClient db, String sid) {
        return db.preparedQuery("SELECT " + CallRow.COLUMNS + ", caller, updated_at FROM call_recordings "
                        + "WHERE call_sid = $1 OR dialed_call_sid = $1 LIMIT 1")
                .execute(Tuple.of(sid)).map(first(CallRepository::view));
    }

    /** The call's events, with an AMD result stored under its dialed leg before the call knew that leg. */
    private Uni<List<CallView.Event>> findEvents(SqlClient db, CallView call) {
        String dialedSid = call.dialedCallSid() != null ? call.dialedCallSid() : call.callSid();
        return db.preparedQuery("SELECT id, leg_sid, kind, status, sequence_number, twilio_timestamp, received_at, "
                        + "source, params FROM call_events WHERE call_sid = $1 OR (call_sid = $2 AND kind = 'amd') "
                        + "ORDER BY id")
                .execute(Tuple.of(call.callSid(), dialedSid))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(CallRepository::event).toList());
    }

    private static CallView view(Row r) {
        return new CallView(r.getUUID("id"), r.getString("call_sid"), r.getString("dialed_call_sid"),
                r.getUUID("lead_id"), r.getString("to_number"), r.getString("caller"), r.getString("status"),
                r.getString("answered_by"), r.getString("resolution"), r.getInteger("duration_seconds"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("answered_at"), r.getOffsetDateTime("ended_at"),
                Boolean.TRUE.equals(r.getBoolean("ended_at_estimated")), r.getOffsetDateTime("parent_ended_at"),
                r.getString("recording_sid"), r.getString("recording_url"), r.getInteger("recording_duration_seconds"),
                r.getOffsetDateTime("last_event_at"), r.getOffsetDateTime("updated_at"), List.of());
    }

    private static CallView.Event event(Row r) {
        JsonObject params = (JsonObject) r.getValue("params");
        return new CallView.Event(r.getLong("id"), r.getString("kind"), r.getString("leg_sid"), r.getString("status"),
                r.getInteger("sequence_number"), r.getOffsetDateTime("twilio_timestamp"),
                r.getOffsetDateTime("received_at"), r.getString("source"), params == null ? Map.of() : params.getMap());
    }

    private static JsonObject json(Map<String, String> params) {
        return new JsonObject(Collections.<String, Object>unmodifiableMap(params));
    }

    private static <T> Function<RowSet<Row>, Optional<T>> first(Function<Row, T> mapping) {
        return rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(mapping.apply(rows.iterator().next()));
    }
}
