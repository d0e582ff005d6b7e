-- Keeps one reconciler run's summary for the diagnostics (reconcile_runs, V7), and forgets runs older than a
-- week. $1 run_id .. $13 backlog_after, in the order of the column list; $5 is when the run finished
WITH saved AS (
    INSERT INTO reconcile_runs (run_id, replica, trigger, started_at, finished_at, stopped_because,
                                batches, claimed, closed, left_open, twilio_requests, rate_limited,
                                backlog_after)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))
DELETE FROM reconcile_runs WHERE finished_at < $5 - interval '7 days'
