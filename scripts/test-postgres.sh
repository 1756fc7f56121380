#!/usr/bin/env bash
# Sourced by test.sh: makes sure PostgreSQL is installed (Debian package "postgresql"), starts a throwaway server
# on 127.0.0.1 as the postgres user (PostgreSQL refuses to run as root), exports JOURNEYS_TEST_POSTGRES and
# stops the server when the calling shell exits.

journeys_pg_port=${JOURNEYS_TEST_PG_PORT:-55432}
journeys_pg_password=journeys-test

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

journeys_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$journeys_pg_bin" ]; then
  echo "Installing PostgreSQL (Debian package postgresql)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  journeys_pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

journeys_pg_data=$(mktemp -d /tmp/journeys-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$journeys_pg_data"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

printf '%s\n' "$journeys_pg_password" > "$journeys_pg_data/pwfile"
chmod 600 "$journeys_pg_data/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$journeys_pg_data/pwfile"
as_pg "$journeys_pg_bin/initdb" -D "$journeys_pg_data/data" -U postgres --pwfile="$journeys_pg_data/pwfile" \
  --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$journeys_pg_bin/pg_ctl" -D "$journeys_pg_data/data" -l "$journeys_pg_data/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $journeys_pg_port -k $journeys_pg_data -c max_connections=400 -c shared_buffers=256MB" \
  start >/dev/null

journeys_stop_postgres() {
  as_pg "$journeys_pg_bin/pg_ctl" -D "$journeys_pg_data/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$journeys_pg_data"
}
trap journeys_stop_postgres EXIT

export JOURNEYS_TEST_POSTGRES="Host=127.0.0.1;Port=$journeys_pg_port;Username=postgres;Password=$journeys_pg_password;Database=postgres"
echo "PostgreSQL $("$journeys_pg_bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$journeys_pg_port"
