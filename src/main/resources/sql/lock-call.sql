-- Locks one call row for the rest of the transaction, with the AMD result stored for its dialed leg
-- (amd_answered_by, as append-event-and-lock-call.sql returns it). $1 the call's id, $2 the AMD results' key
-- prefix (CallEventKind.AMD)
SELECT c.*, (SELECT e.status FROM call_events e
                WHERE e.call_sid = c.dialed_call_sid AND e.dedupe_key = $2 || c.dialed_call_sid) AS amd_answered_by
  FROM call_recordings c
 WHERE c.id = $1
   FOR UPDATE OF c
