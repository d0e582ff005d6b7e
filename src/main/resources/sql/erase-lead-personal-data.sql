-- DELETE /api/admin/leads/{id}/personal-data, one statement (so one transaction): every phone number, agent
-- identity and recording reference the service holds for the lead's calls is cleared, and what was changed is
-- counted per table. Rows already cleared are not counted, so a second erasure answers zeros. The lead row is the
-- CRM's (leads.phone stays). The calls are the lead's own and those on its timeline; their events are found by
-- either leg's sid (an AMD result may be stored under the dialed leg). A recording event's dedupe key names the
-- recording's sid: it becomes 'erased:<id>', still unique.
-- $1 lead id
WITH calls AS (
    SELECT id, call_sid, dialed_call_sid FROM call_recordings
     WHERE lead_id = $1 OR id IN (SELECT call_id FROM lead_activities WHERE lead_id = $1)
       FOR UPDATE),
sids AS (
    SELECT call_sid AS sid FROM calls
    UNION SELECT dialed_call_sid FROM calls WHERE dialed_call_sid IS NOT NULL),
events AS (
    UPDATE call_events e
       SET params = '{}'::jsonb,
           dedupe_key = CASE WHEN e.dedupe_key LIKE 'recording:%' THEN 'erased:' || e.id ELSE e.dedupe_key END
     WHERE e.call_sid IN (SELECT sid FROM sids)
       AND (e.params <> '{}'::jsonb OR e.dedupe_key LIKE 'recording:%')
 RETURNING 1),
recordings AS (
    UPDATE call_recordings c
       SET to_number = NULL, caller = NULL, recording_url = NULL, recording_sid = NULL, updated_at = now()
      FROM calls
     WHERE c.id = calls.id
       AND (c.to_number IS NOT NULL OR c.caller IS NOT NULL OR c.recording_url IS NOT NULL
            OR c.recording_sid IS NOT NULL)
 RETURNING 1),
activities AS (
    UPDATE lead_activities a SET recording_url = NULL, updated_at = now()
     WHERE a.lead_id = $1 AND a.recording_url IS NOT NULL
 RETURNING 1)
SELECT EXISTS (SELECT 1 FROM leads WHERE id = $1) AS lead_found,
       (SELECT count(*) FROM calls) AS calls,
       (SELECT count(*) FROM recordings) AS call_recordings,
       (SELECT count(*) FROM events) AS call_events,
       (SELECT count(*) FROM activities) AS lead_activities
