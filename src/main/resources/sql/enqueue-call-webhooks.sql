-- The webhook events of one call change, written in its transaction: sent right before save-transition.sql in the
-- same round trip, and only while webhooks are configured. call.updated for every change; lead.contacted when the
-- change contacts a lead that is still 'new' (save-transition.sql's own rule, read just before it applies it). The
-- lead row is locked here so that two calls contacting one lead at once announce it once: the second waits, then
-- sees it contacted. Same lock order as save-transition.sql (the call was locked first).
-- $1 the call.updated data (json), $2 lead id or NULL, $3 this change's contact time or NULL, $4 call id
WITH newly AS (
  SELECT id FROM leads WHERE id = $2::uuid AND status = 'new' AND $3::timestamptz IS NOT NULL FOR UPDATE)
INSERT INTO webhook_outbox (event_type, body)
SELECT 'call.updated', jsonb_build_object('type', 'call.updated', 'timestamp', now(), 'data', $1::jsonb)
UNION ALL
SELECT 'lead.contacted', jsonb_build_object('type', 'lead.contacted', 'timestamp', now(), 'data',
       jsonb_build_object('lead_id', id, 'call_id', $4::uuid, 'contacted_at', $3::timestamptz))
  FROM newly
