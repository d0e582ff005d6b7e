-- The reconciler's runs on every replica (reconcile_runs), newest first. $1 limit
SELECT *, (extract(epoch FROM finished_at - started_at) * 1000)::bigint AS duration_ms
  FROM reconcile_runs
 ORDER BY finished_at DESC LIMIT $1
