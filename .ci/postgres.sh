#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster on a free loopback port, owned by the
# `postgres` user (PostgreSQL refuses to run as root).
#   source .ci/postgres.sh && pg_throwaway_start   # exports DATABASE_URL
#   pg_throwaway_stop
# PG_EXTRA_OPTS adds server settings, e.g. an operator's for the metering bench:
#   PG_EXTRA_OPTS="-c shared_buffers=4GB -c max_wal_size=8GB" pg_throwaway_start
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_throwaway_start() {
  PG_DIR=$(mktemp -d /tmp/atlantic-pg.XXXXXX)
  chown postgres:postgres "$PG_DIR"
  PG_PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  # A test cluster: durability off for speed, enough connections for parallel suites.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB ${PG_EXTRA_OPTS:-}" \
    start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
  export PG_DIR PG_PORT
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

pg_throwaway_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
