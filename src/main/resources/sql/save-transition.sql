-- Writes a call's new state and its side effects in one statement. The lead: when $14 (this call's contact
-- time, decided by ContactRule) is set, a 'new' lead becomes 'contacted' and last_contacted_at only moves
-- forward, except that this call's own earlier estimate ($15) is corrected. The call's activity on the lead's
-- timeline is created or refreshed.
-- $1 id, $2 status, $3 dialed_call_sid, $4 to_number, $5 answered_at, $6 ended_at, $7 ended_at_estimated,
-- $8 duration_seconds, $9 recording_sid, $10 recording_url, $11 recording_duration_seconds, $12 parent_ended_at,
-- $13 resolution, $14 contact time or NULL, $15 the contact time this call had set before or NULL, $16 answered_by
WITH c AS (
    UPDATE call_recordings
       SET status = $2, dialed_call_sid = $3, to_number = $4, answered_at = $5, ended_at = $6,
           ended_at_estimated = $7, duration_seconds = $8, recording_sid = $9, recording_url = $10,
           recording_duration_seconds = $11, parent_ended_at = $12, resolution = $13, answered_by = $16,
           updated_at = now()
     WHERE id = $1
 RETURNING id, lead_id, status, duration_seconds, created_at, answered_at, ended_at, recording_url, answered_by),
l AS (
    UPDATE leads
       SET status = CASE WHEN leads.status = 'new' THEN 'contacted' ELSE leads.status END,
           last_contacted_at = CASE
               WHEN leads.last_contacted_at IS NULL OR leads.last_contacted_at < $14::timestamptz
                    OR leads.last_contacted_at = $15::timestamptz
               THEN $14::timestamptz ELSE leads.last_contacted_at END
      FROM c
     WHERE $14::timestamptz IS NOT NULL AND leads.id = c.lead_id
 RETURNING leads.id),
a AS (
    INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                                 ended_at, recording_url, answered_by)
    SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at,
           c.recording_url, c.answered_by
      FROM c JOIN leads ON leads.id = c.lead_id  -- rows of the original system may name deleted leads
    ON CONFLICT (call_id) DO UPDATE
       SET status = EXCLUDED.status, duration_seconds = EXCLUDED.duration_seconds,
           answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
           recording_url = EXCLUDED.recording_url, answered_by = EXCLUDED.answered_by, updated_at = now()
 RETURNING id)
SELECT (SELECT count(*) FROM l) AS leads_updated, (SELECT count(*) FROM a) AS activities_written
