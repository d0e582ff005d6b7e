-- Fills a migrated call-tracker database with :calls calls of the last two years and their events, activities
-- and leads, as years of use leave them (bench/bigdb.sh; bench/README.md "A big database"). Run with psql:
--   psql -v calls=1000000 -f bench/bigdb.sql
-- Deterministic (hash-based, no random()), so two runs of one size make the same database.
--   * leads: one per 20 calls, calls skewed towards few leads (the square of a uniform draw picks the lead), and
--     one lead (md5('bigdb-lead-0')) with exactly 10,000 calls;
--   * calls: created evenly over 730 days, in id order; 55 % completed, 20 % no-answer, 10 % busy, 8 % canceled,
--     5 % failed, 2 % unknown (closed by the reconciler, which left a decision event), 1 in 1,000 still open
--     (initiated, ringing or in-progress: stuck unless recent; a third were examined before and wait for a re-check);
--   * events (in the order of their calls, so ids follow time as in use): what Twilio sends for each outcome (8 for an answered call, 6 for no-answer, 5 for a failure...),
--     raw parameters kept for the last 90 days only, as the retention job leaves them;
--   * one timeline activity per call; leads whose call connected are 'contacted'.
-- Secondary indexes are dropped during the fill and built again after it (each build is timed).
\set ON_ERROR_STOP on
\timing on
SELECT greatest(:calls / 20, 10) AS nleads, greatest(:calls / 10000, 1) AS whale_every \gset

-- A uniform draw in [0, 1) from (n, salt), deterministic.
CREATE FUNCTION pg_temp.u(n bigint, salt int) RETURNS float8 IMMUTABLE LANGUAGE sql
    AS $$ SELECT (hashint8(n * 7919 + salt) & 2147483647)::float8 / 2147483648 $$;

CREATE TEMP TABLE saved_indexes AS
SELECT i.indexname, i.indexdef FROM pg_indexes i
 WHERE i.schemaname = current_schema() AND i.tablename IN ('call_recordings', 'call_events', 'lead_activities')
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname);
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT indexname FROM saved_indexes LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP;
END $$;

CREATE TEMP TABLE big_leads AS
SELECT n AS lead_n, md5('bigdb-lead-' || n)::uuid AS id, '+1555' || lpad(n::text, 7, '0') AS phone
  FROM generate_series(0, :nleads) n;
INSERT INTO leads (id, first_name, last_name, status, phone, created_at)
SELECT id, 'Big', 'Lead ' || lead_n, 'new', phone, now() - interval '731 days' FROM big_leads;

INSERT INTO call_recordings (call_sid, dialed_call_sid, lead_id, status, duration_seconds, created_at, answered_at,
                             ended_at, to_number, caller, recording_sid, recording_url, recording_duration_seconds,
                             parent_ended_at, last_event_at, resolution, updated_at, reconcile_next_check_at,
                             reconcile_checked_at, reconcile_checks)
SELECT 'CA' || md5('bigdb-call-' || n), 'CA' || md5('bigdb-leg-' || n), l.id, s.status,
       CASE WHEN s.status = 'completed' THEN s.talk WHEN s.open THEN NULL ELSE 0 END,
       s.t0,
       CASE WHEN s.status IN ('completed', 'in-progress') THEN s.t0 + interval '8 seconds' END,
       CASE WHEN NOT s.open THEN s.t0 + interval '8 seconds' + s.talk * interval '1 second' END,
       l.phone, 'client:agent-' || (n % 50),
       CASE WHEN s.status = 'completed' THEN 'RE' || md5('bigdb-rec-' || n) END,
       CASE WHEN s.status = 'completed' THEN 'https://api.twilio.com/2010-04-01/Accounts/ACbigdb/Recordings/RE'
                                              || md5('bigdb-rec-' || n) END,
       CASE WHEN s.status = 'completed' THEN greatest(s.talk - 2, 0) END,
       CASE WHEN NOT s.open THEN s.t0 + interval '9 seconds' + s.talk * interval '1 second' END,
       s.t0 + interval '9 seconds' + s.talk * interval '1 second',
       CASE WHEN s.status = 'unknown' THEN 'inferred' WHEN NOT s.open THEN 'callback' END,
       s.t0 + interval '10 seconds' + s.talk * interval '1 second',
       CASE WHEN s.open AND n % 3 = 0 THEN now() + interval '20 minutes' END,
       CASE WHEN s.open AND n % 3 = 0 THEN now() - interval '10 minutes' END,
       CASE WHEN s.open AND n % 3 = 0 THEN 4 ELSE 0 END
  FROM generate_series(1, :calls) n
  JOIN big_leads l ON l.lead_n = CASE WHEN n % :whale_every = 0 THEN 0
                                 ELSE 1 + floor((:nleads - 1) * power(pg_temp.u(n, 1), 2))::int END
 CROSS JOIN LATERAL (
     SELECT now() - (:calls - n) * (interval '730 days' / :calls) AS t0,
            n % 1000 = 7 AS open,
            (10 + floor(pg_temp.u(n, 2) * 300))::int AS talk,
            CASE WHEN n % 1000 = 7 THEN (ARRAY['initiated', 'ringing', 'in-progress'])[1 + (n / 1000) % 3]
                 ELSE CASE WHEN pg_temp.u(n, 3) < 0.55 THEN 'completed' WHEN pg_temp.u(n, 3) < 0.75 THEN 'no-answer'
                           WHEN pg_temp.u(n, 3) < 0.85 THEN 'busy' WHEN pg_temp.u(n, 3) < 0.93 THEN 'canceled'
                           WHEN pg_temp.u(n, 3) < 0.98 THEN 'failed' ELSE 'unknown' END END AS status) s;

-- What Twilio sends for each outcome, in order: (outcome, position, kind, status word, seconds after the dial).
CREATE TEMP TABLE event_shapes (outcome text, i int, kind text, status text, after_s int);
INSERT INTO event_shapes VALUES
    ('completed', 1, 'voice', 'ringing', 0), ('completed', 2, 'dialed-status', 'initiated', 1),
    ('completed', 3, 'dialed-status', 'ringing', 2), ('completed', 4, 'dialed-status', 'in-progress', 8),
    ('completed', 5, 'dialed-status', 'completed', 60), ('completed', 6, 'dial-action', 'completed', 60),
    ('completed', 7, 'recording', 'completed', 62), ('completed', 8, 'parent-status', 'completed', 61),
    ('no-answer', 1, 'voice', 'ringing', 0), ('no-answer', 2, 'dialed-status', 'initiated', 1),
    ('no-answer', 3, 'dialed-status', 'ringing', 2), ('no-answer', 4, 'dialed-status', 'no-answer', 25),
    ('no-answer', 5, 'dial-action', 'no-answer', 25), ('no-answer', 6, 'parent-status', 'completed', 26),
    ('failed', 1, 'voice', 'ringing', 0), ('failed', 2, 'dialed-status', 'initiated', 1),
    ('failed', 3, 'dialed-status', 'failed', 1), ('failed', 4, 'dial-action', 'failed', 1),
    ('failed', 5, 'parent-status', 'completed', 2),
    ('unknown', 1, 'voice', 'ringing', 0), ('unknown', 2, 'dialed-status', 'initiated', 1),
    ('unknown', 3, 'reconciler', 'unknown', 21600),
    ('open', 1, 'voice', 'ringing', 0), ('open', 2, 'dialed-status', 'initiated', 1),
    ('open', 3, 'dialed-status', 'ringing', 2);

INSERT INTO call_events (call_sid, leg_sid, kind, status, sequence_number, twilio_timestamp, received_at, source,
                         dedupe_key, params)
SELECT c.call_sid, CASE WHEN e.kind = 'dialed-status' THEN c.dialed_call_sid ELSE c.call_sid END, e.kind, e.status,
       CASE WHEN e.kind = 'dialed-status' THEN e.i - 2 END, c.created_at + e.after_s * interval '1 second',
       c.created_at + e.after_s * interval '1 second', CASE WHEN e.kind = 'reconciler' THEN 'inferred' ELSE 'callback' END,
       e.kind || ':' || c.call_sid || ':' || e.i,
       CASE WHEN c.created_at + e.after_s * interval '1 second' < now() - interval '90 days' THEN '{}'::jsonb
            ELSE jsonb_build_object('AccountSid', 'ACbigdb', 'ApiVersion', '2010-04-01', 'CallSid', c.call_sid,
                                    'ParentCallSid', c.call_sid, 'CallStatus', e.status, 'Direction', 'outbound-dial',
                                    'From', c.caller, 'Caller', c.caller, 'To', c.to_number, 'Called', c.to_number,
                                    'SequenceNumber', e.i::text, 'Timestamp', (c.created_at + e.after_s * interval '1 second')::text)
       END
  FROM call_recordings c
  JOIN event_shapes e ON e.outcome = CASE WHEN c.status IN ('busy', 'canceled') THEN 'no-answer'
                                          WHEN c.status IN ('initiated', 'ringing', 'in-progress') THEN 'open'
                                          ELSE c.status END
 WHERE c.caller LIKE 'client:agent-%';

INSERT INTO lead_activities (lead_id, type, call_id, status, duration_seconds, started_at, answered_at, ended_at,
                             recording_url, lead_seq, created_at, updated_at)
SELECT c.lead_id, 'call', c.id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at, c.recording_url,
       row_number() OVER (PARTITION BY c.lead_id ORDER BY c.created_at, c.id), c.created_at, c.updated_at
  FROM call_recordings c JOIN big_leads l ON l.id = c.lead_id;

UPDATE leads l SET activity_seq = a.seq, status = CASE WHEN a.connected THEN 'contacted' ELSE 'new' END,
                   last_contacted_at = a.last_connected
  FROM (SELECT lead_id, max(lead_seq) AS seq, bool_or(status IN ('completed', 'in-progress')) AS connected,
               max(answered_at) AS last_connected
          FROM lead_activities GROUP BY lead_id) a
 WHERE l.id = a.lead_id;

-- The reconciler's run log: one run a minute per replica for the last week (what retention keeps) and two.
INSERT INTO reconcile_runs (run_id, replica, trigger, started_at, finished_at, stopped_because, batches, claimed,
                            closed, left_open, twilio_requests, rate_limited, backlog_after)
SELECT md5('bigdb-run-' || n || '-' || r)::uuid, 'replica-' || r, 'schedule', now() - n * interval '1 minute',
       now() - n * interval '1 minute' + interval '80 ms', 'drained', 1, 0, 0, 0, 0, 0, 0
  FROM generate_series(1, 7 * 1440) n, generate_series(1, 2) r;

DO $$ DECLARE r record; t timestamptz; BEGIN
    FOR r IN SELECT indexname, indexdef FROM saved_indexes LOOP
        t := clock_timestamp();
        EXECUTE r.indexdef;
        RAISE NOTICE 'index % built in % s', r.indexname, round(extract(epoch FROM clock_timestamp() - t)::numeric, 1);
    END LOOP;
END $$;
VACUUM (ANALYZE) leads, call_recordings, call_events, lead_activities, reconcile_runs;
SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) AS size
  FROM pg_stat_user_tables WHERE relname IN ('leads', 'call_recordings', 'call_events', 'lead_activities', 'reconcile_runs')
 ORDER BY 1;
