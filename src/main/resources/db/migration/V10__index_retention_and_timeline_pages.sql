-- Two indexes for data that grows for years (issue 23). IF NOT EXISTS: an operator may have built them beforehand.
--
-- Flyway runs this in a transaction, where CREATE INDEX CONCURRENTLY is not allowed: a plain CREATE INDEX blocks
-- writes to its table while it builds (about 1.5 s per million call_events rows, docs/scale.md), so callbacks wait
-- that long once, at the upgrade. On a database with many millions of events build them first, outside Flyway,
-- under the same names (CREATE INDEX CONCURRENTLY ... as below); this migration then finds them and does nothing.
-- A CONCURRENTLY build that failed leaves an INVALID index of that name, which IF NOT EXISTS would accept: drop it
-- and build again (docs/operations.md#retention).

-- The events whose raw Twilio parameters are still kept, by age: the retention job clears the oldest in batches
-- without reading the rows already cleared. Partial, so it holds only the retention window's rows.
CREATE INDEX IF NOT EXISTS call_events_params_kept_idx ON call_events (received_at) WHERE params <> '{}'::jsonb;

-- The timeline's order, with the id that breaks ties, so that a page starts right after the previous one's last
-- entry through the index (keyset pagination). It serves everything the index it replaces served (lead_id first).
CREATE INDEX IF NOT EXISTS lead_activities_timeline_idx ON lead_activities (lead_id, started_at DESC, id DESC);
DROP INDEX IF EXISTS lead_activities_lead_id_idx;
