package dev.calltracker.call;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.UUID;

/**
 * Data access for calls, their events and the lead side effects of a transition. Every method takes
 * the connection to run on, so the caller owns the transaction. The hot path's statements must stay under
 * the Vert.x prepared-statement cache's SQL limit (CallRepositoryStatementsTest).
 */
@ApplicationScoped
public class CallRepository {

    /**
     * Appends the event and, in the same statement, creates the call if it is unknown and locks its row
     * ({@code ON CONFLICT DO UPDATE} takes the row lock, so concurrent events for one call serialize
     * here). Returns null when the event is a re-delivery: nothing was written.
     */
    static final String APPEND_EVENT_AND_LOCK_CALL = """
            WITH ev AS (
                INSERT INTO call_events (call_sid, leg_sid, kind, status, sequence_number, twilio_timestamp,
                                         received_at, source, dedupe_key, params)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING received_at)
            INSERT INTO call_recordings AS c (call_sid, status, created_at, updated_at, last_event_at)
            SELECT $1, 'initiated', received_at, received_at, received_at FROM ev
            ON CONFLICT (call_sid) DO UPDATE
                SET last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at)
            RETURNING\s""" + CallRow.COLUMNS;

    /**
     * Writes the new state and its side effects in one statement: the lead becomes contacted (only a
     * {@code new} lead changes status; {@code last_contacted_at} only moves forward, except that this
     * call's own earlier estimate, $15, is corrected) and the call's activity is created or refreshed.
     */
    static final String SAVE_TRANSITION = """
            WITH c AS (
                UPDATE call_recordings
                   SET status = $2, dialed_call_sid = $3, to_number = $4, answered_at = $5, ended_at = $6,
                       ended_at_estimated = $7, duration_seconds = $8, recording_sid = $9, recording_url = $10,
                       recording_duration_seconds = $11, parent_ended_at = $12, resolution = $13, updated_at = now()
                 WHERE id = $1
             RETURNING id, lead_id, status, duration_seconds, created_at, answered_at, ended_at, recording_url),
            l AS (
                UPDATE leads
                   SET status = CASE WHEN leads.status = 'new' THEN 'contacted' ELSE leads.status END,
                       last_contacted_at = CASE
                           WHEN leads.last_contacted_at IS NULL OR leads.last_contacted_at < $14::timestamptz
                                OR leads.last_contacted_at = $15::timestamptz
                           THEN $14::timestamptz ELSE leads.last_contacted_at END
                  FROM c
                 WHERE $14::timestamptz IS NOT NULL AND leads.id = c.lead_id
                   AND (leads.status = 'new' OR leads.last_contacted_at IS NULL
                        OR leads.last_contacted_at < $14::timestamptz OR leads.last_contacted_at = $15::timestamptz)
             RETURNING leads.id),
            a AS (
                INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                             ended_at, recording_url)
                SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at,
                       c.recording_url
                  FROM c JOIN leads ON leads.id = c.lead_id  -- rows of the original system may name deleted leads
                ON CONFLICT (call_id) DO UPDATE
                   SET status = EXCLUDED.status, duration_seconds = EXCLUDED.duration_seconds,
                       answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
                       recording_url = EXCLUDED.recording_url, updated_at = now()
             RETURNING id)
            SELECT (SELECT count(*) FROM l) AS leads_updated, (SELECT count(*) FROM a) AS activities_written""";

    /**
     * The voice webhook's record: event, call linked to its lead, and the lead's activity, idempotently.
     * Returns the call, and whether this request created it; no row when the CallSid was already recorded.
     * It is sent together with the lead check, before its answer (one round trip): a lead that does not
     * exist must not fail it (leads are referenced by a foreign key), so it links only an existing lead.
     */
    static final String RECORD_DIALED_CALL = """
            WITH ev AS (
                INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
                VALUES ($1, $1, 'voice', $6, $5, 'callback', 'voice:' || $1, $7)
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING received_at),
            c AS (
                INSERT INTO call_recordings AS cr (call_sid, lead_id, to_number, caller, status, created_at, updated_at,
                                                   last_event_at)
                -- an unknown lead is not linked: the voice webhook refuses that dial and rolls this back
                SELECT $1, (SELECT id FROM leads WHERE id = $2::uuid), $3, $4, 'initiated', received_at, received_at,
                       received_at FROM ev
                ON CONFLICT (call_sid) DO UPDATE
                   SET lead_id = COALESCE(cr.lead_id, EXCLUDED.lead_id),
                       to_number = COALESCE(cr.to_number, EXCLUDED.to_number),
                       caller = COALESCE(cr.caller, EXCLUDED.caller),
                       last_event_at = GREATEST(cr.last_event_at, EXCLUDED.last_event_at)
             RETURNING cr.*, (cr.xmax = 0) AS inserted),
            a AS (
                INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                             ended_at, recording_url)
                SELECT lead_id, 'call', id, status, duration_seconds, created_at, answered_at, ended_at, recording_url
                  FROM c WHERE lead_id IS NOT NULL
                ON CONFLICT (call_id) DO NOTHING)
            SELECT\s""" + CallRow.COLUMNS + ", inserted FROM c";

    /** What recording the voice webhook found: the call, and whether this request created it. */
    public record DialedCall(CallRow row, boolean created) {
    }

    public Uni<CallRow> appendEventAndLockCall(SqlClient db, CallEvent e) {
        Tuple args = Tuple.tuple()
                .addValue(e.callSid())
                .addValue(e.legSid())
                .addValue(e.kind().value())
                .addValue(e.statusWord())
                .addValue(e.sequenceNumber())
                .addValue(e.twilioTimestamp())
                .addValue(e.receivedAt())
                .addValue(e.observation().source().value())
                .addValue(e.dedupeKey())
                .addValue(new JsonObject(Collections.<String, Object>unmodifiableMap(e.params())));
        return db.preparedQuery(APPEND_EVENT_AND_LOCK_CALL).execute(args)
                .map(rows -> rows.rowCount() == 0 ? null : CallRow.from(rows.iterator().next()));
    }

    public Uni<Void> saveTransition(SqlClient db, CallRow row, CallState next, OffsetDateTime contactTime,
                                    OffsetDateTime previousContactTime) {
        Tuple args = Tuple.tuple()
                .addValue(row.id())
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
                .addValue(contactTime)
                .addValue(previousContactTime);
        return db.preparedQuery(SAVE_TRANSITION).execute(args).replaceWithVoid();
    }

    /** Records the call of a voice webhook; null when this CallSid was already recorded (a retry). */
    public Uni<DialedCall> recordDialedCall(SqlClient db, String callSid, UUID leadId, String to, String caller,
                                            OffsetDateTime receivedAt, JsonObject params) {
        Tuple args = Tuple.tuple()
                .addValue(callSid)
                .addValue(leadId)
                .addValue(to)
                .addValue(caller)
                .addValue(receivedAt)
                .addValue(params.getString("CallStatus"))
                .addValue(params);
        return db.preparedQuery(RECORD_DIALED_CALL).execute(args).map(rows -> {
            if (rows.rowCount() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new DialedCall(CallRow.from(row), Boolean.TRUE.equals(row.getBoolean("inserted")));
        });
    }

    /** Locks one call row for the rest of the caller's transaction; null when it does not exist. */
    public Uni<CallRow> lockCall(SqlClient db, UUID id) {
        return db.preparedQuery("SELECT " + CallRow.COLUMNS + " FROM call_recordings WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : CallRow.from(rows.iterator().next()));
    }

    /** One call by its parent sid (or its dialed sid), for support; null when unknown. */
    public Uni<Row> findCall(SqlClient db, String sid) {
        return db.preparedQuery("SELECT " + CallRow.COLUMNS + ", caller, "
                        + "updated_at FROM call_recordings WHERE call_sid = $1 OR dialed_call_sid = $1 LIMIT 1")
                .execute(Tuple.of(sid))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
    }

    public Uni<RowSet<Row>> findEvents(SqlClient db, String callSid) {
        return db.preparedQuery("SELECT id, leg_sid, kind, status, sequence_number, twilio_timestamp, received_at, "
                        + "source, params FROM call_events WHERE call_sid = $1 ORDER BY id")
                .execute(Tuple.of(callSid));
    }
}
