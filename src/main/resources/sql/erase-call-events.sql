-- Erasure: the raw Twilio parameters (From, To, Caller, recording URLs) of every event of the calls, found by either
-- leg's sid (an AMD result is stored under the dialed leg) through call_events_call_sid_dedupe_key_key. A recording
-- event's dedupe key names the recording's sid: it becomes 'erased:<id>', still unique. Rows already cleared are
-- not counted. The conditions besides the sid are written so that no other index applies: the planner would
-- otherwise combine the partial parameters index with the dedupe key's, a million rows on a big database.
-- $1 the calls' sids, both legs
UPDATE call_events e
   SET params = '{}'::jsonb,
       dedupe_key = CASE WHEN left(e.dedupe_key, 10) = 'recording:' THEN 'erased:' || e.id ELSE e.dedupe_key END
 WHERE e.call_sid = ANY($1::text[])
   AND (e.params::text <> '{}' OR left(e.dedupe_key, 10) = 'recording:')
