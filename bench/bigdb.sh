#!/usr/bin/env bash
# A big database: PostgreSQL 15 of its own, migrated, filled with BIGDB_CALLS calls and their events by
# bench/bigdb.sql, then EXPLAIN (ANALYZE, BUFFERS) of the statements that must stay fast (bench/bigdb-explain.sh).
#
#   bench/bigdb.sh                       # 1,000,000 calls (about 7 million events)
#   BIGDB_CALLS=10000000 bench/bigdb.sh  # 10 million (about 70 million events; about 40 GB of disk)
#
# Environment (defaults):
#   BIGDB_CALLS=1000000
#   BIGDB_PORT=25433            PostgreSQL's port (not run.sh's 25432, not the tests')
#   BIGDB_DIR=/tmp/call-tracker-bigdb-$BIGDB_CALLS   data directory (kept: a second run only explains again)
#   BIGDB_RESULTS=bench/results/bigdb-$BIGDB_CALLS.txt (appended to: the generation, then each run's EXPLAINs)
#   BIGDB_STOP=1                0 leaves PostgreSQL running (psql -h 127.0.0.1 -p $BIGDB_PORT -U postgres calltracker)
# Times of each step (generation, index builds, VACUUM) are in the results file. The migrations are applied with
# psql in version order (as Flyway would, ${flyway:table} replaced); the callbacks-per-second comparison on a big
# database is bench/run.sh with BENCH_BIGDB (the service migrates, then bench/bigdb.sql fills).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
CALLS=${BIGDB_CALLS:-1000000}
PORT=${BIGDB_PORT:-25433}
DIR=${BIGDB_DIR:-/tmp/call-tracker-bigdb-$CALLS}
RESULTS=${BIGDB_RESULTS:-$BENCH_DIR/results/bigdb-$CALLS.txt}
STOP=${BIGDB_STOP:-1}
PGBIN=/usr/lib/postgresql/15/bin

log() { printf '[bigdb %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ $(id -u) == 0 ]] || { log "run as root (PostgreSQL runs as user postgres through runuser)"; exit 1; }
mkdir -p "$(dirname "$RESULTS")"
as_postgres() { runuser -u postgres -- "$@"; }
psql_db() { "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d calltracker -v ON_ERROR_STOP=1 -X "$@"; }

fresh=0
if [[ ! -d $DIR/data ]]; then
  fresh=1
  mkdir -p "$DIR" && chown postgres: "$DIR" && chmod 700 "$DIR"
  as_postgres "$PGBIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C --auth=trust >"$DIR/initdb.log"
  # run.sh's settings (durable), with more memory for the index builds of the fill.
  cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = on
synchronous_commit = on
shared_buffers = 256MB
max_wal_size = 8GB
checkpoint_timeout = 30min
maintenance_work_mem = 1GB
work_mem = 64MB
CONF
fi
as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w start >/dev/null
[[ $STOP == 1 ]] && trap 'as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null' EXIT

{
  echo "# bench/bigdb.sh: $CALLS calls, $(date -u +%FT%TZ), $(nproc) cores, PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}')"
  if ((fresh)); then
    "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qX -c "CREATE DATABASE calltracker"
    t0=$(date +%s)
    for f in $(ls "$REPO"/src/main/resources/db/migration/V*.sql | sort -V); do
      sed 's/\${flyway:table}/flyway_schema_history/g' "$f" | psql_db -q >/dev/null
    done
    log "migrated; generating $CALLS calls"
    t1=$(date +%s)
    psql_db -v calls="$CALLS" -f "$BENCH_DIR/bigdb.sql" 2>&1
    t2=$(date +%s)
    echo "# generation (fill, index builds, VACUUM ANALYZE): $((t2 - t1)) s"
  fi
  psql_db -c "SELECT pg_size_pretty(pg_database_size('calltracker')) AS database_size"
  log "explaining"
  BIGDB_PORT=$PORT "$BENCH_DIR/bigdb-explain.sh"
} 2>&1 | tee -a "$RESULTS"
log "results: $RESULTS"
