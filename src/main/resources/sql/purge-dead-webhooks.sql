-- Retention: deletes the oldest webhook events that used their last attempt (dead_at set) before the cut-off, one
-- batch. Only dead rows: an event still due is never deleted, however old. No index of its own: the outbox holds
-- only undelivered events (a delivered one is deleted at once), so even a CRM outage of days leaves a table this
-- statement scans in milliseconds, once a run.
-- $1 cut-off, $2 batch size
WITH batch AS (
    SELECT id FROM webhook_outbox
     WHERE dead_at < $1
     ORDER BY dead_at
     LIMIT $2
       FOR UPDATE SKIP LOCKED)
DELETE FROM webhook_outbox o USING batch WHERE o.id = batch.id
