-- The parent leg's status callback's first statement. Unlike the other callbacks it never creates a call: the
-- parent leg ends after the voice webhook's answer, which is sent only once the call is recorded, so a parent
-- leg no call knows is one this service refused to dial (or never answered): it must leave no trace, not an
-- 'initiated' call without a lead that the reconciler would ask Twilio about. Always one row: known says
-- whether the call exists; the call's columns are null when nothing was written (unknown call, or a
-- re-delivery of an event already stored).
-- $1 call_sid, $2 leg_sid, $3 kind, $4 status word, $5 sequence_number, $6 twilio_timestamp, $7 received_at,
-- $8 source, $9 dedupe_key, $10 params (json), $11 unused (the parent leg names no dialed leg), $12 the AMD
-- results' key prefix (as in append-event-and-lock-call.sql)
WITH known AS (
    SELECT id FROM call_recordings WHERE call_sid = $1 FOR UPDATE),
ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, sequence_number, twilio_timestamp,
                             received_at, source, dedupe_key, params)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM known
    ON CONFLICT (call_sid, dedupe_key) DO NOTHING
    RETURNING received_at),
c AS (
    UPDATE call_recordings c SET last_event_at = GREATEST(c.last_event_at, ev.received_at)
      FROM ev WHERE c.call_sid = $1
 RETURNING c.*, (SELECT e.status FROM call_events e
                  WHERE e.call_sid = COALESCE(c.dialed_call_sid, $11::text)
                    AND e.dedupe_key = $12 || COALESCE(c.dialed_call_sid, $11::text)) AS amd_answered_by)
SELECT EXISTS (SELECT 1 FROM known) AS known, c.* FROM (SELECT 1) one LEFT JOIN c ON true
