#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379)
# are running, and that each service's database exists (not with --no-create). Used by .ci/run and
# deploy/run-local.sh.
set -euo pipefail

create=true
[ "${1:-}" = "--no-create" ] && create=false

# each tool this script uses, named when missing (a missing pg_isready must not look like a stopped server)
need() { # need TOOL PACKAGE
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$1 is missing on this machine: install $2 (Debian/Ubuntu: apt-get install $2)" >&2
    exit 1
  fi
}
need pg_isready postgresql-client
need psql postgresql-client
need redis-cli redis-tools

PGHOST_ADDR="${LATCH_PG_HOST:-127.0.0.1}"
PGPORT_NUM="${LATCH_PG_PORT:-5432}"
PGUSER_NAME="${LATCH_PG_USER:-postgres}"
REDIS_PORT_NUM="${LATCH_REDIS_PORT:-6379}"

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$what did not come up" >&2
  return 1
}

if ! pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM"; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  else
    echo "PostgreSQL is not running on $PGHOST_ADDR:$PGPORT_NUM and cannot be started here" >&2
    exit 1
  fi
  wait_for PostgreSQL pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM"
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT_NUM" ping 2>/dev/null | grep -q PONG; then
  need redis-server redis-server
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT_NUM" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis sh -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT_NUM ping | grep -q PONG"
fi

$create || exit 0
suffix="${LATCH_DATABASE_SUFFIX:-}"
for db in "latch_auth$suffix" "latch_idp$suffix" "latch_storage$suffix"; do
  if ! psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U "$PGUSER_NAME" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "creating database $db"
    psql -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U "$PGUSER_NAME" -d postgres -qc "CREATE DATABASE $db"
  fi
done
