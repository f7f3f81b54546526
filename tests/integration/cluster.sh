#!/usr/bin/env bash
# The embedded PostgreSQL: created on first use, shared by the server and CLI commands on
# one data folder, stopped with its owner — even when the owner is killed — and recovered
# by the next start.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# 1. A CLI command on a fresh folder starts the cluster for its duration only.
PL_DATA=$(mktemp -d /tmp/parlearn-test.XXXXXX)
chmod 0711 "$PL_DATA"
out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" 2>&1)
has "migrate on a fresh folder applies the migrations" "migration(s) applied" "$out"
ok "the cluster was made in the data folder" test -f "$PL_DATA/var/pg/data/PG_VERSION"
is "no postgres is left after a CLI command" "" "$(pl_postgres_pids)"
out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" 2>&1)
has "migrate twice does nothing the second time" "database is up to date" "$out"
rm -rf "$PL_DATA"

# 1b. As root, PostgreSQL runs as 'postgres', which owns DATA/pg: a symbolic link planted
# there must not make root change another directory.
if [ "$(id -u)" -eq 0 ]; then
	PL_DATA=$(mktemp -d /tmp/parlearn-test.XXXXXX)
	chmod 0711 "$PL_DATA"
	"$PARLEARN_BIN" migrate --data "$PL_DATA/var" >/dev/null 2>&1
	victim=$(mktemp -d /tmp/parlearn-victim.XXXXXX)
	chmod 0750 "$victim"
	runuser -u postgres -- bash -c "rm -rf '$PL_DATA/var/pg/run' && ln -s '$victim' '$PL_DATA/var/pg/run'"
	out=$("$PARLEARN_BIN" migrate --data "$PL_DATA/var" 2>&1)
	has "a symbolic link planted for the socket folder is refused" "is not a directory (a symbolic link?)" "$out"
	is "the link's target keeps its owner and mode" "root 750" "$(stat -c '%U %a' "$victim")"
	rm -rf "$victim" "$PL_DATA"
fi

# 2. CLI commands while a server runs use its cluster and leave it running.
pl_start || exit 1
out=$(pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city 2>&1)
has "a CLI command works while the server runs" "unit HCM created" "$out"
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hv --role learner --password-stdin >/dev/null 2>&1
code=$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/readyz")
is "the server's database survives the CLI command" "200" "$code"

# A second server on the same data folder is refused at once, naming the first.
t0=$(date +%s)
out=$("$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$(pl_free_port)" --content-port "$(pl_free_port)" 2>&1)
status=$?
is "a second server on the same data folder exits 1" "1" "$status"
has "and names the server that has it" "another parlearn serve (pid $PL_PID)" "$out"
ok "without waiting" test $(( $(date +%s) - t0 )) -lt 10
is "the first server still serves" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/readyz")"

# 3. Graceful stop: every request the server took before SIGTERM is answered in full; none
# is cut off (CivetWeb alone would drop them: docs/decisions/0003).
tmp=$(mktemp -d)
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
		-d '{"username":"hv","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login" >"$tmp/$i" &
done
# Wait until the server holds a client connection (argon2id keeps each login busy ~50 ms).
for i in $(seq 1 200); do
	ss -Htn state established "( sport = :$PL_PORT )" 2>/dev/null | grep -q . && break
	sleep 0.005
done
sleep 0.02
pid=$PL_PID
kill -TERM "$pid"
wait_jobs() { local j; for j in $(jobs -p); do [ "$j" = "$pid" ] || wait "$j"; done; }
wait_jobs
served=$(grep -c '"POST /api/auth/login" 200' "$PL_LOG")
got200=$(cat "$tmp"/* | grep -c '^200$')
cut=$(cat "$tmp"/* | grep -c '^000$')
ok "at least one login was in flight when SIGTERM arrived" test "$served" -ge 1
is "every login the server answered 200 reached its client" "$served" "$got200"
is "no client saw its connection cut" "0" "$cut"
rm -rf "$tmp"
status=0
wait "$pid" || status=$?
is "the server exits 0 on SIGTERM" "0" "$status"
sleep 0.5
is "no postgres is left after SIGTERM" "" "$(pl_postgres_pids)"

# 4. Killed with SIGKILL: the postmaster follows it; the next start recovers.
data_keep=$PL_DATA
"$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" --content-port "$PL_CONTENT_PORT" >"$PL_LOG" 2>&1 &
PL_PID=$!
for i in $(seq 1 300); do curl -fs "$PL_URL/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
ok "a second start on the same folder serves" curl -fs "$PL_URL/readyz" -o /dev/null
ok "postgres runs under the server" test -n "$(pl_postgres_pids)"
kill -KILL "$PL_PID"
wait "$PL_PID" 2>/dev/null
for i in $(seq 1 100); do [ -z "$(pl_postgres_pids)" ] && break; sleep 0.1; done
is "no postgres is left after the server is killed with SIGKILL" "" "$(pl_postgres_pids)"

PL_DATA=$data_keep
pl_start_again() {
	"$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" --content-port "$PL_CONTENT_PORT" >>"$PL_LOG" 2>&1 &
	PL_PID=$!
	for i in $(seq 1 300); do curl -fs "$PL_URL/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}
ok "the server starts again after a SIGKILL" pl_start_again
body=$(curl -s -H 'Content-Type: application/json' -d '{"username":"hv","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login")
is "data from before the kill is there: the account logs in" "hv" "$(echo "$body" | json "['username']")"

# 5. The embedded PostgreSQL dies under a running server: the server restarts it.
pm=$(head -1 "$PL_DATA/var/pg/data/postmaster.pid")
kill -INT "$pm"
for i in $(seq 1 50); do kill -0 "$pm" 2>/dev/null || break; sleep 0.1; done
back=0
for i in $(seq 1 200); do
	if curl -fs "$PL_URL/readyz" -o /dev/null && [ "$(head -1 "$PL_DATA/var/pg/data/postmaster.pid" 2>/dev/null)" != "$pm" ]; then back=1; break; fi
	sleep 0.1
done
is "the server restarts its PostgreSQL when it dies" "1" "$back"
body=$(curl -s -H 'Content-Type: application/json' -d '{"username":"hv","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login")
is "and serves logins again without a restart of its own" "hv" "$(echo "$body" | json "['username']")"

ok "the server stops cleanly" pl_stop

# 3b. A server started while a CLI command owns the cluster waits for it, then takes over.
PL_DATA=$(mktemp -d /tmp/parlearn-test.XXXXXX)
chmod 0711 "$PL_DATA"
"$PARLEARN_BIN" migrate --data "$PL_DATA/var" >/dev/null 2>&1
mkfifo "$PL_DATA/pw"
"$PARLEARN_BIN" user create --data "$PL_DATA/var" --username slow --role learner --password-stdin <"$PL_DATA/pw" >/dev/null 2>&1 &
cli=$!
exec 7>"$PL_DATA/pw"
sleep 1
PL_PORT=$(pl_free_port)
PL_CONTENT_PORT=$(pl_free_port)
PL_URL="http://127.0.0.1:$PL_PORT"
PL_LOG=$PL_DATA/server.log
"$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" --content-port "$PL_CONTENT_PORT" >"$PL_LOG" 2>&1 &
PL_PID=$!
sleep 2
echo 'Mat-khau-dai-123' >&7
exec 7>&-
wait "$cli"
t0=$(date +%s)
for i in $(seq 1 300); do curl -fs "$PL_URL/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
ok "the server serves once the CLI command is done" curl -fs "$PL_URL/readyz" -o /dev/null
ok "without waiting out a timeout (took $(( $(date +%s) - t0 )) s)" test $(( $(date +%s) - t0 )) -lt 15
body=$(curl -s -H 'Content-Type: application/json' -d '{"username":"slow","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login")
has "the account the CLI made is there" '"username":"slow"' "$body"
ok "that server stops cleanly" pl_stop

finish
