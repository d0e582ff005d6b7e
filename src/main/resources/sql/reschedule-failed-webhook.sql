-- A failed attempt: due again after the back-off, or dead (kept, never claimed again) after the last attempt.
-- $1 id, $2 retry delay in milliseconds, $3 why (status code or error class, no body), $4 true when dead
UPDATE webhook_outbox
   SET next_attempt_at = now() + $2::int * interval '1 millisecond', last_error = $3,
       dead_at = CASE WHEN $4::boolean THEN now() END
 WHERE id = $1
