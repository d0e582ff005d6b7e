#!/usr/bin/env bash
# call-tracker benchmark: the service against the database's own limit, on this machine, in one run.
#
#   bench/run.sh                                  # full run: levels 8 32 128, 30 s each (about 14 min)
#   BENCH_DURATION=5 BENCH_LEVELS=32 BENCH_WARMUP=5 BENCH_JMH=0 bench/run.sh   # smoke run
#
# What it does (everything on 127.0.0.1; everything it starts is stopped on exit):
#   1. installs what is missing (apt: wrk, postgresql-15, rsync, curl, gnuplot-nox for the optional plot);
#   2. copies the repository (without target/, .data/, .git/) into a temporary directory and builds the
#      production jar there (`./mvnw clean package -Dprod`), so ../target is never touched;
#   3. starts its own durable PostgreSQL 15 (fsync=on, synchronous_commit=on, full_page_writes=on) as
#      user postgres on 127.0.0.1:$BENCH_PG_PORT (25432), with pg_stat_statements;
#   4. writes a corpus of signed Twilio requests (bench/gen_corpus.py) and seeds its leads;
#   5. starts the jar, measures start-up to ready (/q/health/ready) and RSS, restarts it (start-up
#      against an already migrated database), warms it up;
#   6. per level: wrk (bench/corpus.lua) for BENCH_DURATION s, sampling the service's RSS and CPU and
#      PostgreSQL's CPU; then pgbench with the same SQL, transaction shape and mix (the script
#      bench/gen_pgbench.py generates from bench/pgbench-callback.sql.in and the copy's
#      src/main/resources/sql), the same client count and duration, against the same database;
#   7. checks that every call fully delivered ended in the expected state (bench/report.py check);
#   7b. with BENCH_NATIVE: the same for the native executable, against the same PostgreSQL and corpus
#      (start-up to ready and RSS, the levels and the half-load run without pgbench; the check again);
#   8. JMH microbenchmarks of the hot path (bench/jmh);
#   9. prints the table and writes bench/results/results.md (+ results.png when gnuplot is there) and
#      the raw outputs in bench/results/raw/.
#
# Environment (defaults):
#   BENCH_DURATION=30        seconds per level, for wrk and for pgbench
#   BENCH_LEVELS="8 32 128"  wrk connections = pgbench clients
#   BENCH_THREADS=2          wrk threads = pgbench threads (-j)
#   BENCH_WARMUP=60          seconds of warm-up traffic (32 connections) before the first level; 0: none
#   BENCH_CALLS=auto         calls in the corpus (about 7.4 requests each); auto sizes it for the run
#                            assuming up to BENCH_EXPECTED_RPS (default 3000) req/s, so that no request
#                            is sent twice. When a level runs out, wrk starts the corpus again: those
#                            requests are re-deliveries, answered 2xx and stored as duplicates (one
#                            statement, nothing written), which the table shows in column "dup".
#   BENCH_SEED=7             corpus seed
#   BENCH_HTTP_PORT=8080     service port (CALLING_PUBLIC_BASE_URL=http://127.0.0.1:PORT)
#   BENCH_PG_PORT=25432      PostgreSQL port (outside the ephemeral range 32768-60999, where any client
#                            socket may happen to hold it)
#   BENCH_JAVA_OPTS=-Xmx128m JVM options for the service (default: the heap of the Kubernetes deployment)
#   BENCH_JMH=1              0 skips the JMH microbenchmarks
#   BENCH_JMH_ARGS="-wi 2 -i 3 -f 1 -w 2s -r 2s"
#   BENCH_PGBENCH=1          0 skips pgbench
#   BENCH_STREAMS=0          live activity streams (GET /api/leads/{id}/activities/stream, SSE) held open on the
#                            corpus' first leads during the levels and the half-load run (bench/streams.py, a
#                            token signed with a key pair of the run's own); compare 0 and 200 back to back
#   BENCH_HALF=1             0 skips the paced run at half the best level's throughput (p99 at half load)
#   BENCH_HALF_RPS=          the paced run's rate instead of half the best level's (to compare settings)
#   BENCH_RESULTS=bench/results
#   BENCH_KEEP=0             1 keeps the temporary directory (build, corpus, database) for inspection
#   BENCH_JFR=0              1 records the service with JFR during the levels: raw/service.jfr, raw/jfr-top.txt
#   BENCH_PROFILE=0          1 profiles the service's CPU during the levels with async-profiler (fetched from
#                            Maven Central, tools.profiler:async-profiler; itimer mode, so no perf_events
#                            needed; sees native frames such as write(2), which JFR does not sample):
#                            raw/profile.collapsed (flame-graph input), raw/profile-top.txt
#   BENCH_REUSE_BUILD=       a source copy kept by an earlier run (/tmp/call-tracker-bench.*/src): skip the build
#   BENCH_NATIVE=            path of a native executable of the same sources (prebuilt: scripts/native-it.sh or
#                            ../shared/native/bin/build-native.sh . leave target/call-tracker-*-runner). After
#                            the JVM part the same run measures it against the same database and corpus:
#                            start-up to ready and RSS, warm-up, BENCH_LEVELS, the half-load run at half its
#                            own best level (pgbench is not repeated: the database's limit is the JVM part's).
#                            The run uses a copy; the file itself is only read.
#   BENCH_NATIVE_OPTS=-Xmx128m  run-time options of the native executable (SubstrateVM takes -Xmx at run time;
#                            the Kubernetes deployment passes -Xmx128m to the native image, docker/kubernetes)
#   BENCH_BIGDB=             calls to pre-fill the database with (bench/bigdb.sql: e.g. 1000000 or 10000000, with
#                            their events, activities and leads), after the first start migrated it and before the
#                            measured start; compare with a run without it back to back (bench/README.md
#                            "A big database"). Generation takes minutes (10 M: see docs/scale.md)
#   BENCH_PG_SETTINGS=       extra postgresql.conf lines for the run's PostgreSQL, e.g. "shared_buffers = 8GB" (a big
#                            database's unique indexes in memory); give both runs of a comparison the same
#   BENCH_CHECKPOINTS=each-level  a CHECKPOINT before each level (so that none falls inside one); once: one before
#                            the warm-up, so the levels measure minutes 2-6 of a checkpoint cycle instead of its
#                            first seconds, where a big database's random index pages are all logged whole (give
#                            max_wal_size room in BENCH_PG_SETTINGS so no checkpoint falls inside a level)
#   BENCH_NATIVE_WARMUP=10   seconds of warm-up traffic for the native executable (no JIT to wait for: this
#                            opens the pool's connections and runs every code path once)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
DURATION=${BENCH_DURATION:-30}
LEVELS=${BENCH_LEVELS:-"8 32 128"}
THREADS=${BENCH_THREADS:-2}
# 60 s: after 15 s the JIT compilers still took 12-30 % of the service's CPU during the first level
# (raw/threads-*.txt); steady state is what a webhook service runs in.
WARMUP=${BENCH_WARMUP:-60}
CALLS=${BENCH_CALLS:-auto}
EXPECTED_RPS=${BENCH_EXPECTED_RPS:-3000}
SEED=${BENCH_SEED:-7}
HTTP_PORT=${BENCH_HTTP_PORT:-8080}
PG_PORT=${BENCH_PG_PORT:-25432}
# The heap the Kubernetes deployment gives the service (docker/kubernetes/deployment.yaml); BENCH_JAVA_OPTS=
# (empty) runs with the JVM defaults instead.
JAVA_OPTS=${BENCH_JAVA_OPTS--Xmx128m}
RUN_JMH=${BENCH_JMH:-1}
JMH_ARGS=${BENCH_JMH_ARGS:-"-wi 2 -i 3 -f 1 -w 2s -r 2s"}
RUN_PGBENCH=${BENCH_PGBENCH:-1}
RUN_HALF=${BENCH_HALF:-1}
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results}
NATIVE_SRC=${BENCH_NATIVE:-}
NATIVE_OPTS=${BENCH_NATIVE_OPTS--Xmx128m}
NATIVE_WARMUP=${BENCH_NATIVE_WARMUP:-10}
NATIVE=   # the run's copy of BENCH_NATIVE
KEEP=${BENCH_KEEP:-0}
CHECKPOINTS=${BENCH_CHECKPOINTS:-each-level}
TOKEN=bench-token
PG_PASSWORD=bench
PGBIN=/usr/lib/postgresql/15/bin
BASE_URL=http://127.0.0.1:$HTTP_PORT

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (PostgreSQL is started as user postgres through runuser)"
[[ $CHECKPOINTS == each-level || $CHECKPOINTS == once ]] || die "BENCH_CHECKPOINTS must be each-level or once"

# --- 1. tools ---------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x $PGBIN/postgres && -x $PGBIN/pgbench ]] || missing+=(postgresql-15)
[[ -x $PGBIN/psql ]] || missing+=(postgresql-client-15)
command -v rsync >/dev/null || missing+=(rsync)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v gnuplot >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 || log "no gnuplot: no plot"
fi
id postgres >/dev/null 2>&1 || die "no user postgres (it comes with the postgresql-15 package)"
# listening or used by a live socket (TIME-WAIT left by a previous run does not stop a listener binding it)
port_busy() { ss -Htan "sport = :$1" 2>/dev/null | grep -v '^TIME-WAIT' | grep -q .; }
port_busy "$HTTP_PORT" && die "port $HTTP_PORT is in use (quarkus:dev?): set BENCH_HTTP_PORT"
port_busy "$PG_PORT" && die "port $PG_PORT is in use: set BENCH_PG_PORT"
if [[ -n $NATIVE_SRC ]]; then
  # Checked before the build, so that a wrong path does not cost a whole JVM part. The harness' binaries link
  # the JDK's libraries dynamically from its toolchain folder (/work/shared/native/README.md): it must be there.
  [[ -f $NATIVE_SRC && -x $NATIVE_SRC ]] || die "BENCH_NATIVE=$NATIVE_SRC is not an executable file"
  NATIVE_SRC=$(realpath "$NATIVE_SRC")
  if ldd "$NATIVE_SRC" 2>/dev/null | grep -q 'not found'; then
    ldd "$NATIVE_SRC" | grep 'not found' >&2
    die "the native executable misses shared libraries (built by the harness: is its toolchain folder still there?)"
  fi
fi

# --- work directories and cleanup -------------------------------------------------------------------
WORK=$(mktemp -d /tmp/call-tracker-bench.XXXXXX)
PGROOT=$(mktemp -d /tmp/call-tracker-bench-pg.XXXXXX)
RAW=$RESULTS/raw
mkdir -p "$RAW"
rm -f "$RAW"/*
SVC_PID=
SVC_LOG=
SAMPLER_PID=
PG_STARTED=

stop_service() {
  [[ -n $SVC_PID ]] || return 0
  if kill -0 "$SVC_PID" 2>/dev/null; then
    kill -TERM "$SVC_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SVC_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SVC_PID" 2>/dev/null && kill -KILL "$SVC_PID" 2>/dev/null || true
  fi
  wait "$SVC_PID" 2>/dev/null || true
  SVC_PID=
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  [[ -n ${STREAMS_PID:-} ]] && kill "$STREAMS_PID" 2>/dev/null || true
  stop_service
  if [[ -n $PG_STARTED ]]; then
    cp "$PGROOT/postgres.log" "$RAW/postgres.log" 2>/dev/null || true
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ $KEEP == 1 ]]; then
    log "kept $WORK and $PGROOT"
  else
    rm -rf "$WORK" "$PGROOT"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 2. build a copy --------------------------------------------------------------------------------
log "copying $REPO to $WORK/src"
rsync -a --exclude /target/ --exclude /.data/ --exclude /.git/ --exclude /bench/results/ \
  --exclude /bench/jmh/target/ "$REPO/" "$WORK/src/"
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(git -C "$REPO" status --porcelain -- src pom.xml 2>/dev/null | wc -l)
if [[ -n $NATIVE_SRC ]]; then
  # A copy: the run never touches the given file (it may be the one the *IT suites use).
  NATIVE=$WORK/native-runner
  cp "$NATIVE_SRC" "$NATIVE"
  NATIVE_SHA=$(sha256sum "$NATIVE" | cut -c1-12)
  NATIVE_MTIME=$(stat -c %Y "$NATIVE_SRC")
  # Nothing in the binary names its sources; a binary older than the last commit of src/ or pom.xml may be
  # of other code than the jar. Said, not refused (a rebuild of unchanged sources is newer anyway).
  src_time=$(git -C "$REPO" log -1 --format=%ct -- src pom.xml 2>/dev/null || echo 0)
  (( NATIVE_MTIME < ${src_time:-0} )) \
    && log "WARNING: $NATIVE_SRC is older than the last commit of src/ or pom.xml: is it of the same sources?"
  log "native executable: $NATIVE_SRC (sha256 $NATIVE_SHA, $(( $(stat -c %s "$NATIVE") / 1048576 )) MiB), options: ${NATIVE_OPTS:-none}"
fi

if [[ -n ${BENCH_REUSE_BUILD:-} ]]; then
  # A copy kept by an earlier run (BENCH_KEEP=1): its jar and JMH jar, not the current sources.
  log "reusing the build in $BENCH_REUSE_BUILD"
  rm -rf "$WORK/src"
  cp -a "$BENCH_REUSE_BUILD" "$WORK/src"
  rsync -a --exclude /jmh/target/ --exclude /results/ "$BENCH_DIR/" "$WORK/src/bench/"
else
  log "building the production jar (./mvnw clean package -Dprod) in the copy"
  (cd "$WORK/src" && ./mvnw -B -q clean package -Dprod -DskipTests) >"$RAW/build.log" 2>&1 \
    || { tail -30 "$RAW/build.log" >&2; die "build failed (bench/results/raw/build.log)"; }
fi
JAR=$WORK/src/target/quarkus-app/quarkus-run.jar
# The pgbench script: the statements of the sources the jar was built from, in the transaction shape of
# bench/pgbench-callback.sql.in.
PGBENCH_SCRIPT=$WORK/pgbench-callback.sql
python3 "$BENCH_DIR/gen_pgbench.py" --template "$BENCH_DIR/pgbench-callback.sql.in" \
  --sql-dir "$WORK/src/src/main/resources/sql" --out "$PGBENCH_SCRIPT" || die "could not generate the pgbench script"
if [[ $RUN_JMH == 1 && ! -f $WORK/src/bench/jmh/target/benchmarks.jar ]]; then
  log "building the JMH benchmarks"
  (cd "$WORK/src" && ./mvnw -B -q -f bench/jmh/pom.xml package) >"$RAW/jmh-build.log" 2>&1 \
    || { tail -30 "$RAW/jmh-build.log" >&2; die "JMH build failed"; }
fi

# --- 4a. corpus -------------------------------------------------------------------------------------
if [[ $CALLS == auto ]]; then
  # requests needed = (warm-up + levels + the half-load run) x duration x expected rate; 7.4 requests per
  # call; 10 % spare.
  n_levels=$(( $(wc -w <<<"$LEVELS") + RUN_HALF ))
  secs=$(( WARMUP + n_levels * DURATION ))
  # the native part continues the same streams
  [[ -n $NATIVE_SRC ]] && secs=$(( secs + NATIVE_WARMUP + n_levels * DURATION ))
  CALLS=$(( secs * EXPECTED_RPS * 11 / 10 / 7 ))
  (( CALLS < 2000 )) && CALLS=2000
fi
log "generating the corpus: $CALLS calls"
CORPUS=$WORK/corpus
python3 "$BENCH_DIR/gen_corpus.py" --out "$CORPUS" --calls "$CALLS" --threads "$THREADS" --seed "$SEED" \
  --token "$TOKEN" --base-url "$BASE_URL" >"$RAW/corpus.json"
cp "$CORPUS/summary.json" "$RAW/corpus-summary.json"

# --- 3. PostgreSQL ----------------------------------------------------------------------------------
log "starting PostgreSQL 15 on 127.0.0.1:$PG_PORT (fsync=on, synchronous_commit=on)"
chown postgres: "$PGROOT"
chmod 700 "$PGROOT"
printf '%s\n' "$PG_PASSWORD" >"$PGROOT/pw"
chown postgres: "$PGROOT/pw"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -E UTF8 --locale=C \
  --auth-local=trust --auth-host=scram-sha-256 --pwfile="$PGROOT/pw" >"$RAW/initdb.log" 2>&1
cat >>"$PGROOT/data/postgresql.conf" <<EOF
# --- call-tracker bench: durable, otherwise close to defaults ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGROOT'
max_connections = 300
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
shared_buffers = 256MB
max_wal_size = 4GB
checkpoint_timeout = 30min
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track_utility = on
${BENCH_PG_SETTINGS:-}
EOF
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/postgres.log" -w start >/dev/null \
  || { tail -20 "$PGROOT/postgres.log" >&2; die "PostgreSQL did not start"; }
PG_STARTED=1
export PGPASSWORD=$PG_PASSWORD
psql_db() { "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${PSQL_DB:-calltracker}" -v ON_ERROR_STOP=1 -qAtX "$@"; }
PSQL_DB=postgres psql_db -c "CREATE DATABASE calltracker"
psql_db -c "CREATE EXTENSION pg_stat_statements"
psql_db -c "SHOW server_version" -c "SHOW fsync" -c "SHOW synchronous_commit" -c "SHOW wal_sync_method" >"$RAW/pg-settings.txt"

# --- 5. service -------------------------------------------------------------------------------------
# The read API's tokens: a key pair of this run (the live streams' client signs a CRM user's token with it).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
SVC_ENV=(
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$WORK/jwt-public.pem"
  MP_JWT_VERIFY_PUBLICKEY_ALGORITHM=RS256
  MP_JWT_VERIFY_ISSUER=call-tracker-bench
  MP_JWT_VERIFY_AUDIENCES=authenticated
  AUTH_CRM_USER_CLAIM=app_metadata.crm_role
  AUTH_CRM_USER_VALUE=agent
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/calltracker"
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/calltracker"
  QUARKUS_DATASOURCE_USERNAME=postgres
  QUARKUS_DATASOURCE_PASSWORD="$PG_PASSWORD"
  CALLING_PUBLIC_BASE_URL="$BASE_URL"
  CALLING_CALLER_ID=+15005550006
  TWILIO_AUTH_TOKEN="$TOKEN"
  RECONCILE_EVERY=off
  RECONCILE_RUN_AT_STARTUP=false
  QUARKUS_HTTP_HOST=127.0.0.1
  QUARKUS_HTTP_PORT="$HTTP_PORT"
  # Production waits 10 s on SIGTERM for Kubernetes (%prod.quarkus.shutdown.delay); the benchmark doesn't.
  _PROD_QUARKUS_SHUTDOWN_DELAY=0s
)
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

SVC_KIND=jvm   # native for the native part (7b)
# start_service NAME [JVM OPTIONS...]: starts the jar (SVC_KIND=native: the native executable, with
# NATIVE_OPTS; same environment), waits for /q/health/ready; writes NAME_ready_ms, NAME_rss_kib, NAME_quarkus_s.
start_service() {
  local name=$1 t0 t1 poll=0.02
  shift
  t0=$(date +%s%N)
  if [[ $SVC_KIND == native ]]; then
    # ready in well under 100 ms: poll every 5 ms, or the polling step is a third of the figure
    poll=0.005
    # shellcheck disable=SC2086
    env "${SVC_ENV[@]}" "$NATIVE" $NATIVE_OPTS "$@" >"$RAW/service-$name.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    env "${SVC_ENV[@]}" java $JAVA_OPTS "$@" -jar "$JAR" >"$RAW/service-$name.log" 2>&1 &
  fi
  SVC_PID=$!
  SVC_LOG=$RAW/service-$name.log
  until curl -fs -o /dev/null "$BASE_URL/q/health/ready"; do
    kill -0 "$SVC_PID" 2>/dev/null || { tail -30 "$RAW/service-$name.log" >&2; die "the service exited"; }
    (( $(date +%s%N) - t0 > 120000000000 )) && die "the service is not ready after 120 s"
    sleep "$poll"
  done
  t1=$(date +%s%N)
  {
    echo "${name}_ready_ms=$(( (t1 - t0) / 1000000 ))"
    echo "${name}_rss_kib=$(rss_kib "$SVC_PID")"
    echo "${name}_quarkus_s=$(grep -o 'started in [0-9.]*s' "$RAW/service-$name.log" | head -1 | tr -dc '0-9.')"
  } >>"$RAW/startup.env"
  log "service ($name) ready in $(( (t1 - t0) / 1000000 )) ms, RSS $(( $(rss_kib "$SVC_PID") / 1024 )) MiB"
}

: >"$RAW/startup.env"
log "starting the service (first start: empty database, Flyway migrates; records an AppCDS archive at exit)"
# The classes this start loads go into a dynamic AppCDS archive when it stops (same JDK, same jar): the
# start-up with it is measured below, next to the plain one.
CDS_ARCHIVE=$WORK/app-cds.jsa
start_service first -XX:ArchiveClassesAtExit="$CDS_ARCHIVE"
log "seeding leads"
NLEADS=$(wc -l <"$CORPUS/leads.csv")
# The corpus' leads, and as many of pgbench's own (the pgbench script names them by number).
psql_db -c "\\copy leads (id, first_name, last_name, status, phone) FROM '$CORPUS/leads.csv' WITH (FORMAT csv)" \
  -c "INSERT INTO leads (id, first_name, last_name, status, phone)
      SELECT md5('pgbench-lead-' || n)::uuid, 'Pg', 'Bench', 'new', '+1555' || lpad(n::text, 7, '0')
        FROM generate_series(0, $NLEADS - 1) n" \
  -c "ANALYZE"
stop_service
if [[ -n ${BENCH_BIGDB:-} ]]; then
  log "pre-filling the database with $BENCH_BIGDB calls (bench/bigdb.sql)"
  psql_db -v calls="$BENCH_BIGDB" -f "$BENCH_DIR/bigdb.sql" >"$RAW/bigdb.txt" 2>&1 || { tail -20 "$RAW/bigdb.txt" >&2; die "bigdb.sql failed"; }
  # The indexes the callbacks write, read into shared_buffers as far as they fit: a database that has served
  # for hours holds them; one just filled holds the fill's last pages. Largest first, so that what is evicted when
  # they do not all fit is part of the largest, not the smaller ones every new call writes too.
  psql_db -F' ' -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
    -c "SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)), pg_prewarm(c.oid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid IN ('call_events'::regclass, 'call_recordings'::regclass, 'lead_activities'::regclass)
         ORDER BY pg_relation_size(c.oid) DESC" -c "SHOW shared_buffers" >"$RAW/bigdb-prewarm.txt" 2>&1 \
    || { cat "$RAW/bigdb-prewarm.txt" >&2; die "pg_prewarm failed"; }
fi
if [[ -s $CDS_ARCHIVE ]]; then
  log "restarting the service with the AppCDS archive (start-up against a migrated database)"
  start_service appcds -XX:SharedArchiveFile="$CDS_ARCHIVE"
  stop_service
fi
log "restarting the service (start-up against a migrated database; this process serves the benchmark)"
start_service ready

# --- measuring helpers ------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
svc_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$SVC_PID/stat"; }
pg_ticks() { # postmaster (with its reaped children) + live backends
  local pm total=0 p t
  pm=$(head -1 "$PGROOT/data/postmaster.pid")
  total=$(awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$pm/stat")
  for p in $(ps -o pid= --ppid "$pm"); do
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null) && total=$((total + t))
  done
  echo "$total"
}
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
metrics() { curl -fs "$BASE_URL/q/metrics" | grep '^calltracker_twilio_requests_total' || true; }
pgss_reset() { psql_db -c "SELECT pg_stat_statements_reset()" >/dev/null; }
leads_updates() { psql_db -c "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'leads'"; }
# Calls and mean execution time (ms) of each statement of the hot path, as key=value lines.
pgss() {
  psql_db -F= -c "
    WITH s AS (
      SELECT CASE
               WHEN query LIKE '%INSERT INTO call_recordings AS c (%' THEN 'append'
               WHEN query LIKE '%INSERT INTO call_recordings AS cr %' THEN 'record'
               WHEN query LIKE '%UPDATE leads%' THEN 'save'
               WHEN query LIKE '%FROM leads WHERE id =%' THEN 'lead'
               WHEN upper(query) LIKE 'BEGIN%' THEN 'begin'
               WHEN upper(query) LIKE 'COMMIT%' THEN 'commit'
               WHEN upper(query) LIKE 'ROLLBACK%' THEN 'rollback'
             END AS stmt, calls, total_exec_time, shared_blks_read, wal_fpi
        FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'calltracker'))
    SELECT stmt || '_calls', sum(calls) FROM s WHERE stmt IS NOT NULL GROUP BY stmt
    UNION ALL
    SELECT stmt || '_ms', round((sum(total_exec_time) / greatest(sum(calls), 1))::numeric, 4)
      FROM s WHERE stmt IS NOT NULL GROUP BY stmt
    UNION ALL
    -- pages read into shared_buffers and full-page images written to the WAL per execution: what a big
    -- database's random keys cost
    SELECT stmt || '_blks_read', round((sum(shared_blks_read)::numeric / greatest(sum(calls), 1)), 2)
      FROM s WHERE stmt IS NOT NULL GROUP BY stmt
    UNION ALL
    SELECT stmt || '_fpi', round((sum(wal_fpi)::numeric / greatest(sum(calls), 1)), 2)
      FROM s WHERE stmt IS NOT NULL GROUP BY stmt"
}
checkpoint() { psql_db -c "CHECKPOINT"; }
level_checkpoint() { if [[ $CHECKPOINTS == each-level ]]; then checkpoint; fi; }
wal() { psql_db -F' ' -c "SELECT wal_records, wal_fpi, wal_bytes FROM pg_stat_wal"; }
# Pages each relation (table or index) read into shared_buffers so far, as "name pages" lines: which of a big
# database's indexes the hot path reads from outside shared_buffers.
relation_reads() {
  psql_db -F' ' -c "
    SELECT indexrelname, idx_blks_read FROM pg_statio_user_indexes
    UNION ALL SELECT relname || ' (heap)', heap_blks_read FROM pg_statio_user_tables"
}

OFFSETS=$(printf '0%.0s,' $(seq 1 "$THREADS")); OFFSETS=${OFFSETS%,}
# run_wrk NAME CONNECTIONS DURATION: one wrk run continuing the corpus streams; output in raw/wrk-NAME.txt
run_wrk() {
  local name=$1 conns=$2 secs=$3
  BENCH_CORPUS_DIR=$CORPUS BENCH_OFFSETS=$OFFSETS \
    wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 15s --latency -s "$BENCH_DIR/corpus.lua" "$BASE_URL/" \
    >"$RAW/wrk-$name.txt" 2>&1 || { cat "$RAW/wrk-$name.txt" >&2; die "wrk failed"; }
  OFFSETS=$(awk '/^BENCH_THREAD/ {print $2, $3}' "$RAW/wrk-$name.txt" | sort -n | awk '{print $2}' | paste -sd,)
}

# measure_level PREFIX LEVEL: wrk at LEVEL connections for DURATION s, sampling the service's RSS and the CPU
# of the service, PostgreSQL and the machine; writes $RAW/PREFIXlevel-LEVEL.env, raw/wrk-PREFIXLEVEL.txt and
# raw/PREFIXthreads-LEVEL.txt (PREFIX: empty for the jar, native- for the native executable).
measure_level() {
  local prefix=$1 level=$2 f m0 m1 lu0 lu1 w0r w0f w0b w1r w1f w1b s0 s1 p0 p1 mb0 mb1 mt0 mt1 t0 t1 elapsed_s
  f=$RAW/${prefix}level-$level.env
  : >"$f"
  log "${prefix:+${prefix%-}, }level $level: wrk ${DURATION} s"
  level_checkpoint
  pgss_reset
  m0=$(metrics); lu0=$(leads_updates); read -r w0r w0f w0b < <(wal); relation_reads >"$WORK/reads-before"
  s0=$(svc_ticks); p0=$(pg_ticks); read -r mb0 mt0 < <(machine_ticks)
  python3 "$BENCH_DIR/report.py" threads "$SVC_PID" >"$WORK/threads-before"
  ( max=0; while kill -0 "$SVC_PID" 2>/dev/null; do
      r=$(rss_kib "$SVC_PID"); (( r > max )) && max=$r; echo "$max" >"$WORK/rss-max"; sleep 0.5
    done ) &
  SAMPLER_PID=$!
  t0=$(date +%s%N)
  run_wrk "$prefix$level" "$level" "$DURATION"
  t1=$(date +%s%N)
  kill -0 "$SVC_PID" 2>/dev/null || { tail -40 "$SVC_LOG" >&2; die "the service exited during the level ($SVC_LOG)"; }
  s1=$(svc_ticks); p1=$(pg_ticks); read -r mb1 mt1 < <(machine_ticks)
  python3 "$BENCH_DIR/report.py" threads "$SVC_PID" >"$WORK/threads-after"
  kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
  m1=$(metrics); lu1=$(leads_updates); read -r w1r w1f w1b < <(wal); relation_reads >"$WORK/reads-after"
  # pages read per relation during the level, most first (raw/PREFIXreads-LEVEL.txt)
  awk 'NR == FNR {v = $NF; $NF = ""; before[$0] = v; next} {v = $NF; $NF = ""; d = v - before[$0]; if (d > 0) print d, $0}' \
    "$WORK/reads-before" "$WORK/reads-after" | sort -rn >"$RAW/${prefix}reads-$level.txt"
  elapsed_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print (b - a) / 1e9}')
  python3 "$BENCH_DIR/report.py" threads-delta "$WORK/threads-before" "$WORK/threads-after" "$elapsed_s" "$CLK_TCK" \
    >"$RAW/${prefix}threads-$level.txt"
  {
    echo "level=$level"
    grep '^BENCH_RESULT' "$RAW/wrk-$prefix$level.txt" | sed 's/^BENCH_RESULT //' | tr ' ' '\n'
    echo "rss_max_kib=$(cat "$WORK/rss-max" 2>/dev/null || echo 0)"
    echo "rss_end_kib=$(rss_kib "$SVC_PID")"
    awk -v a="$s0" -v b="$s1" -v t="$elapsed_s" -v hz="$CLK_TCK" 'BEGIN {printf "svc_cpu_pct=%.0f\n", (b - a) / hz / t * 100}'
    awk -v a="$p0" -v b="$p1" -v t="$elapsed_s" -v hz="$CLK_TCK" 'BEGIN {printf "pg_cpu_pct=%.0f\n", (b - a) / hz / t * 100}'
    awk -v b0="$mb0" -v b1="$mb1" -v t0="$mt0" -v t1="$mt1" -v n="$(nproc)" \
      'BEGIN {printf "machine_cpu_pct=%.0f\n", (b1 - b0) / (t1 - t0) * 100 * n}'
    echo "leads_updated=$((lu1 - lu0))"
    echo "svc_wal_records=$((w1r - w0r))"; echo "svc_wal_fpi=$((w1f - w0f))"; echo "svc_wal_bytes=$((w1b - w0b))"
    pgss | sed 's/^/svc_/'
    python3 "$BENCH_DIR/report.py" metrics-delta <(printf '%s\n' "$m0") <(printf '%s\n' "$m1")
    echo "offsets=$OFFSETS"
    awk '/^BENCH_THREAD/ {w += $5} END {print "wrapped=" (w > 0)}' "$RAW/wrk-$prefix$level.txt"
  } >>"$f"
}

if [[ $CHECKPOINTS == once ]]; then checkpoint; fi
if (( WARMUP > 0 )); then
  log "warm-up: ${WARMUP} s at 32 connections"
  run_wrk warmup 32 "$WARMUP"
fi

# --- 6. levels --------------------------------------------------------------------------------------
if [[ ${BENCH_JFR:-0} == 1 ]]; then
  log "JFR: recording the service during the levels (profile settings; costs a few per cent)"
  jcmd "$SVC_PID" JFR.start name=bench settings=profile >/dev/null
fi
if [[ ${BENCH_PROFILE:-0} == 1 ]]; then
  AP_VERSION=4.1
  AP_DIR=$WORK/async-profiler
  mkdir -p "$AP_DIR"
  log "async-profiler $AP_VERSION: profiling the service during the levels (itimer, 1 ms)"
  (cd "$WORK/src" && ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" \
      -DoutputDirectory="$AP_DIR") || die "could not fetch tools.profiler:async-profiler:$AP_VERSION"
  unzip -q -o "$AP_DIR/async-profiler-$AP_VERSION.jar" 'linux-x64/libasyncProfiler.so' -d "$AP_DIR"
  AP_LIB=$AP_DIR/linux-x64/libasyncProfiler.so
  java "$BENCH_DIR/Attach.java" "$SVC_PID" "$AP_LIB" "start,event=itimer,interval=1ms" >/dev/null
fi
STREAMS=${BENCH_STREAMS:-0}
STREAMS_PID=
# A CRM user's token (RS256, this run's key), valid for the whole run.
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
crm_jwt() {
  local header payload now
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"call-tracker-bench","aud":"authenticated","sub":"bench","role":"authenticated","app_metadata":{"crm_role":"agent"},"iat":%s,"exp":%s}' \
    "$now" $((now + 86400)) | b64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/jwt-private.pem" -binary | b64url)"
}
stop_streams() {
  [[ -n $STREAMS_PID ]] || return 0
  kill -TERM "$STREAMS_PID" 2>/dev/null || true
  wait "$STREAMS_PID" 2>/dev/null || true
  STREAMS_PID=
  log "live streams: $(cat "$RAW/streams.txt" 2>/dev/null)"
  curl -fs "$BASE_URL/q/metrics" | grep '^calltracker_live_' >"$RAW/streams-metrics.txt" || true
}
if (( STREAMS > 0 )); then
  log "holding $STREAMS live streams open during the levels"
  python3 "$BENCH_DIR/streams.py" --base-url "$BASE_URL" --token "$(crm_jwt)" --leads "$CORPUS/leads.csv" \
    --count "$STREAMS" --out "$RAW/streams.txt" &
  STREAMS_PID=$!
  for _ in $(seq 1 100); do
    open=$(curl -fs "$BASE_URL/q/metrics" | awk '/^calltracker_live_streams_open / {print int($2)}')
    (( ${open:-0} >= STREAMS )) && break
    sleep 0.1
  done
  log "live streams open: ${open:-0}"
  (( ${open:-0} >= STREAMS )) || die "only ${open:-0} of $STREAMS live streams opened"
fi
PARAMS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sample_params"]["callback"])' "$CORPUS/summary.json")
VOICE_PARAMS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sample_params"]["voice"])' "$CORPUS/summary.json")
for level in $LEVELS; do
  measure_level "" "$level"
  f=$RAW/level-$level.env

  if [[ $RUN_PGBENCH == 1 ]]; then
    # The mix the service just executed (pg_stat_statements), so pgbench runs the same statements in the
    # same proportions.
    read -r voice_ppm lead_ppm save_ppm contact_ppm < <(python3 "$BENCH_DIR/report.py" mix "$f")
    log "level $level: pgbench ${DURATION} s (voice ${voice_ppm} ppm, lead lookup ${lead_ppm}, save ${save_ppm}, contact ${contact_ppm})"
    level_checkpoint
    pgss_reset
    read -r w0r w0f w0b < <(wal); p0=$(pg_ticks); read -r mb0 mt0 < <(machine_ticks); t0=$(date +%s%N)
    "$PGBIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -r \
      -c "$level" -j "$THREADS" -T "$DURATION" -f "$PGBENCH_SCRIPT" \
      -D voice_ppm="$voice_ppm" -D lead_ppm="$lead_ppm" -D save_ppm="$save_ppm" -D contact_ppm="$contact_ppm" \
      -D nleads="$NLEADS" -D callno=0 -D params="$PARAMS" -D voice_params="$VOICE_PARAMS" \
      calltracker >"$RAW/pgbench-$level.txt" 2>&1 || { tail -20 "$RAW/pgbench-$level.txt" >&2; die "pgbench failed"; }
    t1=$(date +%s%N); p1=$(pg_ticks); read -r mb1 mt1 < <(machine_ticks); read -r w1r w1f w1b < <(wal)
    elapsed_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print (b - a) / 1e9}')
    {
      echo "pgbench_tps=$(awk '/^tps = / {print $3}' "$RAW/pgbench-$level.txt")"
      echo "pgbench_latency_ms=$(awk '/^latency average/ {print $4}' "$RAW/pgbench-$level.txt")"
      echo "pgbench_failed=$(awk -F'[: ]+' '/^number of failed transactions/ {print $5}' "$RAW/pgbench-$level.txt")"
      awk -v a="$p0" -v b="$p1" -v t="$elapsed_s" -v hz="$CLK_TCK" 'BEGIN {printf "pgbench_pg_cpu_pct=%.0f\n", (b - a) / hz / t * 100}'
      awk -v b0="$mb0" -v b1="$mb1" -v t0="$mt0" -v t1="$mt1" -v n="$(nproc)" \
        'BEGIN {printf "pgbench_machine_cpu_pct=%.0f\n", (b1 - b0) / (t1 - t0) * 100 * n}'
      pgss | sed 's/^/pgb_/'
      echo "pgb_wal_records=$((w1r - w0r))"; echo "pgb_wal_fpi=$((w1f - w0f))"; echo "pgb_wal_bytes=$((w1b - w0b))"
    } >>"$f"
  fi
done

# half_load PREFIX: p99 at half the maximum throughput: the best of $RAW/PREFIXlevel-*.env halved (or
# BENCH_HALF_RPS), paced (corpus.lua), 32 connections; writes $RAW/PREFIXhalf.env, raw/wrk-PREFIXhalf.txt and
# sets HALF (the offered rate).
half_load() {
  local prefix=$1 best_rps s0 s1 p0 p1 t0 t1 elapsed_s
  best_rps=$(cat "$RAW"/"$prefix"level-*.env | awk -F= '$1 == "rps" && $2 > max {max = $2} END {print max + 0}')
  HALF=${BENCH_HALF_RPS:-$(awk -v b="$best_rps" 'BEGIN {printf "%.0f", b / 2}')}
  log "${prefix:+${prefix%-}, }half load: ${HALF} req/s (half of the best ${best_rps}) paced over 32 connections, ${DURATION} s"
  s0=$(svc_ticks); p0=$(pg_ticks); t0=$(date +%s%N)
  export BENCH_RATE_PER_THREAD; BENCH_RATE_PER_THREAD=$(awk -v h="$HALF" -v t="$THREADS" 'BEGIN {print h / t}')
  run_wrk "${prefix}half" 32 "$DURATION"
  unset BENCH_RATE_PER_THREAD
  t1=$(date +%s%N); s1=$(svc_ticks); p1=$(pg_ticks)
  elapsed_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print (b - a) / 1e9}')
  {
    echo "offered_rps=$HALF"
    grep '^BENCH_RESULT' "$RAW/wrk-${prefix}half.txt" | sed 's/^BENCH_RESULT //' | tr ' ' '\n'
    awk -v a="$s0" -v b="$s1" -v t="$elapsed_s" -v hz="$CLK_TCK" 'BEGIN {printf "svc_cpu_pct=%.0f\n", (b - a) / hz / t * 100}'
    awk -v a="$p0" -v b="$p1" -v t="$elapsed_s" -v hz="$CLK_TCK" 'BEGIN {printf "pg_cpu_pct=%.0f\n", (b - a) / hz / t * 100}'
  } >"$RAW/${prefix}half.env"
}

if [[ $RUN_HALF == 1 ]]; then
  half_load ""
  half=$HALF
  if [[ $RUN_PGBENCH == 1 ]]; then
    # The database's own tail at the same rate: pgbench paced (-R) with the 32-connection mix, every
    # transaction logged (-l); with --rate, pgbench measures latency from each transaction's scheduled start.
    read -r voice_ppm lead_ppm save_ppm contact_ppm < <(python3 "$BENCH_DIR/report.py" mix "$RAW/level-32.env" 2>/dev/null \
      || python3 "$BENCH_DIR/report.py" mix "$(ls "$RAW"/level-*.env | head -1)")
    log "half load: pgbench at ${half} tps paced, 32 clients, ${DURATION} s"
    checkpoint
    rm -rf "$WORK/pgbench-half" && mkdir -p "$WORK/pgbench-half"
    ( cd "$WORK/pgbench-half" && "$PGBIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared \
        -c 32 -j "$THREADS" -T "$DURATION" -R "$half" -l -f "$PGBENCH_SCRIPT" \
        -D voice_ppm="$voice_ppm" -D lead_ppm="$lead_ppm" -D save_ppm="$save_ppm" -D contact_ppm="$contact_ppm" \
        -D nleads="$NLEADS" -D callno=0 -D params="$PARAMS" -D voice_params="$VOICE_PARAMS" \
        calltracker >"$RAW/pgbench-half.txt" 2>&1 ) || { tail -20 "$RAW/pgbench-half.txt" >&2; die "pgbench failed"; }
    python3 "$BENCH_DIR/report.py" pgbench-latency "$WORK"/pgbench-half/pgbench_log.* >>"$RAW/half.env"
  fi
fi

stop_streams
echo "after_rss_kib=$(rss_kib "$SVC_PID")" >>"$RAW/startup.env"
# Write amplification: rows, HOT updates and indexes per table over the whole run (service and pgbench).
psql_db -F'|' -P footer=off -c "
  SELECT t.relname, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd, t.n_dead_tup,
         (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid) AS indexes,
         pg_size_pretty(pg_total_relation_size(t.relid)) AS size
    FROM pg_stat_user_tables t
   WHERE t.relname IN ('call_events', 'call_recordings', 'lead_activities', 'leads') ORDER BY 1" \
  >"$RAW/table-stats.txt"
if [[ ${BENCH_PROFILE:-0} == 1 ]]; then
  java "$BENCH_DIR/Attach.java" "$SVC_PID" "$AP_LIB" "stop,file=$RAW/profile.collapsed,collapsed" >/dev/null
  python3 "$BENCH_DIR/report.py" profile-top "$RAW/profile.collapsed" >"$RAW/profile-top.txt" || true
fi
if [[ ${BENCH_JFR:-0} == 1 ]]; then
  jcmd "$SVC_PID" JFR.dump name=bench filename="$RAW/service.jfr" >/dev/null
  jcmd "$SVC_PID" JFR.stop name=bench >/dev/null
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$RAW/service.jfr" | python3 "$BENCH_DIR/report.py" jfr-top >"$RAW/jfr-top.txt" || true
fi

# --- 7. correctness of what was delivered -----------------------------------------------------------
# check_calls OUT: the final state of every call fully delivered so far (the streams up to OFFSETS) into OUT.
check_calls() {
  local max_conns
  log "checking the final state of every fully delivered call"
  psql_db -c "\\copy (SELECT call_sid, status, dialed_call_sid, lead_id, duration_seconds, recording_sid, answered_at IS NOT NULL, ended_at_estimated, parent_ended_at IS NOT NULL FROM call_recordings) TO '$WORK/calls.tsv'" \
    -c "\\copy (SELECT c.call_sid, a.status FROM lead_activities a JOIN call_recordings c ON c.id = a.call_id) TO '$WORK/activities.tsv'" \
    -c "\\copy (SELECT id, status FROM leads) TO '$WORK/leads.tsv'"
  # Requests still in flight when a wrk run stopped may not have been processed: calls with a request among
  # the last (connections per thread) positions of a stream are not judged.
  max_conns=$(tr ' ' '\n' <<<"$LEVELS 32" | sort -n | tail -1)
  python3 "$BENCH_DIR/report.py" check "$CORPUS" "$RAW" "$OFFSETS" "$(( max_conns / THREADS ))" "$WORK" >"$1" || true
  cat "$1" >&2
}
check_calls "$RAW/check.txt"
stop_service

# --- 7b. the native executable (BENCH_NATIVE) -------------------------------------------------------
# The same measurements against the same PostgreSQL, continuing the same corpus streams, so both columns of
# the report come from one run on one machine. pgbench is not run again (the database's limit was measured
# above). What differs: the native part runs second, on a database the JVM part (and pgbench) has grown.
if [[ -n $NATIVE ]]; then
  SVC_KIND=native
  # The first start reads the executable from the page cache it was just copied into; the JVM's measured
  # start is its third. Both native starts are recorded; the report uses the second.
  log "starting the native executable (against the migrated database; the first start is not the figure)"
  start_service native_first
  stop_service
  log "restarting the native executable (start-up against a migrated database; this process serves the benchmark)"
  start_service native
  if (( NATIVE_WARMUP > 0 )); then
    log "native, warm-up: ${NATIVE_WARMUP} s at 32 connections"
    run_wrk native-warmup 32 "$NATIVE_WARMUP"
  fi
  for level in $LEVELS; do
    measure_level native- "$level"
  done
  if [[ $RUN_HALF == 1 ]]; then
    half_load native-
  fi
  echo "native_after_rss_kib=$(rss_kib "$SVC_PID")" >>"$RAW/startup.env"
  check_calls "$RAW/check-native.txt"
  stop_service
  # A stub of the harness (not the product) aborts with this line; the report quotes it.
  grep -h -A 30 'JVM shim' "$RAW"/service-native*.log >"$RAW/native-shim.txt" 2>/dev/null || rm -f "$RAW/native-shim.txt"
fi

# --- 8. JMH -----------------------------------------------------------------------------------------
if [[ $RUN_JMH == 1 ]]; then
  log "JMH: $JMH_ARGS"
  # shellcheck disable=SC2086
  java -jar "$WORK/src/bench/jmh/target/benchmarks.jar" $JMH_ARGS -rf csv -rff "$RAW/jmh.csv" >"$RAW/jmh.txt" 2>&1 \
    || { tail -20 "$RAW/jmh.txt" >&2; log "JMH failed"; }
fi

# --- 9. report --------------------------------------------------------------------------------------
{
  echo "git_rev=$GIT_REV"
  echo "git_dirty_files=$GIT_DIRTY"
  echo "duration=$DURATION"
  echo "threads=$THREADS"
  echo "calls=$CALLS"
  echo "warmup=$WARMUP"
  echo "checkpoints=$CHECKPOINTS"
  echo "java_opts=$JAVA_OPTS"
  echo "java_version=$(java -version 2>&1 | head -1)"
  echo "pg_version=$(head -1 "$RAW/pg-settings.txt")"
  echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "nproc=$(nproc)"
  echo "mem_gib=$(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  if [[ -n $NATIVE ]]; then
    echo "native_bin=$NATIVE_SRC"
    echo "native_sha256=$NATIVE_SHA"
    echo "native_mtime=$(date -u -d "@$NATIVE_MTIME" '+%Y-%m-%d %H:%M UTC')"
    echo "native_opts=$NATIVE_OPTS"
    echo "native_warmup=$NATIVE_WARMUP"
  fi
} >"$RAW/run.env"
python3 "$BENCH_DIR/report.py" report "$RAW" "$RESULTS"
