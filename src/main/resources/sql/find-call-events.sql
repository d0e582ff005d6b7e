-- A call's events in order, with the AMD result, which is stored under its dialed leg.
-- $1 the call's sid, $2 its dialed leg's sid (or its own when it has none)
SELECT id, leg_sid, kind, status, sequence_number, twilio_timestamp, received_at, source, params
  FROM call_events
 WHERE call_sid = $1 OR (call_sid = $2 AND kind = 'amd')
 ORDER BY id
