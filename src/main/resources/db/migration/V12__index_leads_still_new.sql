-- The leads still 'new' (not yet reached): the operator's "uncontacted leads" diagnostic starts from them and joins
-- their calls. Without it that query reads every lead (90 ms at 500,000 leads, growing with the CRM's table); with
-- it, only the new ones. Partial, so it holds only leads that were never contacted, and costs nothing to the
-- service's own lead update (new -> contacted removes the entry). 'new' is the word the contact rule moves from
-- (save-transition.sql, find-uncontacted-leads.sql).
--
-- leads is the CRM's table: IF NOT EXISTS, so an operator may build it beforehand, outside Flyway, with CREATE
-- INDEX CONCURRENTLY under this name; otherwise the build blocks writes to leads while it runs (about 0.3 s per
-- 500,000 leads), once, at the upgrade.
CREATE INDEX IF NOT EXISTS leads_still_new_idx ON leads (id) WHERE status = 'new';
