-- Serialises, until the transaction ends, the transactions that link a dialed leg to its call (an AMD result,
-- and an event that teaches the call that leg). $1 the dialed leg's sid
SELECT pg_advisory_xact_lock(hashtextextended('dialed-leg:' || $1, 0))
