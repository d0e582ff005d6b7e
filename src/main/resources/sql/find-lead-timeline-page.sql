-- One page of a lead's timeline, newest first: the entries after the previous page's last one ($3 its started_at,
-- $4 its id; the first page passes 'infinity' and any id), keyset order (started_at, id) descending, read in
-- that order from lead_activities_timeline_idx (V10) however deep the page. No row when the lead does not
-- exist; one row with a null activity id when the page is empty.
-- $1 lead id, $2 rows to read, $3 started_at after which, $4 id after which
SELECT a.id, a.type, a.status, a.duration_seconds, a.started_at, a.answered_at, a.ended_at, a.recording_url,
       a.answered_by, c.call_sid, c.to_number
  FROM leads l
  LEFT JOIN LATERAL (SELECT * FROM lead_activities
                      WHERE lead_id = l.id AND (started_at, id) < ($3::timestamptz, $4::uuid)
                      ORDER BY started_at DESC, id DESC
                      LIMIT $2) a ON true
  LEFT JOIN call_recordings c ON c.id = a.call_id
 WHERE l.id = $1
 ORDER BY a.started_at DESC, a.id DESC
