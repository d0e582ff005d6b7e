-- What call-tracker adds. Existing tables only gain columns (without table rewrites: no volatile
-- defaults), constraints and indexes; new tables are created.

-- The number a lead may be dialed at: when a call names the lead, To must equal it.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone text;

ALTER TABLE call_recordings
    ADD COLUMN IF NOT EXISTS dialed_call_sid            text,        -- the child leg that rings the lead
    ADD COLUMN IF NOT EXISTS to_number                  text,
    ADD COLUMN IF NOT EXISTS caller                     text,        -- From of the parent leg (client:agent)
    ADD COLUMN IF NOT EXISTS answered_at                timestamptz,
    ADD COLUMN IF NOT EXISTS ended_at_estimated         boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS recording_sid              text,
    ADD COLUMN IF NOT EXISTS recording_duration_seconds integer,
    ADD COLUMN IF NOT EXISTS parent_ended_at            timestamptz, -- evidence for the reconciler
    ADD COLUMN IF NOT EXISTS last_event_at              timestamptz, -- staleness is measured from here
    ADD COLUMN IF NOT EXISTS resolution                 text,        -- callback | twilio-api | inferred
    ADD COLUMN IF NOT EXISTS updated_at                 timestamptz NOT NULL DEFAULT now(),
    -- Several replicas run the reconciler: a replica claims a stale call (FOR UPDATE SKIP LOCKED, so
    -- claims never overlap), asks Twilio without holding a lock, then releases it. A claim left by a
    -- replica that died expires after reconcile.claim-timeout.
    ADD COLUMN IF NOT EXISTS reconcile_claimed_until    timestamptz,
    ADD COLUMN IF NOT EXISTS reconcile_claimed_by       text;

-- After V3 every row satisfies these.
ALTER TABLE call_recordings ALTER COLUMN call_sid SET NOT NULL;
ALTER TABLE call_recordings ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE call_recordings ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE call_recordings ALTER COLUMN status SET NOT NULL;
ALTER TABLE call_recordings ALTER COLUMN status SET DEFAULT 'initiated';
ALTER TABLE call_recordings ADD CONSTRAINT call_recordings_status_check
    CHECK (status IN ('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed',
                      'canceled', 'unknown'));

CREATE UNIQUE INDEX IF NOT EXISTS call_recordings_call_sid_key ON call_recordings (call_sid);
CREATE UNIQUE INDEX IF NOT EXISTS call_recordings_dialed_call_sid_key ON call_recordings (dialed_call_sid);
CREATE INDEX IF NOT EXISTS call_recordings_lead_id_idx ON call_recordings (lead_id);
CREATE INDEX IF NOT EXISTS call_recordings_created_at_idx ON call_recordings (created_at);
-- The reconciler's and the diagnostics' candidates: only the (few) calls not yet terminal.
CREATE INDEX IF NOT EXISTS call_recordings_open_idx
    ON call_recordings ((COALESCE(last_event_at, created_at)))
    WHERE status NOT IN ('completed', 'busy', 'no-answer', 'failed', 'canceled', 'unknown');

-- Every accepted Twilio request (and reconciler finding), append-only. dedupe_key is equal for
-- re-deliveries of one event, so a retry is stored once and applied once.
CREATE TABLE IF NOT EXISTS call_events (
    id               bigserial PRIMARY KEY,
    call_sid         text        NOT NULL,     -- the call (parent leg)
    leg_sid          text,                     -- the leg the request is about
    kind             text        NOT NULL,     -- voice | dialed-status | dial-action | parent-status | recording | reconciler
    status           text,                     -- the status word as sent, known or not
    sequence_number  integer,
    twilio_timestamp timestamptz,
    received_at      timestamptz NOT NULL,
    source           text        NOT NULL,     -- callback | twilio-api | inferred
    dedupe_key       text        NOT NULL,
    params           jsonb       NOT NULL,
    CONSTRAINT call_events_dedupe_key_key UNIQUE (dedupe_key)
);
CREATE INDEX IF NOT EXISTS call_events_call_sid_idx ON call_events (call_sid, id);
CREATE INDEX IF NOT EXISTS call_events_reconciler_idx ON call_events (id) WHERE kind = 'reconciler';

-- The lead's timeline: one 'call' activity per call, kept current as the call progresses.
CREATE TABLE IF NOT EXISTS lead_activities (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id          uuid        NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    type             text        NOT NULL,
    call_id          uuid REFERENCES call_recordings (id) ON DELETE CASCADE,
    status           text,
    duration_seconds integer,
    started_at       timestamptz NOT NULL,
    answered_at      timestamptz,
    ended_at         timestamptz,
    recording_url    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lead_activities_call_id_key UNIQUE (call_id)
);
CREATE INDEX IF NOT EXISTS lead_activities_lead_id_idx ON lead_activities (lead_id, started_at DESC);

-- The calls the original system recorded appear on their leads' timelines too.
INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, ended_at, recording_url)
SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.ended_at, c.recording_url
  FROM call_recordings c JOIN leads l ON l.id = c.lead_id
ON CONFLICT (call_id) DO NOTHING;
