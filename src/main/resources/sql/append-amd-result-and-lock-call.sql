-- An AMD callback's first statement. Its CallSid is the dialed leg ($1) and it carries no ParentCallSid, so
-- the call is found, and locked, by its dialed sid. The event is stored either way, under the dialed leg and
-- keyed by it ($5, CallEventKind.AMD's key: one result per leg), so a re-delivery finds it whether the call knew
-- the leg the first time or not; a call that learns its dialed leg later reads the result then
-- (append-event-and-lock-call.sql). No row when the event is a re-delivery: nothing was written; a row of
-- nulls when no call knows this dialed leg yet.
-- $1 dialed leg sid, $2 AnsweredBy, $3 received_at, $4 params (json), $5 dedupe_key
WITH c AS (
    SELECT * FROM call_recordings WHERE dialed_call_sid = $1 FOR UPDATE),
ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
    VALUES ($1, $1, 'amd', $2, $3, 'callback', $5, $4)
    ON CONFLICT (call_sid, dedupe_key) DO NOTHING
    RETURNING received_at)
SELECT c.* FROM ev LEFT JOIN c ON true
