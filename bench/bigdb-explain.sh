#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of the statements that must stay fast on a big database (bench/bigdb.sh fills it):
# the hot path's statements (src/main/resources/sql, as the service sends them), the reconciler's claim and
# backlog, the diagnostics' queries, the timeline's pages, the retention batch and the erasure. Each runs three
# times in a transaction that is rolled back (writes change nothing); the plan of the third is printed, with the
# execution time of all three. The reconciler's and diagnostics' SQL is built in Java: it is written out here as
# StuckCallRepository and DiagnosticsRepository render it (keep in step).
#   BIGDB_PORT=25433 bench/bigdb-explain.sh
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SQL_DIR=$(dirname "$BENCH_DIR")/src/main/resources/sql
PORT=${BIGDB_PORT:-25433}
PGBIN=/usr/lib/postgresql/15/bin
psql_db() { "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d calltracker -v ON_ERROR_STOP=1 -X -q "$@"; }
sql_file() { grep -v '^[[:space:]]*--' "$SQL_DIR/$1"; }

OPEN="status NOT IN ('completed', 'busy', 'no-answer', 'failed', 'canceled', 'unknown')"
STALE="COALESCE(last_event_at, created_at)"
CANDIDATE="$OPEN
  AND (reconcile_claimed_until IS NULL OR reconcile_claimed_until < \$6)
  AND (reconcile_checked_at IS NULL OR reconcile_checked_at < \$7)
  AND ($STALE < \$1 OR (parent_ended_at IS NOT NULL AND parent_ended_at < \$2))
  AND (reconcile_next_check_at IS NULL OR reconcile_next_check_at <= \$6 OR $STALE > reconcile_checked_at)"
# The lead watches' advisory-lock space (db/Watches.LEAD_ACTIVITY) and the amd: prefix of CallEventKind.AMD's keys.
WATCH_SPACE=$((0x4c454144))
CALL_COLUMNS="c.call_sid, c.dialed_call_sid, c.lead_id, c.status, c.duration_seconds, c.created_at, c.answered_at, c.ended_at, c.parent_ended_at, c.last_event_at, c.resolution"

# The rows the statements are about: the lead with 10,000 calls, an ordinary lead, a call in the middle of the table,
# and the entry that ends page 50 of the big lead's timeline.
read -r WHALE LEAD CALL_ID CALL_SID LEG_SID DEEP_AT DEEP_ID < <(psql_db -AtF' ' <<'SQL'
SELECT md5('bigdb-lead-0')::uuid, md5('bigdb-lead-77')::uuid,
       (SELECT id FROM call_recordings WHERE call_sid = 'CA' || md5('bigdb-call-500001')),
       'CA' || md5('bigdb-call-500001'), 'CA' || md5('bigdb-leg-500001'),
       (SELECT replace(started_at::text, ' ', 'T') FROM lead_activities WHERE lead_id = md5('bigdb-lead-0')::uuid
         ORDER BY started_at DESC, id DESC OFFSET 4999 LIMIT 1),
       (SELECT id FROM lead_activities WHERE lead_id = md5('bigdb-lead-0')::uuid
         ORDER BY started_at DESC, id DESC OFFSET 4999 LIMIT 1)
SQL
)

# name | PREPARE text | EXECUTE arguments (inside a quoted literal: quotes doubled)
explain() {
  local name=$1 sql=$2 args=$3 prepare target
  if [[ $args == - ]]; then # the statement itself, its parameters written in (quotes doubled for the literal)
    prepare=""
    target=${sql//\'/\'\'}
  else
    prepare="PREPARE s AS $sql;"
    target="EXECUTE s($args)"
  fi
  echo
  echo "=== $name"
  psql_db <<SQL
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
$prepare
BEGIN;
CREATE TEMP TABLE t (line text) ON COMMIT DROP;
DO \$\$ DECLARE line text; ms text := ''; BEGIN
  FOR i IN 1..3 LOOP
    DELETE FROM t;
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS) $target' LOOP
      INSERT INTO t VALUES (line);
      IF line LIKE 'Execution Time%' THEN ms := ms || ' ' || substring(line FROM '[0-9.]+ ms'); END IF;
    END LOOP;
  END LOOP;
  RAISE NOTICE 'execution times:%', ms;
END \$\$;
SELECT line AS "plan (third run)" FROM t;
ROLLBACK;
SQL
}

NOW="now()"
explain "reconciler claim (StuckCallRepository.CLAIM, batch 200)" "WITH newer AS (
    SELECT id FROM call_recordings WHERE $CANDIDATE
     ORDER BY $STALE DESC LIMIT \$8 FOR UPDATE SKIP LOCKED),
older AS (
    SELECT id FROM call_recordings WHERE $CANDIDATE AND id NOT IN (SELECT id FROM newer)
     ORDER BY COALESCE(reconcile_next_check_at, last_event_at, created_at) LIMIT \$3 FOR UPDATE SKIP LOCKED)
UPDATE call_recordings
   SET reconcile_claimed_until = \$4, reconcile_claimed_by = \$5
 WHERE id IN (SELECT id FROM newer UNION ALL SELECT id FROM older)
RETURNING id, call_sid, dialed_call_sid, status, duration_seconds, answered_at, created_at, last_event_at, parent_ended_at, reconcile_checks, reconcile_checked_at" \
  "$NOW - interval ''10 minutes'', $NOW - interval ''30 seconds'', 150, $NOW + interval ''5 minutes'', ''bench'', $NOW, $NOW, 50"
explain "reconciler AMD claim (StuckCallRepository.CLAIM_AWAITING_AMD_RESULT)" "WITH awaiting AS (
    SELECT id FROM call_recordings
     WHERE created_at > \$2 AND status = 'completed' AND answered_by IS NULL AND ended_at < \$1
       AND (reconcile_claimed_until IS NULL OR reconcile_claimed_until < \$6)
       AND (reconcile_checked_at IS NULL OR reconcile_checked_at < \$7)
       AND (reconcile_next_check_at IS NULL OR reconcile_next_check_at <= \$6)
     ORDER BY created_at LIMIT \$3 FOR UPDATE SKIP LOCKED)
UPDATE call_recordings SET reconcile_claimed_until = \$4, reconcile_claimed_by = \$5
 WHERE id IN (SELECT id FROM awaiting)
RETURNING id, call_sid, status" \
  "$NOW - interval ''10 minutes'', $NOW - interval ''6 hours'', 200, $NOW + interval ''5 minutes'', ''bench'', $NOW, $NOW"
explain "reconciler backlog (StuckCallRepository.backlog)" \
  "SELECT count(*) FILTER (WHERE $STALE < \$1 OR parent_ended_at < \$2), count(*) FILTER (WHERE $STALE < \$3) FROM call_recordings WHERE $OPEN" \
  "$NOW - interval ''10 minutes'', $NOW - interval ''30 seconds'', $NOW - interval ''15 minutes''"

explain "diagnostics: stuck calls" \
  "SELECT $CALL_COLUMNS FROM call_recordings c WHERE c.$OPEN AND COALESCE(c.last_event_at, c.created_at) < \$1 ORDER BY COALESCE(c.last_event_at, c.created_at) LIMIT \$2" \
  "$NOW - interval ''10 minutes'', 100"
explain "diagnostics: calls with a duration not ended" \
  "SELECT $CALL_COLUMNS FROM call_recordings c WHERE c.$OPEN AND c.duration_seconds > 0 ORDER BY c.created_at LIMIT \$1" "100"
explain "diagnostics: calls by status, since 24 h" \
  "SELECT status AS grouped, count(*) AS n FROM call_recordings WHERE created_at >= \$1 GROUP BY 1 ORDER BY 1" \
  "$NOW - interval ''24 hours''"
explain "diagnostics: calls by status, no since (every call)" \
  "SELECT status AS grouped, count(*) AS n FROM call_recordings WHERE created_at >= \$1 GROUP BY 1 ORDER BY 1" \
  "''1970-01-01T00:00:00Z''"
explain "diagnostics: calls by answered-by, since 24 h" \
  "SELECT COALESCE(answered_by, 'none') AS grouped, count(*) AS n FROM call_recordings WHERE created_at >= \$1 GROUP BY 1 ORDER BY 1" \
  "$NOW - interval ''24 hours''"
explain "diagnostics: uncontacted leads" "$(sql_file find-uncontacted-leads.sql)" "100, ''{in-progress,completed}''"
explain "diagnostics: reconciler decisions" \
  "SELECT e.call_sid, e.status AS decision, e.source, e.received_at AS decided_at, e.params, c.status AS call_status FROM call_events e LEFT JOIN call_recordings c ON c.call_sid = e.call_sid WHERE e.kind = 'reconciler' ORDER BY e.id DESC LIMIT \$1" "100"
explain "diagnostics: reconciler runs" \
  "SELECT *, (extract(epoch FROM finished_at - started_at) * 1000)::bigint AS duration_ms FROM reconcile_runs ORDER BY finished_at DESC LIMIT \$1" "100"

explain "timeline: first page of the lead with 10,000 calls (limit 100)" "$(sql_file find-lead-timeline-page.sql)" \
  "''$WHALE''::uuid, 101, ''infinity''::timestamptz, ''00000000-0000-0000-0000-000000000000''::uuid"
explain "timeline: page 51 of the lead with 10,000 calls (after entry 5,000, limit 100)" "$(sql_file find-lead-timeline-page.sql)" \
  "''$WHALE''::uuid, 101, ''$DEEP_AT''::timestamptz, ''$DEEP_ID''::uuid"
explain "live stream resume (LeadRepository.activitiesChangedAfter) of the lead with 10,000 calls, after change 9,900" \
  "SELECT a.id, a.type, a.status, a.duration_seconds, a.started_at, a.answered_at, a.ended_at, a.recording_url, a.answered_by, c.call_sid, c.to_number, a.lead_seq, a.updated_at FROM lead_activities a LEFT JOIN call_recordings c ON c.id = a.call_id WHERE a.lead_id = \$1 AND a.lead_seq > \$2 ORDER BY a.lead_seq LIMIT \$3" \
  "''$WHALE''::uuid, 9900, 200"

explain "hot path: find-lead-phone.sql" "$(sql_file find-lead-phone.sql)" "''$LEAD''::uuid"
explain "hot path: record-dialed-call.sql (a new call)" "$(sql_file record-dialed-call.sql)" \
  "''CAbenchnew0000000000000000000001'', ''$LEAD''::uuid, ''+15550000077'', ''client:agent-1'', $NOW, ''ringing'', ''{\"CallSid\": \"CAbenchnew\"}''::jsonb, $WATCH_SPACE, 77"
explain "hot path: append-event-and-lock-call.sql (a dialed-leg callback)" "$(sql_file append-event-and-lock-call.sql)" \
  "''$CALL_SID'', ''$LEG_SID'', ''dialed-status'', ''ringing'', 9, $NOW, $NOW, ''callback'', ''bench:'' || clock_timestamp(), ''{\"CallStatus\": \"ringing\"}''::jsonb, ''$LEG_SID'', ''amd:''"
explain "hot path: append-parent-status-to-known-call.sql" "$(sql_file append-parent-status-to-known-call.sql)" \
  "''$CALL_SID'', ''$CALL_SID'', ''parent-status'', ''completed'', NULL, $NOW, $NOW, ''callback'', ''bench:'' || clock_timestamp(), ''{}''::jsonb, NULL, ''amd:''"
explain "hot path: append-amd-result-and-lock-call.sql" "$(sql_file append-amd-result-and-lock-call.sql)" \
  "''$LEG_SID'', ''human'', $NOW, ''{}''::jsonb, ''amd:$LEG_SID''"
explain "hot path: lock-call.sql" "$(sql_file lock-call.sql)" "''$CALL_ID''::uuid, ''amd:''"
explain "hot path: save-transition.sql" "$(sql_file save-transition.sql)" \
  "''$CALL_ID''::uuid, ''completed'', ''$LEG_SID'', ''+15550000077'', $NOW, $NOW, false, 30, NULL, NULL, NULL, $NOW, ''callback'', $NOW, NULL, 1, NULL, $WATCH_SPACE, 77"
explain "read API: find-call.sql" "$(sql_file find-call.sql)" "''$LEG_SID''"
explain "read API: find-call-events.sql" "$(sql_file find-call-events.sql)" "''$CALL_SID'', ''$LEG_SID''"

explain "retention: one batch of expired event parameters (1,000 rows)" "$(sql_file purge-event-params.sql)" \
  "$NOW - interval ''90 days'' + interval ''1 hour'', 1000"
explain "retention: one batch of old reconciler runs" "$(sql_file purge-reconcile-runs.sql)" "$NOW - interval ''7 days'' + interval ''1 hour'', 1000"
# The erasure's statements for one lead (PersonalDataEraser runs them in one transaction, in this order), with the
# arrays of ids and sids the eraser binds; the first of the three runs is the one that changes rows (the later ones
# find them cleared).
erasure() {
  local label=$1 lead=$2 ids sids
  read -r ids sids < <(psql_db -AtF' ' -c "
    SELECT array_agg(id)::text, (array_agg(call_sid) || array_agg(dialed_call_sid))::text FROM call_recordings
     WHERE id IN (SELECT id FROM call_recordings WHERE lead_id = '$lead'
                  UNION SELECT call_id FROM lead_activities WHERE lead_id = '$lead')")
  explain "erasure, $label: erase-lead-calls.sql" "$(sql_file erase-lead-calls.sql)" "''$lead''::uuid"
  explain "erasure, $label: erase-call-recordings.sql" "$(sql_file erase-call-recordings.sql)" "''$ids''::uuid[]"
  explain "erasure, $label: erase-call-events.sql" "$(sql_file erase-call-events.sql)" "''$sids''::text[]"
  explain "erasure, $label: erase-lead-activities.sql" "$(sql_file erase-lead-activities.sql)" "''$lead''::uuid"
}
erasure "a lead with a few hundred calls" "$LEAD"
erasure "the lead with 10,000 calls" "$WHALE"
