-- The two tables the original system (Next.js + Supabase) already has, created only when missing.
-- On the original database this migration changes nothing (Flyway baselines it at version 0 first).
CREATE TABLE IF NOT EXISTS leads (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    first_name        text,
    last_name         text,
    status            text DEFAULT 'new',
    last_contacted_at timestamptz,
    created_at        timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS call_recordings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_sid         text,                     -- the parent (browser) leg
    lead_id          uuid REFERENCES leads (id) ON DELETE SET NULL,
    status           text DEFAULT 'initiated',
    duration_seconds integer,
    recording_url    text,
    created_at       timestamptz DEFAULT now(),
    ended_at         timestamptz
);
