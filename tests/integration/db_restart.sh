#!/usr/bin/env bash
# An external PostgreSQL (--db) that goes down and comes back: /readyz says 503 while it is
# down, requests fail cleanly with 503 db_unavailable, /healthz stays 200, and the same
# server process serves again — sessions included — once the database is back.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

PGBIN=${PARLEARN_PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/parlearn-ext.XXXXXX)
chmod 0711 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	chown postgres "$work"
	as_pg=(runuser -u postgres --)
fi
pg() { "${as_pg[@]}" "$@"; }
cleanup() {
	[ -n "${PL_PID:-}" ] && kill -TERM "$PL_PID" 2>/dev/null && wait "$PL_PID" 2>/dev/null
	pg "$PGBIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

pg "$PGBIN/initdb" -D "$work/data" -U postgres --auth-local=trust --encoding=UTF8 --locale=C >/dev/null
start_db() { pg "$PGBIN/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -o "-k $work -c listen_addresses=''" start >/dev/null; }
stop_db() { pg "$PGBIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null; }
start_db
psql -X -q "host=$work dbname=postgres user=postgres" -c "CREATE DATABASE parlearn_ext"
DB="postgresql:///parlearn_ext?host=$work&user=postgres"

# The server on the external database: it starts no cluster of its own.
PL_DATA=$work
PL_PORT=$(pl_free_port)
PL_URL="http://127.0.0.1:$PL_PORT"
PL_LOG=$work/server.log
"$PARLEARN_BIN" serve --db "$DB" --port "$PL_PORT" --content-port "$(pl_free_port)" --data "$work/unused" >"$PL_LOG" 2>&1 &
PL_PID=$!
for i in $(seq 1 300); do curl -fs "$PL_URL/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
ok "the server serves on an external database" curl -fs "$PL_URL/readyz" -o /dev/null
ok "and made no cluster of its own" test ! -e "$work/unused/pg"

printf 'Mat-khau-dai-123\n' | "$PARLEARN_BIN" user create --db "$DB" --username hv --role learner --password-stdin >/dev/null
curl -s -c "$work/cj" -H 'Content-Type: application/json' \
	-d '{"username":"hv","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login" -o /dev/null
is "logged in" "200" "$(curl -s -b "$work/cj" -o /dev/null -w '%{http_code}' "$PL_URL/api/me")"

stop_db
r=$(curl -s -i "$PL_URL/readyz")
has "/readyz is 503 while the database is down" "HTTP/1.1 503" "$r"
has "with a Retry-After" "Retry-After: 5" "$r"
has "in the problem shape" '"code":"db_unavailable"' "$r"
is "/healthz stays 200" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/healthz")"
r=$(curl -s -i -b "$work/cj" "$PL_URL/api/me")
has "a request with a session fails cleanly with 503" "HTTP/1.1 503" "$r"
has "as db_unavailable" '"code":"db_unavailable"' "$r"
hasnt "without the database's own text" "could not connect" "$r"
hasnt "without a socket path" "$work" "$r"
r=$(curl -s -i -H 'Content-Type: application/json' -d '{"username":"hv","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login")
has "a login fails cleanly with 503" "HTTP/1.1 503" "$r"

start_db
back=0
for i in $(seq 1 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/readyz")" = "200" ] && { back=1; break; }
	sleep 0.1
done
is "/readyz is 200 again once the database is back" "1" "$back"
is "the same session works again, same process" "200" "$(curl -s -b "$work/cj" -o /dev/null -w '%{http_code}' "$PL_URL/api/me")"
ok "the server process is the one started at the beginning" kill -0 "$PL_PID"

# A database that stops answering (every process of it suspended): /readyz says 503 within
# its 3-second timeout instead of hanging, and recovers when the database resumes.
pm=$(head -1 "$work/data/postmaster.pid")
pids="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
kill -STOP $pids
t0=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' -m 20 "$PL_URL/readyz")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill -CONT $pids
is "/readyz answers 503 while the database hangs" "503" "$code"
ok "within 5 s (took $ms ms)" test "$ms" -lt 5000
back=0
for i in $(seq 1 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/readyz")" = "200" ] && { back=1; break; }
	sleep 0.1
done
is "and 200 again once it resumes" "1" "$back"

kill -TERM "$PL_PID"
status=0
wait "$PL_PID" || status=$?
PL_PID=
is "the server exits 0" "0" "$status"
ok "the external database is still running (parlearn stops only what it started)" pg "$PGBIN/pg_ctl" -D "$work/data" status
finish
