-- The tables only this service reads and writes, closed to Supabase's Data API (PostgREST). On Supabase the
-- schema's default privileges grant every new table to anon and authenticated (older projects do), so every
-- table V1-V8 created already carries those grants: anyone holding the CRM's public anon key could read
-- call_events (every From/To and agent in params) and insert a call_events row with the dedupe_key of a future
-- event, making the real callback a "duplicate" that is dropped. Two locks, each enough on its own:
--   * the grants to anon and authenticated are revoked (where those roles exist: nothing on plain PostgreSQL);
--   * row-level security is on, with no policy: a role other than the owner reads and writes no row even if
--     someone grants the table again. The service's role owns these tables (Flyway created them with it), and
--     an owner is not subject to its table's row security unless it is FORCEd, which it is not here.
-- leads and call_recordings are the CRM's tables: their grants, row security and policies stay as the CRM set
-- them (docs/security.md#supabases-data-api).
--
-- A migration that creates a table ends with the same two statements for it (a DO block like this one);
-- DataApiLockdownTest lists every table in the schema and fails for one that is left open.
DO $$
DECLARE
    service_table text;
    api_role text;
BEGIN
    FOREACH service_table IN ARRAY ARRAY['call_events', 'lead_activities', 'reconcile_runs', 'legacy_repairs',
                                         '${flyway:table}'] LOOP
        -- Flyway holds a lock on its history table from another connection while this runs: ALTER TABLE would
        -- wait for it forever. That table is closed by the revoke alone.
        IF service_table <> '${flyway:table}' THEN
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', service_table);
        END IF;
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role) THEN
                EXECUTE format('REVOKE ALL ON TABLE %I FROM %I', service_table, api_role);
            END IF;
        END LOOP;
    END LOOP;
    -- The bigserial sequences came with the same default grants (nextval through the API).
    FOREACH service_table IN ARRAY ARRAY['call_events_id_seq', 'legacy_repairs_id_seq'] LOOP
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = api_role) THEN
                EXECUTE format('REVOKE ALL ON SEQUENCE %I FROM %I', service_table, api_role);
            END IF;
        END LOOP;
    END LOOP;
END
$$;
