-- The voice webhook's lead check: the lead's phone ('' when it has none); no row when the lead does not exist.
-- $1 lead id
SELECT COALESCE(phone, '') AS phone FROM leads WHERE id = $1
