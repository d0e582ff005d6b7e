-- Leads still 'new' although one of their calls connected (the original trigger's failure mode), most
-- recently connected first. $1 limit, $2 the connected statuses (ContactRule.CONNECTED)
SELECT l.id, l.first_name, l.last_name, l.status, l.last_contacted_at,
       count(c.id) AS connected_calls, max(COALESCE(c.ended_at, c.answered_at)) AS last_connected_at
  FROM leads l JOIN call_recordings c ON c.lead_id = l.id
 WHERE l.status = 'new' AND c.status = ANY($2)
 GROUP BY l.id ORDER BY last_connected_at DESC NULLS LAST LIMIT $1
