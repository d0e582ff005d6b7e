-- The live stream (GET /api/leads/{id}/activities/stream) names each change of a lead's timeline by a number
-- that orders it: leads.activity_seq counts the lead's activity changes, and each activity keeps the number
-- of its latest change (lead_activities.lead_seq). The counter is incremented under the lead's row lock, in
-- the transaction that changes the activity, so for one lead the numbers become visible in commit order: a
-- reader that has seen change n has seen every change before it (unlike a bigserial, whose values can commit
-- out of order). A client resumes with "every activity whose lead_seq is above the last one I saw".
--
-- Adding a column with a constant default is a catalog-only change (no table rewrite) on PostgreSQL 11+.
-- activity_seq is in no index, so its increments can be HOT updates.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS activity_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE lead_activities ADD COLUMN IF NOT EXISTS lead_seq bigint NOT NULL DEFAULT 0;

-- Existing timelines (the original system's calls, V4) get their numbers in the order they happened.
UPDATE lead_activities a
   SET lead_seq = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY lead_id ORDER BY started_at, id) AS seq
          FROM lead_activities) n
 WHERE a.id = n.id AND a.lead_seq = 0;
UPDATE leads l
   SET activity_seq = m.seq
  FROM (SELECT lead_id, max(lead_seq) AS seq FROM lead_activities GROUP BY lead_id) m
 WHERE l.id = m.lead_id AND l.activity_seq < m.seq;

CREATE INDEX IF NOT EXISTS lead_activities_lead_seq_idx ON lead_activities (lead_id, lead_seq);
