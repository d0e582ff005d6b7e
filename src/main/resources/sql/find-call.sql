-- One call by its parent sid or its dialed sid, for the API. $1 the sid
SELECT * FROM call_recordings WHERE call_sid = $1 OR dialed_call_sid = $1 LIMIT 1
