-- Erasure: the recording on the lead's timeline, and whether the CRM's lead row still exists (it is the CRM's:
-- left as it is). Always one row. $1 lead id
WITH cleared AS (
    UPDATE lead_activities SET recording_url = NULL, updated_at = now()
     WHERE lead_id = $1 AND recording_url IS NOT NULL
 RETURNING 1)
SELECT EXISTS (SELECT 1 FROM leads WHERE id = $1) AS lead_found, (SELECT count(*) FROM cleared) AS cleared
