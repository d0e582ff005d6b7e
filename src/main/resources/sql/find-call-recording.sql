-- A call's recording, by its parent sid or its dialed sid, for streaming its audio. $1 the sid
SELECT recording_sid, recording_url FROM call_recordings WHERE call_sid = $1 OR dialed_call_sid = $1 LIMIT 1
