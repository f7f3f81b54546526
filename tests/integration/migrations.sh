#!/usr/bin/env bash
# Migrations: applied in order, once; a failing file is rolled back whole and named with
# its line and PostgreSQL's message; an applied file that was edited is refused.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

PL_DATA=$(mktemp -d /tmp/parlearn-test.XXXXXX)
chmod 0711 "$PL_DATA"
trap 'rm -rf "$PL_DATA"' EXIT
src=${PARLEARN_SOURCE:-$here/../..}
dir=$PL_DATA/migrations
mkdir -p "$dir"
cp "$src"/schemas/sql/*.sql "$dir/"

sql() {
	# Start the cluster for the query's duration through parlearn's own CLI is not possible
	# for raw SQL, so run a CLI command that keeps it up: psql against a running server.
	psql -X -q -A -t "host=$PL_DATA/var/pg/run dbname=parlearn user=postgres" -c "$1"
}

out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" --migrations "$dir" 2>&1)
has "the migrations of schemas/sql apply" "migration(s) applied" "$out"

cat >"$dir/9001_add_note.sql" <<'SQL'
CREATE TABLE test_note (id int PRIMARY KEY, body text NOT NULL);
INSERT INTO test_note VALUES (1, 'ghi chú');
SQL
cat >"$dir/9002_broken.sql" <<'SQL'
CREATE TABLE test_half_done (id int);
INSERT INTO test_half_done VALUES (1);
SELECT no_such_column FROM test_note;
SQL
out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" --migrations "$dir" 2>&1)
status=$?
is "a failing migration makes migrate exit 1" "1" "$status"
has "the good migration before it is applied" "applied 9001_add_note.sql" "$out"
has "the error names the failing file" "9002_broken.sql" "$out"
has "the error gives the line" "line 3" "$out"
has "the error gives PostgreSQL's message" 'column "no_such_column" does not exist' "$out"

# Look inside with the server running (it owns the cluster; psql uses its socket).
pl_start_on() {
	PL_PORT=$(pl_free_port)
	PL_URL="http://127.0.0.1:$PL_PORT"
	PL_LOG="$PL_DATA/server.log"
	"$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" --content-port "$(pl_free_port)" --migrations "$dir" >"$PL_LOG" 2>&1 &
	PL_PID=$!
	for i in $(seq 1 300); do curl -fs "$PL_URL/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
	cat "$PL_LOG"
	return 1
}
rm "$dir/9002_broken.sql"
ok "the server starts" pl_start_on
is "nothing of the failed file is left" "" "$(sql "SELECT to_regclass('test_half_done')")"
is "the failed file is not recorded" "0" "$(sql "SELECT count(*) FROM schema_migration WHERE name = '9002_broken.sql'")"
is "the file before it is recorded" "1" "$(sql "SELECT count(*) FROM schema_migration WHERE name = '9001_add_note.sql'")"
is "its data is there, in UTF-8" "ghi chú" "$(sql "SELECT body FROM test_note WHERE id = 1")"
PL_KEEP=1 pl_stop >/dev/null 2>&1
PL_DATA_KEEP=$PL_DATA

out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" --migrations "$dir" 2>&1)
has "applying again does nothing" "database is up to date" "$out"

echo "-- an edit" >>"$dir/9001_add_note.sql"
out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" --migrations "$dir" 2>&1)
status=$?
is "an edited applied migration is refused" "1" "$status"
has "and named" "9001_add_note.sql was applied with other contents" "$out"
is "no postgres is left" "" "$(pl_postgres_pids)"
finish
