-- Retention: deletes the oldest reconciler runs finished before the cut-off, one batch (reconcile_runs_finished_at_idx).
-- $1 cut-off, $2 batch size
WITH batch AS (
    SELECT run_id FROM reconcile_runs
     WHERE finished_at < $1
     ORDER BY finished_at
     LIMIT $2
       FOR UPDATE SKIP LOCKED)
DELETE FROM reconcile_runs r USING batch WHERE r.run_id = batch.run_id
