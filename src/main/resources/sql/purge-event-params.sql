-- Retention: clears the raw Twilio parameters (From, To, Caller, recording URLs) of the oldest events received
-- before the cut-off, one batch. The event row, its kind, status and times stay. SKIP LOCKED: replicas running the
-- job at the same time take different rows. Found through call_events_params_kept_idx (V10).
-- $1 cut-off, $2 batch size
WITH batch AS (
    SELECT id FROM call_events
     WHERE params <> '{}'::jsonb AND received_at < $1
     ORDER BY received_at
     LIMIT $2
       FOR UPDATE SKIP LOCKED)
UPDATE call_events e SET params = '{}'::jsonb FROM batch WHERE e.id = batch.id
