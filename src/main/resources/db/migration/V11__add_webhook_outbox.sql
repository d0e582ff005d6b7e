-- Signed webhooks to the CRM (webhook/): each event is written here in the transaction of the change it reports
-- (sql/enqueue-call-webhooks.sql), so it is sent at least once if and only if that change committed. A replica's
-- deliverer leases due rows (sql/claim-webhooks.sql, FOR UPDATE SKIP LOCKED), posts them, then deletes a delivered
-- row or moves a failed one's next_attempt_at; after the last attempt a row stays with dead_at set, for inspection.
-- The body holds ids, statuses and times only (no phone number). IF NOT EXISTS: an adopted database may be
-- migrated by a second replica's start or a repeated adoption.
CREATE TABLE IF NOT EXISTS webhook_outbox (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type      text        NOT NULL,
    body            jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    dead_at         timestamptz
);

-- The deliverer's claim: due rows that are still alive, oldest due first.
CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE dead_at IS NULL;

-- Closed to Supabase's Data API like the tables of V9 (DataApiLockdownTest checks it).
DO $$
DECLARE
    api_role text;
BEGIN
    ALTER TABLE webhook_outbox ENABLE ROW LEVEL SECURITY;
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role) THEN
            EXECUTE format('REVOKE ALL ON TABLE webhook_outbox FROM %I', api_role);
        END IF;
    END LOOP;
END
$$;
