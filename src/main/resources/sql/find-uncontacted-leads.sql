-- Leads still 'new' although one of their calls connected (the original trigger's failure mode), most
-- recently connected first. $1 limit, $2 the connected statuses (ContactRule.CONNECTED)
-- From the new leads (leads_still_new_idx) to each one's calls: the work grows with the leads not yet reached, not
-- with the CRM's whole table (a join with GROUP BY was planned as a parallel scan of every lead: 90 ms at 500,000).
SELECT l.id, l.first_name, l.last_name, l.status, l.last_contacted_at, s.connected_calls, s.last_connected_at
  FROM leads l CROSS JOIN LATERAL (
       SELECT count(*) AS connected_calls, max(COALESCE(c.ended_at, c.answered_at)) AS last_connected_at
         FROM call_recordings c WHERE c.lead_id = l.id AND c.status = ANY($2)) s
 WHERE l.status = 'new' AND s.connected_calls > 0
 ORDER BY s.last_connected_at DESC NULLS LAST LIMIT $1
