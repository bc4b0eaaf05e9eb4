#!/usr/bin/env bash
# Starts (or stops) a private PostgreSQL cluster on 127.0.0.1 for the test suite and benchmarks.
# Usage: scripts/postgres.sh start|stop|status|env
# The cluster lives in $PLATFORM_PG_DIR (default /tmp/labplatform-pg) and listens on
# $PLATFORM_PG_PORT (default 55432), so it never collides with a system PostgreSQL.
set -euo pipefail

PG_DIR="${PLATFORM_PG_DIR:-/tmp/labplatform-pg}"
PG_PORT="${PLATFORM_PG_PORT:-55432}"
PG_PASSWORD="${PLATFORM_PG_PASSWORD:-labplatform}"

find_bin() {
  local name="$1"
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/$name"
  if [[ -x "$candidate" ]]; then echo "$candidate"; return; fi
  echo "error: $name not found; install PostgreSQL first (apt-get install -y postgresql)" >&2
  exit 1
}

as_postgres() {
  if [[ "$(id -u)" == "0" ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

connection_string() {
  echo "Host=127.0.0.1;Port=${PG_PORT};Username=postgres;Password=${PG_PASSWORD};Database=postgres"
}

start() {
  local initdb pg_ctl
  initdb="$(find_bin initdb)"
  pg_ctl="$(find_bin pg_ctl)"
  if [[ ! -f "$PG_DIR/data/PG_VERSION" ]]; then
    mkdir -p "$PG_DIR"
    [[ "$(id -u)" == "0" ]] && chown postgres:postgres "$PG_DIR"
    local pwfile="$PG_DIR/pwfile"
    as_postgres bash -c "umask 077; echo '$PG_PASSWORD' > '$pwfile'"
    as_postgres "$initdb" -D "$PG_DIR/data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_postgres "$pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    echo "postgres already running on 127.0.0.1:${PG_PORT}"
    return
  fi
  as_postgres "$pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p ${PG_PORT} -k ${PG_DIR} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "postgres started on 127.0.0.1:${PG_PORT} (log: $PG_DIR/server.log)"
}

stop() {
  local pg_ctl
  pg_ctl="$(find_bin pg_ctl)"
  if [[ -f "$PG_DIR/data/PG_VERSION" ]]; then
    as_postgres "$pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) as_postgres "$(find_bin pg_ctl)" -D "$PG_DIR/data" status ;;
  env) echo "export PLATFORM_TEST_POSTGRES='$(connection_string)'" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
