#!/usr/bin/env bash
# call-tracker drain benchmark: how fast the reconciler works off a backlog of stuck calls, next to the rate
# Twilio's concurrency allows.
#
#   bench/drain.sh                          # 10,000 stuck calls, fake Twilio at 80 ms, limit 10, concurrency 8
#   DRAIN_TWILIO_LIMIT=6 bench/drain.sh     # an account limit below the replica's concurrency: 429s, adaptive
#
# What it does (everything on 127.0.0.1; everything it starts is stopped on exit):
#   1. builds the production jar in a copy of the repository (DRAIN_JAR=path/quarkus-run.jar skips it);
#   2. starts its own PostgreSQL 15 (durable settings, as bench/run.sh) on 127.0.0.1:$BENCH_PG_PORT;
#   3. starts the service once (migrations), stops it, and inserts DRAIN_CALLS stuck calls: in-progress, quiet
#      for 30 minutes, no duration; one in ten without a dialed sid (the reconciler lists the parent's legs first);
#   4. starts bench/FakeTwilioApi.java: every call has ended, each answer takes DRAIN_LATENCY_MS, and beyond
#      DRAIN_TWILIO_LIMIT requests in flight it answers 429 (20429, Retry-After: 1);
#   5. starts the service with the reconciler on (its start-up run drains, runs follow each other), waits
#      until no call is open, and reports: calls/s (first to last decision, from call_events), Twilio requests
#      per call, most requests in flight (seen by the fake), 429s, next to the limit that concurrency allows
#      (concurrency / latency / requests per call), and what that predicts for 50,000 calls.
#
# Environment (defaults): DRAIN_CALLS=10000 DRAIN_LATENCY_MS=80 DRAIN_TWILIO_LIMIT=10 DRAIN_CONCURRENCY=8
#   DRAIN_UNDIALED_EVERY=10 (one call in N has no dialed sid) DRAIN_JAR= BENCH_PG_PORT=25433
#   BENCH_HTTP_PORT=18093 DRAIN_FAKE_PORT=18094 BENCH_JAVA_OPTS=-Xmx128m DRAIN_RESULTS=bench/results
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
CALLS=${DRAIN_CALLS:-10000}
LATENCY_MS=${DRAIN_LATENCY_MS:-80}
TWILIO_LIMIT=${DRAIN_TWILIO_LIMIT:-10}
CONCURRENCY=${DRAIN_CONCURRENCY:-8}
UNDIALED_EVERY=${DRAIN_UNDIALED_EVERY:-10}
PG_PORT=${BENCH_PG_PORT:-25433}
HTTP_PORT=${BENCH_HTTP_PORT:-18093}
FAKE_PORT=${DRAIN_FAKE_PORT:-18094}
JAVA_OPTS=${BENCH_JAVA_OPTS--Xmx128m}
RESULTS=${DRAIN_RESULTS:-$BENCH_DIR/results}
PGBIN=/usr/lib/postgresql/15/bin
PG_PASSWORD=bench
TERMINAL="'completed', 'busy', 'no-answer', 'failed', 'canceled', 'unknown'"

log() { printf '[drain %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (PostgreSQL is started as user postgres through runuser)"
[[ -x $PGBIN/postgres && -x $PGBIN/psql ]] || die "needs postgresql-15 and its client (apt-get install postgresql-15)"
port_busy() { ss -Htan "sport = :$1" 2>/dev/null | grep -v '^TIME-WAIT' | grep -q .; }
for port in "$PG_PORT" "$HTTP_PORT" "$FAKE_PORT"; do port_busy "$port" && die "port $port is in use"; done

WORK=$(mktemp -d /tmp/call-tracker-drain.XXXXXX)
PGROOT=$(mktemp -d /tmp/call-tracker-drain-pg.XXXXXX)   # its own: user postgres cannot enter $WORK
mkdir -p "$RESULTS"
SVC_PID= FAKE_PID= PG_STARTED=
stop_pid() { [[ -n $1 ]] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$SVC_PID"
  stop_pid "$FAKE_PID"
  [[ -n $PG_STARTED ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK" "$PGROOT"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. build --------------------------------------------------------------------------------------
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n ${DRAIN_JAR:-} ]]; then
  JAR=$(realpath "$DRAIN_JAR")
else
  log "building the production jar in a copy ($GIT_REV)"
  rsync -a --exclude /target/ --exclude /.data/ --exclude /.git/ --exclude /bench/results/ --exclude /bench/jmh/target/ \
    "$REPO/" "$WORK/src/"
  (cd "$WORK/src" && ./mvnw -B -q clean package -Dprod -DskipTests) >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "build failed"; }
  JAR=$WORK/src/target/quarkus-app/quarkus-run.jar
fi

# --- 2. PostgreSQL ---------------------------------------------------------------------------------
log "PostgreSQL 15 on 127.0.0.1:$PG_PORT"
chown postgres: "$PGROOT"
chmod 700 "$PGROOT"
printf '%s\n' "$PG_PASSWORD" >"$PGROOT/pw"
chown postgres: "$PGROOT/pw"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -E UTF8 --locale=C \
  --auth-local=trust --auth-host=scram-sha-256 --pwfile="$PGROOT/pw" >/dev/null
cat >>"$PGROOT/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGROOT'
fsync = on
synchronous_commit = on
shared_buffers = 256MB
EOF
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/postgres.log" -w start >/dev/null
PG_STARTED=1
export PGPASSWORD=$PG_PASSWORD
psql_db() { "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${PSQL_DB:-calltracker}" -v ON_ERROR_STOP=1 -qAtX "$@"; }
PSQL_DB=postgres psql_db -c "CREATE DATABASE calltracker"

# --- 3. service once (migrations), then the backlog ------------------------------------------------
SVC_ENV=(
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/calltracker"
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/calltracker"
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD="$PG_PASSWORD"
  CALLING_PUBLIC_BASE_URL="http://127.0.0.1:$HTTP_PORT" CALLING_CALLER_ID=+15005550006 TWILIO_AUTH_TOKEN=bench-token
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP_PORT" _PROD_QUARKUS_SHUTDOWN_DELAY=0s
)
start_service() {
  # shellcheck disable=SC2086
  env "${SVC_ENV[@]}" "$@" java $JAVA_OPTS -jar "$JAR" >>"$WORK/service.log" 2>&1 &
  SVC_PID=$!
  for _ in $(seq 1 1200); do
    curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/q/health/ready" && return 0
    kill -0 "$SVC_PID" 2>/dev/null || { tail -30 "$WORK/service.log" >&2; die "the service exited"; }
    sleep 0.1
  done
  die "the service is not ready after 120 s"
}
log "migrating (service with the reconciler off)"
start_service RECONCILE_EVERY=off RECONCILE_RUN_AT_STARTUP=false
stop_pid "$SVC_PID"
SVC_PID=
log "inserting $CALLS stuck calls"
psql_db -c "INSERT INTO call_recordings (call_sid, dialed_call_sid, status, created_at, last_event_at)
            SELECT 'CA' || md5('drain-parent-' || n),
                   CASE WHEN n % $UNDIALED_EVERY = 0 THEN NULL ELSE 'CA' || md5('drain-child-' || n) END,
                   'in-progress', now() - interval '30 minutes' - n * interval '10 ms',
                   now() - interval '30 minutes' - n * interval '10 ms'
              FROM generate_series(1, $CALLS) AS n" -c "ANALYZE call_recordings"

# --- 4. fake Twilio --------------------------------------------------------------------------------
# TCP_NODELAY: the JDK server writes headers and body apart, and with Nagle + delayed ACK each answer would
# take ~40 ms more than DRAIN_LATENCY_MS (measured: 0.63 of the limit with it off).
java -Dsun.net.httpserver.nodelay=true "$BENCH_DIR/FakeTwilioApi.java" "$FAKE_PORT" "$LATENCY_MS" "$TWILIO_LIMIT" >"$WORK/fake.log" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$FAKE_PORT/stats" && break; sleep 0.1; done

# --- 5. drain --------------------------------------------------------------------------------------
log "service with the reconciler on: concurrency $CONCURRENCY, fake Twilio ${LATENCY_MS} ms, limit $TWILIO_LIMIT"
start_service RECONCILE_EVERY=1m RECONCILE_RUN_AT_STARTUP=true RECONCILE_TWILIO_CONCURRENCY="$CONCURRENCY" \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_API_BASE_URL="http://127.0.0.1:$FAKE_PORT"
t0=$(date +%s)
while :; do
  open=$(psql_db -c "SELECT count(*) FROM call_recordings WHERE status NOT IN ($TERMINAL)")
  (( open == 0 )) && break
  (( $(date +%s) - t0 > 3600 )) && die "$open calls still open after an hour"
  sleep 1
done
METRICS=$(curl -fs "http://127.0.0.1:$HTTP_PORT/q/metrics" | grep -E '^calltracker_reconciler_twilio_(requests|rate_limited)_total' || true)
STATS=$(curl -fs "http://127.0.0.1:$FAKE_PORT/stats")
read -r seconds decided < <(psql_db -F ' ' -c "SELECT extract(epoch FROM max(received_at) - min(received_at)), count(DISTINCT call_sid)
                                               FROM call_events WHERE kind = 'reconciler'")
RUNS=$(psql_db -F ' | ' -c "SELECT count(*), sum(batches), sum(claimed), max(extract(epoch FROM finished_at - started_at))::int,
                                   string_agg(DISTINCT stopped_because, ',') FROM reconcile_runs WHERE claimed > 0")
stat() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])" <<<"$STATS"; }
requests=$(stat requests)
rate_limited=$(stat rate_limited)
max_in_flight=$(stat max_in_flight)
python3 - "$CALLS" "$seconds" "$decided" "$requests" "$rate_limited" "$max_in_flight" "$CONCURRENCY" "$LATENCY_MS" \
  "$TWILIO_LIMIT" "$GIT_REV" "$RUNS" <<'EOF' | tee "$RESULTS/drain.md"
import sys, datetime
calls, seconds, decided, requests, limited, max_in_flight, conc, latency_ms, twilio_limit, rev, runs = sys.argv[1:]
calls, seconds, decided, requests, limited = int(calls), float(seconds), int(decided), int(requests), int(limited)
conc, latency = int(conc), int(latency_ms) / 1000
rate = decided / seconds
per_call = requests / decided
answered_per_call = (requests - limited) / decided
limit = conc / latency / answered_per_call
runs_n, batches, claimed, longest, stopped = [x.strip() for x in runs.split('|')]
print(f"drain {datetime.date.today()} commit {rev}: {calls} stuck calls, fake Twilio {latency_ms} ms, account limit {twilio_limit}, "
      f"RECONCILE_TWILIO_CONCURRENCY={conc}")
print()
print("| decided | seconds | calls/s | Twilio requests per call (answered) | 429s | most in flight | limit = conc / latency / req per call | ratio | 50,000 calls |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| {decided} | {seconds:.1f} | {rate:.1f} | {per_call:.3f} ({answered_per_call:.3f}) | {limited} | {max_in_flight} | "
      f"{limit:.1f} calls/s | {rate / limit:.2f} | {50000 / rate / 60:.1f} min |")
print()
print(f"runs that claimed calls: {runs_n} ({batches} batches, {claimed} claims, longest {longest} s, stopped: {stopped})")
EOF
log "service metrics: $(tr '\n' ' ' <<<"$METRICS")"
grep -o 'Reconciliation [^"]*' "$WORK/service.log" >"$RESULTS/drain-runs.log" || true
log "the runs' log lines: $RESULTS/drain-runs.log"
