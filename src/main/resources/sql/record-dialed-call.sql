-- The voice webhook's record: event, call linked to its lead, and the lead's activity, idempotently. Returns
-- the call and whether this request created it; no row when the CallSid was already recorded. It is sent
-- together with the lead check, before its answer (one round trip): a lead that does not exist must not fail
-- it (leads are referenced by a foreign key), so it links only an existing lead; the voice webhook refuses
-- that dial and rolls this back. A new activity is numbered by the lead's activity_seq and announced with
-- pg_notify if a stream watches the lead, as in save-transition.sql.
-- $1 call_sid, $2 lead_id, $3 to_number, $4 caller, $5 received_at, $6 status word, $7 params (json),
-- $8 and $9 the lead's watch lock (db/Watches)
WITH ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
    VALUES ($1, $1, 'voice', $6, $5, 'callback', 'voice:' || $1, $7)
    ON CONFLICT (call_sid, dedupe_key) DO NOTHING
    RETURNING received_at),
c AS (
    INSERT INTO call_recordings AS cr (call_sid, lead_id, to_number, caller, status, created_at, updated_at,
                                       last_event_at)
    SELECT $1, (SELECT id FROM leads WHERE id = $2::uuid), $3, $4, 'initiated', received_at, received_at,
           received_at FROM ev
    ON CONFLICT (call_sid) DO UPDATE
       SET lead_id = COALESCE(cr.lead_id, EXCLUDED.lead_id),
           to_number = COALESCE(cr.to_number, EXCLUDED.to_number),
           caller = COALESCE(cr.caller, EXCLUDED.caller),
           last_event_at = GREATEST(cr.last_event_at, EXCLUDED.last_event_at)
 RETURNING cr.*, (cr.xmax = 0) AS inserted),
fresh AS (
    SELECT c.* FROM c
     WHERE c.lead_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lead_activities WHERE call_id = c.id)),
l AS (
    UPDATE leads SET activity_seq = leads.activity_seq + 1
      FROM fresh WHERE leads.id = fresh.lead_id
 RETURNING leads.id, leads.activity_seq),
a AS (
    INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                 ended_at, recording_url, lead_seq)
    SELECT fresh.lead_id, 'call', fresh.id, fresh.status, fresh.duration_seconds, fresh.created_at,
           fresh.answered_at, fresh.ended_at, fresh.recording_url, l.activity_seq
      FROM fresh JOIN l ON l.id = fresh.lead_id
    ON CONFLICT (call_id) DO NOTHING
 RETURNING lead_id, lead_seq)
SELECT c.*, (SELECT count(pg_notify('lead_activity', a.lead_id::text || '/' || a.lead_seq::text)) FROM a
              WHERE NOT pg_try_advisory_xact_lock($8, $9)) AS announced
  FROM c
