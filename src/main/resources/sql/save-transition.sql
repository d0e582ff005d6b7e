-- Writes a call's new state and its side effects in one statement. The lead: when $14 (this call's contact
-- time, decided by ContactRule) is set, a 'new' lead becomes 'contacted' and last_contacted_at only moves
-- forward, except that this call's own earlier estimate ($15) is corrected. The call's activity on the lead's
-- timeline is created or refreshed when what it shows changed ($16 = 1, decided by CallChange.changesTimeline);
-- then the lead's activity_seq numbers the change (under the lead's row lock, so in commit order) and pg_notify
-- announces it to the live streams of every replica, delivered only when this transaction commits (payload:
-- lead id and number), if a stream watches the lead: unless the lead's watch lock ($18, $19: db/Watches) can be
-- taken exclusively, which it then keeps until commit, so a stream starting to watch waits for this commit. The statement must stay under 2,048 characters once its comments are dropped
-- (CallRepositoryStatementsTest): the client caches only shorter prepared statements; hence the terse layout.
-- $1 id, $2 status, $3 dialed_call_sid, $4 to_number, $5 answered_at, $6 ended_at, $7 ended_at_estimated,
-- $8 duration_seconds, $9 recording_sid, $10 recording_url, $11 recording_duration_seconds, $12 parent_ended_at,
-- $13 resolution, $14 contact time or NULL, $15 the contact time this call had set before or NULL,
-- $16 1 when the change shows on the timeline, else 0, $17 answered_by (answering-machine detection),
-- $18 and $19 the lead's watch lock (Watches.LEAD_ACTIVITY's space, the lead's key)
-- Rows of the original system may name deleted leads: no lead row (l), then no activity (a). Data-modifying
-- CTEs run whether or not the final SELECT reads them; it returns how many changes it announced.
WITH c AS (
  UPDATE call_recordings
     SET status = $2, dialed_call_sid = $3, to_number = $4, answered_at = $5, ended_at = $6,
         ended_at_estimated = $7, duration_seconds = $8, recording_sid = $9, recording_url = $10,
         recording_duration_seconds = $11, parent_ended_at = $12, resolution = $13, answered_by = $17,
         updated_at = now()
   WHERE id = $1
  RETURNING id, lead_id, status, duration_seconds, created_at, answered_at, ended_at, recording_url, answered_by),
l AS (
  UPDATE leads
     SET status = CASE WHEN leads.status = 'new' AND $14::timestamptz IS NOT NULL THEN 'contacted'
                       ELSE leads.status END,
         last_contacted_at = CASE
           WHEN leads.last_contacted_at IS NULL OR leads.last_contacted_at < $14::timestamptz
                OR leads.last_contacted_at = $15::timestamptz
           THEN COALESCE($14::timestamptz, leads.last_contacted_at) ELSE leads.last_contacted_at END,
         activity_seq = leads.activity_seq + $16::int
    FROM c
   WHERE leads.id = c.lead_id AND ($14::timestamptz IS NOT NULL OR $16::int = 1)
  RETURNING leads.id, leads.activity_seq),
a AS (
  INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at,
                               ended_at, recording_url, answered_by, lead_seq)
  SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at,
         c.recording_url, c.answered_by, l.activity_seq
    FROM c JOIN l ON l.id = c.lead_id
   WHERE $16::int = 1
  ON CONFLICT (call_id) DO UPDATE
     SET status = EXCLUDED.status, duration_seconds = EXCLUDED.duration_seconds,
         answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at, recording_url = EXCLUDED.recording_url,
         answered_by = EXCLUDED.answered_by, lead_seq = EXCLUDED.lead_seq, updated_at = now()
  RETURNING lead_id, lead_seq)
SELECT count(pg_notify('lead_activity', concat(lead_id, '/', lead_seq))) AS announced FROM a
 WHERE NOT pg_try_advisory_xact_lock($18, $19)
