-- The outbox for the metrics: events not yet delivered, the age of the oldest, and the dead ones.
SELECT count(*) FILTER (WHERE dead_at IS NULL) AS pending,
       COALESCE(extract(epoch FROM now() - min(created_at) FILTER (WHERE dead_at IS NULL)), 0)::float8 AS oldest_seconds,
       count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead
  FROM webhook_outbox
