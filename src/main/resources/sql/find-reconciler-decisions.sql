-- The reconciler's decisions (its call_events, through call_events_reconciler_idx), newest first, each with
-- its call's status now. $1 limit
SELECT e.call_sid, e.status AS decision, e.source, e.received_at AS decided_at, e.params, c.status AS call_status
  FROM call_events e LEFT JOIN call_recordings c ON c.call_sid = e.call_sid
 WHERE e.kind = 'reconciler'
 ORDER BY e.id DESC LIMIT $1
