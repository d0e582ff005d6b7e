-- pgbench script: the SQL call-tracker executes per Twilio request, in the same transaction shape.
-- One pgbench "transaction" = one request the service answers, so pgbench tps compares with wrk req/s.
--
-- Mirrors (copied verbatim, only the bind parameters replaced):
--   src/main/java/dev/calltracker/call/CallRepository.java   APPEND_EVENT_AND_LOCK_CALL, SAVE_TRANSITION,
--                                                            RECORD_DIALED_CALL
--   src/main/java/dev/calltracker/call/CallRow.java          COLUMNS (the RETURNING list of APPEND_EVENT_AND_LOCK_CALL,
--                                                            the final SELECT list of RECORD_DIALED_CALL)
--   src/main/java/dev/calltracker/lead/LeadRepository.java   findPhone
--   src/main/java/dev/calltracker/call/CallEventRecorder.java   callback = [BEGIN; APPEND_EVENT_AND_LOCK_CALL]
--                                                            then [SAVE_TRANSITION; COMMIT] if the state changed,
--                                                            else [COMMIT]
--   src/main/java/dev/calltracker/voice/VoiceWebhookResource.java   voice webhook = [BEGIN; findPhone if LeadId;
--                                                            RECORD_DIALED_CALL] then [COMMIT] (or
--                                                            [SAVE_TRANSITION; COMMIT] if the call already existed
--                                                            with its lead reached: its callbacks came first, never
--                                                            in the benchmark's order, so not here)
--   src/main/java/dev/calltracker/db/PipelinedTransaction.java   [...] = one round trip: the service pipelines
--                                                            these commands on its connection, pgbench sends them
--                                                            in one \startpipeline ... \endpipeline
-- The only difference: \gset cannot be used inside a pipeline, so SAVE_TRANSITION finds the call by its sid
-- (WHERE id = (SELECT id ... WHERE call_sid = ...)) where the service binds the id APPEND returned: one
-- more index lookup on pgbench's side.
-- bench/run.sh warns when those files changed after this script was last checked against them
-- (bench/sql-sources.sha256): update both together.
--
-- Bind parameters: pgbench can only make numbers, so text values are built in SQL from random numbers
-- ('CA' || md5(n) is a 34-character sid like Twilio's) and times are now(); json is a text parameter
-- (-D params=...), parsed into jsonb on every execution as the service's is. NULLs the service binds
-- appear as typed NULL literals. (pgbench takes ':name' inside a string literal for a variable, hence
-- 'client:' || 'agent-1'.)
--
-- Mix (set by run.sh from what the service executed in the preceding wrk run, via pg_stat_statements):
--   voice_ppm    per million requests that are voice webhooks
--   lead_ppm     per million voice webhooks that name a LeadId (findPhone runs first)
--   save_ppm     per million callbacks that run SAVE_TRANSITION (state changed)
--   contact_ppm  per million SAVE_TRANSITIONs that update the lead (contact time changed)
-- Other variables from -D: nleads (pgbench's own leads are md5('pgbench-lead-<n>')::uuid, n < nleads, seeded
-- by run.sh next to the corpus' leads, so pgbench never touches the leads the service's calls name), params and voice_params (json of a typical request), callno=0 (a client's first callbacks then
-- go to a random call of its own).
-- Each client keeps its current call (callno): a voice webhook starts a new call, the callbacks after it
-- update that call, as Twilio's callbacks follow a voice webhook.

\set evid random(1, 4611686018427387903)
\if :callno = 0
\set callno random(1, 4611686018427387903)
\endif
\if random(1, 1000000) <= :voice_ppm
\set callno random(1, 4611686018427387903)
\if random(1, 1000000) <= :lead_ppm
\set leadno random(0, :nleads - 1)
\startpipeline
BEGIN;
SELECT COALESCE(phone, '') AS phone FROM leads WHERE id = md5('pgbench-lead-' || :leadno::text)::uuid;
WITH ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
    VALUES ('CA' || md5(:callno::text), 'CA' || md5(:callno::text), 'voice', 'ringing', now(), 'callback', 'voice:' || 'CA' || md5(:callno::text), :voice_params)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING received_at),
c AS (
    INSERT INTO call_recordings AS cr (call_sid, lead_id, to_number, caller, status, created_at, updated_at,
                                       last_event_at)
    -- an unknown lead is not linked: the voice webhook refuses that dial and rolls this back
    SELECT 'CA' || md5(:callno::text), (SELECT id FROM leads WHERE id = md5('pgbench-lead-' || :leadno::text)::uuid), '+15551234567', 'client:' || 'agent-1', 'initiated', received_at, received_at,
           received_at FROM ev
    ON CONFLICT (call_sid) DO UPDATE
       SET lead_id = COALESCE(cr.lead_id, EXCLUDED.lead_id),
           to_number = COALESCE(cr.to_number, EXCLUDED.to_number),
           caller = COALESCE(cr.caller, EXCLUDED.caller),
           last_event_at = GREATEST(cr.last_event_at, EXCLUDED.last_event_at)
 RETURNING cr.*, (cr.xmax = 0) AS inserted),
a AS (
    INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                 ended_at, recording_url)
    SELECT lead_id, 'call', id, status, duration_seconds, created_at, answered_at, ended_at, recording_url
      FROM c WHERE lead_id IS NOT NULL
    ON CONFLICT (call_id) DO NOTHING)
SELECT id, call_sid, lead_id, created_at, last_event_at, status, dialed_call_sid, to_number, answered_at, ended_at, ended_at_estimated, duration_seconds, recording_sid, recording_url, recording_duration_seconds, parent_ended_at, resolution, inserted FROM c;
\endpipeline
\else
\startpipeline
BEGIN;
WITH ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
    VALUES ('CA' || md5(:callno::text), 'CA' || md5(:callno::text), 'voice', 'ringing', now(), 'callback', 'voice:' || 'CA' || md5(:callno::text), :voice_params)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING received_at),
c AS (
    INSERT INTO call_recordings AS cr (call_sid, lead_id, to_number, caller, status, created_at, updated_at,
                                       last_event_at)
    -- an unknown lead is not linked: the voice webhook refuses that dial and rolls this back
    SELECT 'CA' || md5(:callno::text), (SELECT id FROM leads WHERE id = NULL::uuid), '+15559876543', 'client:' || 'agent-1', 'initiated', received_at, received_at,
           received_at FROM ev
    ON CONFLICT (call_sid) DO UPDATE
       SET lead_id = COALESCE(cr.lead_id, EXCLUDED.lead_id),
           to_number = COALESCE(cr.to_number, EXCLUDED.to_number),
           caller = COALESCE(cr.caller, EXCLUDED.caller),
           last_event_at = GREATEST(cr.last_event_at, EXCLUDED.last_event_at)
 RETURNING cr.*, (cr.xmax = 0) AS inserted),
a AS (
    INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                 ended_at, recording_url)
    SELECT lead_id, 'call', id, status, duration_seconds, created_at, answered_at, ended_at, recording_url
      FROM c WHERE lead_id IS NOT NULL
    ON CONFLICT (call_id) DO NOTHING)
SELECT id, call_sid, lead_id, created_at, last_event_at, status, dialed_call_sid, to_number, answered_at, ended_at, ended_at_estimated, duration_seconds, recording_sid, recording_url, recording_duration_seconds, parent_ended_at, resolution, inserted FROM c;
\endpipeline
\endif
COMMIT;
\else
\startpipeline
BEGIN;
WITH ev AS (
    INSERT INTO call_events (call_sid, leg_sid, kind, status, sequence_number, twilio_timestamp,
                             received_at, source, dedupe_key, params)
    VALUES ('CA' || md5(:callno::text), 'CA' || md5(:evid::text), 'dialed-status', 'ringing', 1, now(), now(), 'callback', 'dialed-status:' || 'CA' || md5(:evid::text) || ':1', :params)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING received_at)
INSERT INTO call_recordings AS c (call_sid, status, created_at, updated_at, last_event_at)
SELECT 'CA' || md5(:callno::text), 'initiated', received_at, received_at, received_at FROM ev
ON CONFLICT (call_sid) DO UPDATE
    SET last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at)
RETURNING id, call_sid, lead_id, created_at, last_event_at, status, dialed_call_sid, to_number, answered_at, ended_at, ended_at_estimated, duration_seconds, recording_sid, recording_url, recording_duration_seconds, parent_ended_at, resolution;
\endpipeline
\if random(1, 1000000) <= :save_ppm
\if random(1, 1000000) <= :contact_ppm
\startpipeline
WITH c AS (
    UPDATE call_recordings
       SET status = 'in-progress', dialed_call_sid = 'CA' || md5(:callno::text || 'd'), to_number = '+15551234567', answered_at = now(), ended_at = NULL::timestamptz,
           ended_at_estimated = false, duration_seconds = NULL::integer, recording_sid = NULL::text, recording_url = NULL::text,
           recording_duration_seconds = NULL::integer, parent_ended_at = NULL::timestamptz, resolution = NULL::text, updated_at = now()
     WHERE id = (SELECT id FROM call_recordings WHERE call_sid = 'CA' || md5(:callno::text))
 RETURNING id, lead_id, status, duration_seconds, created_at, answered_at, ended_at, recording_url),
l AS (
    UPDATE leads
       SET status = CASE WHEN leads.status = 'new' THEN 'contacted' ELSE leads.status END,
           last_contacted_at = CASE
               WHEN leads.last_contacted_at IS NULL OR leads.last_contacted_at < now()::timestamptz
                    OR leads.last_contacted_at = NULL::timestamptz
               THEN now()::timestamptz ELSE leads.last_contacted_at END
      FROM c
     WHERE now()::timestamptz IS NOT NULL AND leads.id = c.lead_id
       AND (leads.status = 'new' OR leads.last_contacted_at IS NULL
            OR leads.last_contacted_at < now()::timestamptz OR leads.last_contacted_at = NULL::timestamptz)
 RETURNING leads.id),
a AS (
    INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                 ended_at, recording_url)
    SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at,
           c.recording_url
      FROM c JOIN leads ON leads.id = c.lead_id  -- rows of the original system may name deleted leads
    ON CONFLICT (call_id) DO UPDATE
       SET status = EXCLUDED.status, duration_seconds = EXCLUDED.duration_seconds,
           answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
           recording_url = EXCLUDED.recording_url, updated_at = now()
 RETURNING id)
SELECT (SELECT count(*) FROM l) AS leads_updated, (SELECT count(*) FROM a) AS activities_written;
COMMIT;
\endpipeline
\else
\startpipeline
WITH c AS (
    UPDATE call_recordings
       SET status = 'ringing', dialed_call_sid = 'CA' || md5(:callno::text || 'd'), to_number = '+15551234567', answered_at = NULL::timestamptz, ended_at = NULL::timestamptz,
           ended_at_estimated = false, duration_seconds = NULL::integer, recording_sid = NULL::text, recording_url = NULL::text,
           recording_duration_seconds = NULL::integer, parent_ended_at = NULL::timestamptz, resolution = NULL::text, updated_at = now()
     WHERE id = (SELECT id FROM call_recordings WHERE call_sid = 'CA' || md5(:callno::text))
 RETURNING id, lead_id, status, duration_seconds, created_at, answered_at, ended_at, recording_url),
l AS (
    UPDATE leads
       SET status = CASE WHEN leads.status = 'new' THEN 'contacted' ELSE leads.status END,
           last_contacted_at = CASE
               WHEN leads.last_contacted_at IS NULL OR leads.last_contacted_at < NULL::timestamptz
                    OR leads.last_contacted_at = NULL::timestamptz
               THEN NULL::timestamptz ELSE leads.last_contacted_at END
      FROM c
     WHERE NULL::timestamptz IS NOT NULL AND leads.id = c.lead_id
       AND (leads.status = 'new' OR leads.last_contacted_at IS NULL
            OR leads.last_contacted_at < NULL::timestamptz OR leads.last_contacted_at = NULL::timestamptz)
 RETURNING leads.id),
a AS (
    INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                 ended_at, recording_url)
    SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at,
           c.recording_url
      FROM c JOIN leads ON leads.id = c.lead_id  -- rows of the original system may name deleted leads
    ON CONFLICT (call_id) DO UPDATE
       SET status = EXCLUDED.status, duration_seconds = EXCLUDED.duration_seconds,
           answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
           recording_url = EXCLUDED.recording_url, updated_at = now()
 RETURNING id)
SELECT (SELECT count(*) FROM l) AS leads_updated, (SELECT count(*) FROM a) AS activities_written;
COMMIT;
\endpipeline
\endif
\else
COMMIT;
\endif
\endif
