-- Values the original system may hold that the new rules do not expect. Each repair is recorded in
-- legacy_repairs (table, row, column, old value, new value, why): nothing is deleted, nothing changes
-- silently. See README "Moving from the database trigger".
CREATE TABLE IF NOT EXISTS legacy_repairs (
    id          bigserial PRIMARY KEY,
    table_name  text        NOT NULL,
    row_id      uuid        NOT NULL,
    column_name text        NOT NULL,
    old_value   text,
    new_value   text,
    reason      text        NOT NULL,
    repaired_at timestamptz NOT NULL DEFAULT now()
);

-- 1. Status words outside Twilio's vocabulary. Case and spaces are normalised ('In-Progress');
--    anything else ('answered', 'ended', NULL, …) becomes 'initiated': open, so the reconciler asks
--    Twilio (or weighs the evidence) instead of the migration guessing an outcome.
WITH normalised AS (
    SELECT id, status AS old_status,
           CASE WHEN lower(btrim(status)) IN ('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy',
                                              'no-answer', 'failed', 'canceled')
                THEN lower(btrim(status))
                ELSE 'initiated' END AS new_status
      FROM call_recordings
     WHERE status IS NULL
        OR status NOT IN ('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer',
                          'failed', 'canceled', 'unknown')),
logged AS (
    INSERT INTO legacy_repairs (table_name, row_id, column_name, old_value, new_value, reason)
    SELECT 'call_recordings', id, 'status', old_status, new_status,
           CASE WHEN new_status = 'initiated' THEN 'status unknown to call-tracker: reopened for the reconciler'
                ELSE 'status spelled differently' END
      FROM normalised)
UPDATE call_recordings c SET status = n.new_status FROM normalised n WHERE c.id = n.id;

-- 2. Missing creation time: the end time when known, else the time of adoption.
WITH missing AS (
    SELECT id, COALESCE(ended_at - make_interval(secs => COALESCE(duration_seconds, 0)), now()) AS created
      FROM call_recordings WHERE created_at IS NULL),
logged AS (
    INSERT INTO legacy_repairs (table_name, row_id, column_name, old_value, new_value, reason)
    SELECT 'call_recordings', id, 'created_at', NULL, created::text,
           'creation time missing: taken from ended_at - duration_seconds, else the adoption time' FROM missing)
UPDATE call_recordings c SET created_at = m.created FROM missing m WHERE c.id = m.id;

-- 3. Missing call sid: the row cannot be matched to any Twilio request; it gets a unique placeholder.
WITH missing AS (SELECT id FROM call_recordings WHERE call_sid IS NULL OR btrim(call_sid) = ''),
logged AS (
    INSERT INTO legacy_repairs (table_name, row_id, column_name, old_value, new_value, reason)
    SELECT 'call_recordings', id, 'call_sid', NULL, 'legacy:' || id, 'call sid missing: placeholder' FROM missing)
UPDATE call_recordings c SET call_sid = 'legacy:' || c.id FROM missing m WHERE c.id = m.id;

-- 4. Duplicate call sids: the first row (oldest) keeps the sid; the others are kept, renamed with
--    their own id so that the sid can become unique.
WITH ranked AS (
    SELECT id, call_sid, row_number() OVER (PARTITION BY call_sid ORDER BY created_at, id) AS n
      FROM call_recordings),
dups AS (SELECT id, call_sid FROM ranked WHERE n > 1),
logged AS (
    INSERT INTO legacy_repairs (table_name, row_id, column_name, old_value, new_value, reason)
    SELECT 'call_recordings', id, 'call_sid', call_sid, call_sid || ':duplicate:' || id,
           'call sid used by an older row too: renamed, data kept' FROM dups)
UPDATE call_recordings c SET call_sid = d.call_sid || ':duplicate:' || d.id FROM dups d WHERE c.id = d.id;

-- 5. Calls pointing at deleted leads keep their lead_id (nothing is lost); the service simply finds no
--    lead to update. Recorded so operators see them.
INSERT INTO legacy_repairs (table_name, row_id, column_name, old_value, new_value, reason)
SELECT 'call_recordings', c.id, 'lead_id', c.lead_id::text, c.lead_id::text,
       'lead does not exist: kept as is, no lead will be updated'
  FROM call_recordings c
 WHERE c.lead_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = c.lead_id);

-- Leads with no status count as new (the original default).
WITH missing AS (SELECT id FROM leads WHERE status IS NULL),
logged AS (
    INSERT INTO legacy_repairs (table_name, row_id, column_name, old_value, new_value, reason)
    SELECT 'leads', id, 'status', NULL, 'new', 'lead status missing: the original default' FROM missing)
UPDATE leads l SET status = 'new' FROM missing m WHERE l.id = m.id;
