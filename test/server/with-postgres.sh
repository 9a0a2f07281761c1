#!/usr/bin/env bash
# Runs the server tests against a real PostgreSQL server (Debian's postgresql package):
# initdb into a temp dir, start on a free loopback port, createdb, `npm run test:node` with
# TEST_DATABASE_URL, stop and clean up. Works as root (CI): PostgreSQL refuses to run as
# root, so the server runs as the `postgres` user (created if missing) while the tests run
# as the caller.
#
#   test/server/with-postgres.sh            # the whole node suite
#   test/server/with-postgres.sh -- <cmd>   # any other command with TEST_DATABASE_URL set
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL binaries not found (set PG_BIN)" >&2; exit 1; }
cd "$(dirname "$0")/../.."

TMP=$(mktemp -d "${TMPDIR:-/tmp}/crm-pg.XXXXXX")
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
AS=()
if [ "$(id -u)" = 0 ]; then
  OS_USER=${PG_OS_USER:-postgres}
  id "$OS_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$OS_USER"
  chown "$OS_USER" "$TMP"
  AS=(runuser -u "$OS_USER" --)
fi

stop() {
  "${AS[@]}" "$PG_BIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap stop EXIT

# The role crm has a password and must give it over TCP (as a real deployment's role would),
# so the start-up tests can see a wrong or missing password refused; other roles are trusted,
# so they can see a role or database that does not exist.
PASSWORD=crm-test-password
echo "$PASSWORD" >"$TMP/pwfile"
chmod 644 "$TMP/pwfile"
"${AS[@]}" "$PG_BIN/initdb" -D "$TMP/data" -U crm --pwfile="$TMP/pwfile" --auth=trust -E UTF8 --no-locale >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log" >&2; exit 1; }
cat >"$TMP/pg_hba.conf" <<HBA
local all all trust
host all crm 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
HBA
"${AS[@]}" cp "$TMP/pg_hba.conf" "$TMP/data/pg_hba.conf"
"${AS[@]}" "$PG_BIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
PGPASSWORD=$PASSWORD "${AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U crm crm_test

export TEST_DATABASE_URL="postgres://crm:$PASSWORD@127.0.0.1:$PORT/crm_test"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
if [ "${1:-}" = "--" ]; then
  shift
  "$@"
else
  npm run test:node
fi
