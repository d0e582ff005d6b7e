-- Erasure: the calls' destination number, agent identity (client:...) and recording. Rows already cleared are not
-- counted. $1 the calls' ids
UPDATE call_recordings
   SET to_number = NULL, caller = NULL, recording_url = NULL, recording_sid = NULL, updated_at = now()
 WHERE id = ANY($1::uuid[])
   AND (to_number IS NOT NULL OR caller IS NOT NULL OR recording_url IS NOT NULL OR recording_sid IS NOT NULL)
