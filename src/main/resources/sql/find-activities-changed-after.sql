-- A live stream's read: the lead's activities whose latest change is numbered after the stream's position, in
-- change order (lead_activities_lead_seq_idx, V8), each in its current state, with the columns of a timeline
-- entry (as find-lead-timeline-page.sql; LeadRepository.activity reads them). $1 lead id, $2 position, $3 limit
SELECT a.id, a.type, a.status, a.duration_seconds, a.started_at, a.answered_at, a.ended_at, a.recording_url,
       a.answered_by, c.call_sid, c.to_number, a.lead_seq, a.updated_at
  FROM lead_activities a
  LEFT JOIN call_recordings c ON c.id = a.call_id
 WHERE a.lead_id = $1 AND a.lead_seq > $2
 ORDER BY a.lead_seq
 LIMIT $3
