# Sourced by scripts/test and the benchmarks: a PostgreSQL cluster owned by the calling
# script, on a free port, under a fresh folder, stopped and removed at exit.
# After `start_throwaway_postgres`, $PG_URL points at its `postgres` database and
# $PG_WORK is the folder (usable for other scratch files). Tests run it without syncing
# to disk; with PG_DURABLE=1 (benchmarks of writes) every commit is flushed, as in
# production.

start_throwaway_postgres() {
  local pg_bin port durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${PG_DURABLE:-}" = 1 ]; then durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"; fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_WORK=$(mktemp -d /tmp/maillage-pg.XXXXXX)
  chmod 755 "$PG_WORK"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_WORK"; fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  _run_pg "$pg_bin/initdb" -D "$PG_WORK/data" -A trust -U postgres --no-sync >/dev/null
  _run_pg "$pg_bin/pg_ctl" -D "$PG_WORK/data" -l "$PG_WORK/postgres.log" -w \
    -o "-p $port -k $PG_WORK -c listen_addresses=127.0.0.1 $durability -c max_connections=400" \
    start >/dev/null
  _PG_BIN=$pg_bin
  trap _stop_throwaway_postgres EXIT
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

_run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

_stop_throwaway_postgres() {
  _run_pg "$_PG_BIN/pg_ctl" -D "$PG_WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_WORK"
}
