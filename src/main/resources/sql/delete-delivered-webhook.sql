-- A delivered event is not kept: the CRM has it (and deduplicates by its id).
-- $1 id
DELETE FROM webhook_outbox WHERE id = $1
