#!/usr/bin/env bash
# tests/sync/receiver_selftest.sh — the reference receiver (tests/sync/receiver.mjs) keeps the
# push contract of docs/personnel-sync.md, checked with curl and openssl as an outsider would:
#   - the signing recipe reproduces the document's worked example;
#   - a good event is 200 and recorded; a repeat is 409, counted, not recorded twice; two
#     signatures with one valid (secret rotation) are accepted;
#   - a bad signature, a missing signature, an old timestamp are 401; a wrong Content-Type
#     415; bad JSON 400; an event_id other than webhook-id 422;
#   - failure modes: fail500 count 1 answers 500 once, then 2xx (the event recorded once);
#     drop closes with no answer (curl exit 52); timeout makes curl -m 2 time out (exit 28);
#   - per-person arrival order, the --state file, and a restart reading it (repeat → 409);
#   - it stops on SIGTERM and when its stdin closes.
# Needs node, curl, openssl; skips (exit 0) without them. Runs in a few seconds.
# Last line: "N passed, M failed"; exits 1 on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/check.sh"
for tool in node curl openssl base64; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "receiver_selftest.sh: $tool is not installed; skipping"
		echo "0 passed, 0 failed"
		exit 0
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-receiver.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf -- "$tmp"
}
trap cleanup EXIT

# the key of the document's worked example: the bytes 0 to 31
KEYHEX=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
SECRET=whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
OTHERHEX=ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

sign() { # ID TS BODY [KEYHEX] -> the webhook-signature header value
	printf '%s' "$1.$2.$3" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:${4:-$KEYHEX}" -binary | base64
}

start() { # start the receiver (extra args...), sets pid, port, url
	: >"$tmp/out"
	node "$here/receiver.mjs" --secret "$SECRET" --port 0 --state "$tmp/state.jsonl" --max-seconds 60 "$@" \
		>"$tmp/out" 2>>"$tmp/err" &
	pid=$!
	port=
	for _ in $(seq 1 50); do
		port=$(sed -n 's/.*"port":\([0-9][0-9]*\).*/\1/p' "$tmp/out")
		[ -n "$port" ] && break
		sleep 0.1
	done
	url=http://127.0.0.1:$port/events
	base=http://127.0.0.1:$port
}

stop() { # SIGTERM, then wait up to 3 s; sets gone to "stopped" or "running"
	kill -TERM "$pid" 2>/dev/null
	gone=running
	for _ in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || { gone=stopped; break; }
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
	pid=
}

# post ID TS BODY SIG [curl args...] -> "HTTPCODE CURLEXIT" (Content-Type: $CT if set)
post() {
	local id=$1 ts=$2 body=$3 sig=$4
	shift 4
	local code rc
	code=$(curl -s -o "$tmp/resp" -w '%{http_code}' -m 5 -X POST \
		-H "Content-Type: ${CT:-application/json; charset=utf-8}" \
		-H "webhook-id: $id" -H "Idempotency-Key: $id" -H "webhook-timestamp: $ts" \
		-H "webhook-signature: $sig" --data-binary "$body" "$@" "$url")
	rc=$?
	echo "$code $rc"
}
send() { # ID BODY [curl args...] -> post it correctly signed, now
	local id=$1 body=$2 ts
	shift 2
	ts=$(date +%s)
	post "$id" "$ts" "$body" "v1,$(sign "$id" "$ts" "$body")" "$@"
}
event() { # ID EMPLOYEE -> a compact event body
	printf '{"version":1,"event_id":"%s","kind":"course_completion","occurred_at":"2025-09-15T10:42:07+07:00","employee_code":"%s","unit_code":"SNV-VP","course_code":"cchc","course_version":1,"title":"Cải cách hành chính","completed_at":"2025-09-15T10:42:07+07:00","passed":true,"score":0.9,"active_time_s":2712,"reported_time_s":3005,"training_periods":2}' "$1" "$2"
}
control() { curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Content-Type: application/json' --data-binary "$1" "$base/_control"; }
received() { # JS EXPRESSION over the /_received answer (r) -> its value
	curl -s -m 5 "$base/_received" | node -e '
		const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
		const v = eval(process.argv[1]);
		console.log(typeof v === "string" ? v : JSON.stringify(v));' "$1"
}

# ---- the recipe ----
is "the signing recipe gives the worked example of docs/personnel-sync.md" \
	"v1,ojoN8wMbVjRCs18m+6aqOFIchlc7SgjzW12mwV2eyX8=" \
	"v1,$(sign cmp_1 1757907727 '{"version":1,"event_id":"cmp_1"}')"

# ---- start ----
start
ok "the receiver prints its port and URL as one JSON line" test -n "$port"
has "the URL is on 127.0.0.1, path /events" "\"url\":\"http://127.0.0.1:$port/events\"" "$(cat "$tmp/out")"
is "GET /_health is 200" "200" "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "$base/_health")"

# ---- accepted, duplicates ----
b1=$(event cmp_1 NV-1)
is "a good event is 200" "200 0" "$(send cmp_1 "$b1")"
is "it is recorded, with its id, kind and employee code" '["cmp_1","course_completion","NV-1"]' \
	"$(received '[r.events.length === 1 && r.events[0].id, r.events[0].kind, r.events[0].employee_code]')"
is "a repeat (new timestamp and signature) is 409" "409 0" "$(send cmp_1 "$b1")"
is "the repeat is not recorded twice and is counted as a duplicate" "[1,1]" "$(received '[r.events.length, r.duplicates]')"
ts=$(date +%s)
b2=$(event cmp_2 NV-2)
is "two signatures, one valid (a secret being replaced), is 200" "200 0" \
	"$(post cmp_2 "$ts" "$b2" "v1,$(sign cmp_2 "$ts" "$b2" "$OTHERHEX") v1,$(sign cmp_2 "$ts" "$b2")")"

# ---- refused ----
b3=$(event cmp_3 NV-1)
ts=$(date +%s)
is "a bad signature (another key) is 401" "401 0" "$(post cmp_3 "$ts" "$b3" "v1,$(sign cmp_3 "$ts" "$b3" "$OTHERHEX")")"
is "a signature of other bytes (body changed after signing) is 401" "401 0" \
	"$(post cmp_3 "$ts" "$b3" "v1,$(sign cmp_3 "$ts" "${b3/0.9/1}")")"
is "no webhook-signature header is 401" "401 0" \
	"$(curl -s -o /dev/null -w '%{http_code} ' -m 5 -H 'Content-Type: application/json' -H "webhook-id: cmp_3" \
		-H "Idempotency-Key: cmp_3" -H "webhook-timestamp: $ts" --data-binary "$b3" "$url"; echo $?)"
old=$((ts - 600))
is "a timestamp 10 minutes old, correctly signed, is 401" "401 0" "$(post cmp_3 "$old" "$b3" "v1,$(sign cmp_3 "$old" "$b3")")"
is "Content-Type text/plain is 415" "415 0" \
	"$(CT=text/plain post cmp_3 "$ts" "$b3" "v1,$(sign cmp_3 "$ts" "$b3")")"
bad='{"version":1,"event_id":"cmp_3",'
is "bad JSON, correctly signed, is 400" "400 0" "$(post cmp_3 "$ts" "$bad" "v1,$(sign cmp_3 "$ts" "$bad")")"
is "an event_id other than webhook-id is 422" "422 0" "$(post cmp_9 "$ts" "$b3" "v1,$(sign cmp_9 "$ts" "$b3")")"
is "nothing refused was recorded; refusals are counted by status" '[2,4,1,1,1]' \
	"$(received '[r.events.length, r.rejected["401"], r.rejected["415"], r.rejected["400"], r.rejected["422"]]')"

# ---- failure modes ----
is "POST /_control fail500 count 1 is 200" "200" "$(control '{"mode":"fail500","count":1}')"
is "fail500: the next request is 500" "500 0" "$(send cmp_3 "$b3")"
is "fail500 count 1: the one after is 200" "200 0" "$(send cmp_3 "$b3")"
is "the event that met the 500 is recorded once, when it came again" "1" \
	"$(received 'r.events.filter((e) => e.id === "cmp_3").length')"
is "POST /_control with an unknown mode is 400" "400" "$(control '{"mode":"explode"}')"

control '{"mode":"drop","count":1}' >/dev/null
b4=$(event cmp_4 NV-2)
is "drop: the connection closes with no answer (curl exit 52)" "000 52" "$(send cmp_4 "$b4")"
control '{"mode":"timeout","count":1,"delay_ms":5000}' >/dev/null
t0=$(date +%s%N)
is "timeout: curl -m 2 times out (exit 28)" "000 28" "$(send cmp_4 "$b4" -m 2)"
t1=$(date +%s%N)
ok "timeout: curl waited its 2 s, not the 5 s hold" test $(((t1 - t0) / 1000000)) -lt 4500
is "after drop and timeout, nothing of cmp_4 is recorded" "0" "$(received 'r.events.filter((e) => e.id === "cmp_4").length')"
is "count 1 spent: the mode is ok again, the event is 200" "200 0" "$(send cmp_4 "$b4")"
control '{"mode":"fail429","count":1}' >/dev/null
is "fail429: 429" "429 0" "$(send cmp_5 "$(event cmp_5 NV-1)")"
is "the injected failures are counted" '{"fail500":1,"drop":1,"timeout":1,"fail429":1}' "$(received 'r.injected')"

# ---- order, state ----
is "per employee, the ids in order of arrival" '{"NV-1":["cmp_1","cmp_3"],"NV-2":["cmp_2","cmp_4"]}' "$(received 'r.by_employee')"
is "events carry their arrival sequence" "[1,2,3,4]" "$(received 'r.events.map((e) => e.seq)')"
is "the --state file holds one JSON line per recorded event" "4" "$(wc -l <"$tmp/state.jsonl" | tr -d ' ')"
is "requests counts every request to /events (refused, failed, dropped, held included)" "16" "$(received 'r.requests')"

# ---- stop, restart on the same state ----
stop
is "SIGTERM stops it" "stopped" "$gone"
start
is "restarted on the same --state, it knows its 4 events" "[4,4]" "$(received '[r.events.length, r.restored]')"
is "restarted, a repeat of an event recorded before is 409" "409 0" "$(send cmp_2 "$b2")"
stop
is "SIGTERM stops it again" "stopped" "$gone"

# ---- stdin closing stops it ----
mkfifo "$tmp/in"
node "$here/receiver.mjs" --secret "$SECRET" --max-seconds 30 <"$tmp/in" >"$tmp/out2" 2>>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
for _ in $(seq 1 50); do grep -q port "$tmp/out2" && break; sleep 0.1; done
has "started with stdin on a pipe, it listens" '"port":' "$(cat "$tmp/out2")"
exec 3>&-
gone=running
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || { gone=stopped; break; }; sleep 0.1; done
is "when its stdin closes, it stops" "stopped" "$gone"
wait "$pid" 2>/dev/null
pid=

if [ "$CHECK_FAILED" -ne 0 ]; then
	echo "    receiver stderr:"
	sed 's/^/    /' "$tmp/err"
fi
finish
