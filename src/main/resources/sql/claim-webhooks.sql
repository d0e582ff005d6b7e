-- A deliverer's lease on due events: SKIP LOCKED lets replicas claim at once without waiting for or sharing a row,
-- and the moved next_attempt_at keeps a claimed row from being due again while it is being posted (the lease
-- outlasts the request's timeout). A replica that dies mid-post leaves its rows to be claimed again when the
-- lease ends: at least once. The attempt is counted when claimed, so a crash counts too.
-- $1 how many, $2 the lease in milliseconds
UPDATE webhook_outbox o
   SET next_attempt_at = now() + $2::int * interval '1 millisecond', attempts = o.attempts + 1
 WHERE o.id IN (SELECT id FROM webhook_outbox WHERE dead_at IS NULL AND next_attempt_at <= now()
                 ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.event_type, o.body::text AS body, o.attempts
