-- A call's events in order, with an AMD result stored under its dialed leg before the call knew that leg.
-- $1 the call's sid, $2 its dialed leg's sid (or its own when it has none)
SELECT id, leg_sid, kind, status, sequence_number, twilio_timestamp, received_at, source, params
  FROM call_events
 WHERE call_sid = $1 OR (call_sid = $2 AND kind = 'amd')
 ORDER BY id
