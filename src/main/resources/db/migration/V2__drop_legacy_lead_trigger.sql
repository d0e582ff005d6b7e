-- Leads are updated in Java now, in the same transaction as the call. The original system's trigger
-- (migration 043) would update every lead a second time and set last_contacted_at to now(), fighting
-- the service's Twilio timestamps; its clean-up (migration 053) marked every call older than 10
-- minutes 'completed', inventing outcomes. All conditional: a database without them is fine.
DROP TRIGGER IF EXISTS trigger_update_lead_on_call ON call_recordings;
DROP FUNCTION IF EXISTS update_lead_on_call();
DROP FUNCTION IF EXISTS fix_stuck_calls();

-- The pg_cron job that ran fix_stuck_calls() every 30 minutes, when pg_cron is installed.
-- Dynamic SQL: the cron schema does not exist where pg_cron is not installed.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE 'SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = ''fix-stuck-calls''';
    END IF;
END
$$;
