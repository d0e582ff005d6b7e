-- A Twilio callback's first statement: appends the event and, in the same statement, creates the call if it
-- is unknown and locks its row (ON CONFLICT DO UPDATE takes the row lock, so concurrent events for one call
-- serialize here). No row when the event is a re-delivery: nothing was written. amd_answered_by is the AMD
-- result stored for the call's dialed leg (known, or named by this event as $11), which the AMD callback could
-- not link to the call when it came before the call knew that leg.
-- $1 call_sid, $2 leg_sid, $3 kind, $4 status word, $5 sequence_number, $6 twilio_timestamp, $7 received_at,
-- $8 source, $9 dedupe_key, $10 params (json), $11 the dialed leg the event names or NULL, $12 the AMD results'
-- key prefix (CallEventKind.AMD: a result's key is it and the dialed leg's sid)
WITH ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, sequence_number, twilio_timestamp,
                             received_at, source, dedupe_key, params)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (call_sid, dedupe_key) DO NOTHING
    RETURNING received_at)
INSERT INTO call_recordings AS c (call_sid, status, created_at, updated_at, last_event_at)
SELECT $1, 'initiated', received_at, received_at, received_at FROM ev
ON CONFLICT (call_sid) DO UPDATE
    SET last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at)
RETURNING *, (SELECT e.status FROM call_events e
               WHERE e.call_sid = COALESCE(c.dialed_call_sid, $11)
                 AND e.dedupe_key = $12 || COALESCE(c.dialed_call_sid, $11)) AS amd_answered_by
