-- Erasure (DELETE /api/admin/leads/{id}/personal-data), first statement: the lead's calls, its own and those on
-- its timeline, locked until the erasure commits. The ids are gathered first (each half through its index,
-- call_recordings_lead_id_idx and lead_activities_timeline_idx) and the calls then read by primary key: written as
-- "id IN (subquery)" or with an OR, a lead with thousands of calls makes the planner scan the whole table.
-- $1 lead id
SELECT id, call_sid, dialed_call_sid FROM call_recordings
 WHERE id = ANY (ARRAY(SELECT id FROM call_recordings WHERE lead_id = $1
                       UNION SELECT call_id FROM lead_activities WHERE lead_id = $1))
   FOR UPDATE
