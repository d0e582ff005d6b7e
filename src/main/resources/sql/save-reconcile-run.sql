-- Keeps one reconciler run's summary for the diagnostics (reconcile_runs, V7); runs are forgotten by the retention
-- job (retention.reconcile-runs). $1 run_id .. $13 backlog_after, in the order of the column list
INSERT INTO reconcile_runs (run_id, replica, trigger, started_at, finished_at, stopped_because,
                            batches, claimed, closed, left_open, twilio_requests, rate_limited,
                            backlog_after)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
