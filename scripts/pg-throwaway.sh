#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a temporary folder,
# listening on 127.0.0.1 only, on a free port. Source it:
#
#   . scripts/pg-throwaway.sh && pg_throwaway_start
#   ... TOUCHLINE_TEST_POSTGRES is exported ...
#   pg_throwaway_stop
#
# Installs the distribution's package when no server binaries are found and apt-get is
# there (CI runs as root). The server refuses to run as root, so as root the cluster is
# owned by and run as the `postgres` user (created by the package) via runuser.

pg_throwaway_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
    fi
  done | sort -V | tail -n 1
}

pg_throwaway_start() {
  local bin
  bin="$(pg_throwaway_bin)"
  if [ -z "$bin" ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      echo "pg: installing postgresql from the distribution's packages" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
      bin="$(pg_throwaway_bin)"
    fi
  fi
  if [ -z "$bin" ]; then
    echo "pg: no PostgreSQL server binaries (initdb, pg_ctl) found" >&2
    return 1
  fi
  PG_THROWAWAY_DIR="$(mktemp -d /tmp/touchline-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_THROWAWAY_DIR"
    as=(runuser -u postgres --)
  fi
  PG_THROWAWAY_AS=("${as[@]}")
  PG_THROWAWAY_BIN="$bin"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${as[@]}" "$bin/initdb" -D "$PG_THROWAWAY_DIR/data" -U touchline --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_THROWAWAY_DIR/initdb.log" 2>&1 || {
    cat "$PG_THROWAWAY_DIR/initdb.log" >&2
    return 1
  }
  # Unix sockets go in the folder too; TCP on 127.0.0.1 only. Enough connections for the
  # crash test's processes and parallel test threads.
  "${as[@]}" "$bin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_THROWAWAY_DIR -c max_connections=200 -c fsync=off" \
    start >&2 || {
    cat "$PG_THROWAWAY_DIR/server.log" >&2
    return 1
  }
  export TOUCHLINE_TEST_POSTGRES="postgres://touchline@127.0.0.1:$port/postgres"
  echo "pg: throwaway cluster at $TOUCHLINE_TEST_POSTGRES ($PG_THROWAWAY_DIR)" >&2
}

pg_throwaway_stop() {
  if [ -n "${PG_THROWAWAY_DIR:-}" ] && [ -d "$PG_THROWAWAY_DIR/data" ]; then
    "${PG_THROWAWAY_AS[@]}" "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_THROWAWAY_DIR"
  fi
}
