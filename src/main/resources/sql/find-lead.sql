-- Whether the lead exists (a live stream checks it before it starts). $1 lead id
SELECT 1 FROM leads WHERE id = $1
