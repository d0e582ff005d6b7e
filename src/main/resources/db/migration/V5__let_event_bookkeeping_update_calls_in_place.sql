-- Every Twilio callback moves call_recordings.last_event_at forward (the statement that appends the event
-- takes the call's row lock with ON CONFLICT DO UPDATE). While last_event_at was part of an index, each of
-- those updates wrote a new entry into all six indexes of the table; now PostgreSQL can make it a HOT
-- update (new row version on the same page, no index entry). Measured by bench/run.sh.
--
-- The reconciler's candidates are still found through a partial index of the open calls (few: the calls
-- in progress); their last_event_at is read from the rows. The predicate must stay identical to
-- StuckCallRepository.openPredicate (derived from CallStatus) for the planner to use the index.
DROP INDEX IF EXISTS call_recordings_open_idx;
CREATE INDEX call_recordings_open_idx ON call_recordings (created_at)
    WHERE status NOT IN ('completed', 'busy', 'no-answer', 'failed', 'canceled', 'unknown');

-- Room on each page for the next versions of its rows, so that those updates can stay on the page.
-- (Applies to pages written from now on.)
ALTER TABLE call_recordings SET (fillfactor = 80);
