-- The call-tracking schema. Written to apply both to an empty database and to the original
-- system's (which already has leads and call_recordings): tables are created when missing, and
-- existing tables only gain columns, constraints and indexes; no row is rewritten here.

CREATE TABLE IF NOT EXISTS leads (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    first_name        text,
    last_name         text,
    status            text NOT NULL DEFAULT 'new',
    last_contacted_at timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now()
);
-- The number the lead may be dialed at: when a call names the lead, To must equal it.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone text;

CREATE TABLE IF NOT EXISTS call_recordings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_sid         text NOT NULL,            -- the parent (browser) leg
    lead_id          uuid REFERENCES leads (id) ON DELETE SET NULL,
    status           text NOT NULL DEFAULT 'initiated',
    duration_seconds integer,
    recording_url    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz
);
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
    ADD COLUMN IF NOT EXISTS updated_at                 timestamptz NOT NULL DEFAULT now();

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
