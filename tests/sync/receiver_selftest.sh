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
#   - the LRS mode (--lrs-user/--lrs-password, xAPI 1.0.3 statements under /xapi/): a good PUT
#     is 204 and stored; a repeat (also with its members reordered) is 204 and stored once;
#     the same id with other content is 409 and changes nothing; no or wrong Basic auth 401;
#     no or a wrong X-Experience-API-Version 400; a malformed statement 400; POST of a batch
#     200 with the ids, all or nothing on a conflict; the failure modes apply to it, set apart
#     from those of /events; its --lrs-state file survives a restart; /_reset forgets it;
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

# ---- the LRS mode ----
LRSUSER=parlearn
LRSPASS='lrs pass:word'
U1=061de2e1-1df1-5501-ac58-519bed13cc99
U2=3c60010a-0472-5fae-a44d-a771a2908c94
U3=5e0f7d7a-3d7b-5b0e-9a51-0f3f0c0d2a11
U4=7c9e6679-7425-50de-944b-e07fc1f90ae7
U5=a8098c1a-f86e-51da-bd1a-00c04fd430c8
stmt() { # ID EMPLOYEE [VERB] -> a statement shaped as lms_xapi_statement_build writes one
	printf '{"id":"%s","actor":{"objectType":"Agent","account":{"homePage":"https://nhansu.example","name":"%s"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},"object":{"objectType":"Activity","id":"https://parlearn.example/xapi/course/cchc/1","definition":{"type":"http://adlnet.gov/expapi/activities/course","name":{"vi-VN":"Cải cách hành chính"}}},"result":{"completion":true,"success":true,"score":{"scaled":0.9},"duration":"PT45M12S"},"timestamp":"2025-09-15T10:42:07+07:00","context":{"extensions":{"https://parlearn.example/xapi/ext/unit_code":"SNV-VP"}}}' \
		"$1" "$2" "${3:-completed}" "${3:-completed}"
}
jsmap() { # JS EXPRESSION over the JSON document $2 (d) -> its value, compact
	node -e 'const d = JSON.parse(process.argv[2]); const v = eval(process.argv[1]);
		process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));' "$1" "$2"
}
# xreq METHOD QUERY BODY [curl args...] -> "HTTPCODE CURLEXIT"; the answer in $tmp/xresp,
# its headers in $tmp/xhead
xreq() {
	local method=$1 q=$2 body=$3 code rc
	shift 3
	code=$(curl -s -o "$tmp/xresp" -D "$tmp/xhead" -w '%{http_code}' -m 5 -X "$method" \
		-H "Content-Type: ${CT:-application/json}" --data-binary "$body" "$@" "$base/xapi/statements$q")
	rc=$?
	echo "$code $rc"
}
AUTH=(-u "$LRSUSER:$LRSPASS")
VER=(-H 'X-Experience-API-Version: 1.0.3')
xput() { local id=$1 body=$2; shift 2; xreq PUT "?statementId=$id" "$body" "${AUTH[@]}" "${VER[@]}" "$@"; }
xpost() { local body=$1; shift; xreq POST "" "$body" "${AUTH[@]}" "${VER[@]}" "$@"; }
lcontrol() { control "{\"endpoint\":\"lrs\",$1}"; }

node "$here/receiver.mjs" --secret "$SECRET" --lrs-user x --max-seconds 5 >/dev/null 2>&1
is "--lrs-user without --lrs-password is refused at start (exit 2)" "2" "$?"
start --lrs-user "$LRSUSER" --lrs-password "$LRSPASS" --lrs-state "$tmp/lrs.jsonl"
has "with the LRS on, the first line names the xAPI endpoint" "\"lrs\":\"http://127.0.0.1:$port/xapi/\"" "$(cat "$tmp/out")"
is "GET /xapi/about names xAPI 1.0.3" '["1.0.3"]' \
	"$(jsmap 'd.version' "$(curl -s -m 5 "$base/xapi/about")")"

s1=$(stmt "$U1" NV-1)
is "LRS: a good PUT is 204" "204 0" "$(xput "$U1" "$s1")"
has "LRS: the answer carries X-Experience-API-Version" "x-experience-api-version: 1.0.3" "$(tr 'A-Z' 'a-z' <"$tmp/xhead")"
is "LRS: it is stored, with its id, actor and verb" "[1,\"$U1\",\"NV-1\",\"http://adlnet.gov/expapi/verbs/completed\"]" \
	"$(received '[r.lrs.statements.length, r.lrs.statements[0].id, r.lrs.statements[0].actor_name, r.lrs.statements[0].verb]')"
is "LRS: GET ?statementId= gives the statement back as sent" "200 0 true" \
	"$(xreq GET "?statementId=$U1" '' "${AUTH[@]}" "${VER[@]}") $(jsmap "JSON.stringify({...d, stored: undefined}) === JSON.stringify($s1)" "$(cat "$tmp/xresp")")"
is "LRS: GET of an unknown id is 404" "404 0" "$(xreq GET "?statementId=$U5" '' "${AUTH[@]}" "${VER[@]}")"
is "LRS: a repeat, same id and content, is 204" "204 0" "$(xput "$U1" "$s1")"
reordered=$(jsmap 'Object.fromEntries(Object.entries(d).reverse())' "$s1")
is "LRS: the same statement with its members in another order is 204" "204 0" "$(xput "$U1" "$reordered")"
is "LRS: the repeats are stored once and counted as duplicates" "[1,2]" "$(received '[r.lrs.statements.length, r.lrs.duplicates]')"
is "LRS: the same id with other content (failed, not completed) is 409" "409 0" "$(xput "$U1" "$(stmt "$U1" NV-1 failed)")"
is "LRS: the conflict changed nothing and is listed" "[1,\"http://adlnet.gov/expapi/verbs/completed\",[\"$U1\"]]" \
	"$(received '[r.lrs.statements.length, r.lrs.statements[0].verb, r.lrs.conflicts]')"

# ---- LRS: refused ----
s2=$(stmt "$U2" NV-2)
is "LRS: no Authorization is 401" "401 0" "$(xreq PUT "?statementId=$U2" "$s2" "${VER[@]}")"
has "LRS: the 401 asks for Basic" "www-authenticate: basic" "$(tr 'A-Z' 'a-z' <"$tmp/xhead")"
is "LRS: a wrong password is 401" "401 0" "$(xreq PUT "?statementId=$U2" "$s2" -u "$LRSUSER:nope" "${VER[@]}")"
is "LRS: a wrong user is 401" "401 0" "$(xreq PUT "?statementId=$U2" "$s2" -u "other:$LRSPASS" "${VER[@]}")"
is "LRS: no X-Experience-API-Version is 400" "400 0" "$(xreq PUT "?statementId=$U2" "$s2" "${AUTH[@]}")"
is "LRS: X-Experience-API-Version 0.95 is 400" "400 0" \
	"$(xreq PUT "?statementId=$U2" "$s2" "${AUTH[@]}" -H 'X-Experience-API-Version: 0.95')"
is "LRS: a statement id other than statementId is 400" "400 0" "$(xput "$U3" "$s2")"
is "LRS: a statementId that is not a UUID is 400" "400 0" "$(xput cmp_2 "$s2")"
is "LRS: PUT without statementId is 400" "400 0" "$(xreq PUT "" "$s2" "${AUTH[@]}" "${VER[@]}")"
is "LRS: an actor with an e-mail (mbox) is 400" "400 0" \
	"$(xput "$U2" "$(jsmap '({...d, actor: {...d.actor, mbox: "mailto:lan@example.gov.vn"}})' "$s2")")"
is "LRS: an actor without account.homePage is 400" "400 0" \
	"$(xput "$U2" "$(jsmap '({...d, actor: {objectType: "Agent", account: {name: "NV-2"}}})' "$s2")")"
is "LRS: a verb id that is not an IRI is 400" "400 0" "$(xput "$U2" "$(jsmap '({...d, verb: {id: "completed"}})' "$s2")")"
is "LRS: an object without an id is 400" "400 0" "$(xput "$U2" "$(jsmap '({...d, object: {objectType: "Activity"}})' "$s2")")"
is "LRS: an id that is not a UUID (POST) is 400" "400 0" "$(xpost "$(jsmap '({...d, id: "cmp_2"})' "$s2")")"
is "LRS: a statement without an id (POST) is 400" "400 0" "$(xpost "$(jsmap '({...d, id: undefined})' "$s2")")"
is "LRS: Content-Type text/plain is 415" "415 0" "$(CT=text/plain xput "$U2" "$s2")"
is "LRS: bad JSON is 400" "400 0" "$(xput "$U2" '{"id":')"
is "LRS: DELETE is 405" "405 0" "$(xreq DELETE "?statementId=$U1" '' "${AUTH[@]}" "${VER[@]}")"
is "LRS: nothing refused was stored; refusals counted by status" '[1,3,12,1,1]' \
	"$(received '[r.lrs.statements.length, r.lrs.rejected["401"], r.lrs.rejected["400"], r.lrs.rejected["415"], r.lrs.rejected["405"]]')"
is "LRS: the push side saw none of it" '[4,0]' "$(received '[r.events.length, r.requests]')"

# ---- LRS: POST ----
is "LRS: POST of a batch of two is 200" "200 0" "$(xpost "[$s2,$(stmt "$U3" NV-1)]")"
is "LRS: ... answered with their ids, in order" "[\"$U2\",\"$U3\"]" "$(cat "$tmp/xresp")"
is "LRS: POST of one statement (not an array) is 200 with its id" "200 0 [\"$U4\"]" \
	"$(xpost "$(stmt "$U4" NV-2)") $(cat "$tmp/xresp")"
is "LRS: the same batch again is 200, stored once" "200 0 [4,4]" "$(xpost "[$s2,$(stmt "$U3" NV-1)]") $(received '[r.lrs.duplicates, r.lrs.statements.length]')"
is "LRS: a batch with one conflicting statement is 409" "409 0" "$(xpost "[$(stmt "$U5" NV-2),$(stmt "$U2" NV-2 failed)]")"
is "LRS: ... and its new statement was not stored either" "0" "$(received "r.lrs.statements.filter((s) => s.id === \"$U5\").length")"
is "LRS: a batch holding one id twice is 400" "400 0" "$(xpost "[$(stmt "$U5" NV-2),$(stmt "$U5" NV-2)]")"
is "LRS: per actor, the ids in order of arrival" "{\"NV-1\":[\"$U1\",\"$U3\"],\"NV-2\":[\"$U2\",\"$U4\"]}" "$(received 'r.lrs.by_actor')"

# ---- LRS: failure modes ----
s5=$(stmt "$U5" NV-2)
is "POST /_control endpoint lrs, fail500 count 1, is 200" "200" "$(lcontrol '"mode":"fail500","count":1')"
is "GET /_control?endpoint=lrs shows it; /events stays ok" '["fail500","ok"]' \
	"[$(jsmap 'JSON.stringify(d.mode)' "$(curl -s -m 5 "$base/_control?endpoint=lrs")"),$(jsmap 'JSON.stringify(d.mode)' "$(curl -s -m 5 "$base/_control")")]"
is "an LRS failure mode leaves /events alone" "200 0" "$(send cmp_6 "$(event cmp_6 NV-1)")"
is "LRS fail500: the next PUT is 500" "500 0" "$(xput "$U5" "$s5")"
is "LRS fail500 count 1: the one after is 204" "204 0" "$(xput "$U5" "$s5")"
is "LRS: the statement that met the 500 is stored once" "1" "$(received "r.lrs.statements.filter((s) => s.id === \"$U5\").length")"
control '{"mode":"fail500","count":1}' >/dev/null
is "a failure mode of /events leaves the LRS alone" "204 0" "$(xput "$U5" "$s5")"
is "... and still takes the next event" "500 0" "$(send cmp_7 "$(event cmp_7 NV-1)")"
lcontrol '"mode":"fail429","count":1' >/dev/null
is "LRS fail429: 429" "429 0" "$(xput "$U5" "$s5")"
has "LRS fail429: with Retry-After" "retry-after: 1" "$(tr 'A-Z' 'a-z' <"$tmp/xhead")"
lcontrol '"mode":"reject400","count":1' >/dev/null
is "LRS reject400: 400" "400 0" "$(xput "$U5" "$s5")"
lcontrol '"mode":"drop","count":1' >/dev/null
is "LRS drop: the connection closes with no answer (curl exit 52)" "000 52" "$(xput "$U5" "$s5")"
lcontrol '"mode":"timeout","count":1,"delay_ms":5000' >/dev/null
t0=$(date +%s%N)
is "LRS timeout: curl -m 2 times out (exit 28)" "000 28" "$(xput "$U5" "$s5" -m 2)"
t1=$(date +%s%N)
ok "LRS timeout: curl waited its 2 s, not the 5 s hold" test $(((t1 - t0) / 1000000)) -lt 4500
s6=$(stmt "$U1" NV-9 | sed 's/061de2e1-1df1-5501-ac58-519bed13cc99/0b7ab1f6-62a4-5d8c-b8f3-2f5e6b7b9e21/')
lcontrol '"mode":"slow","count":1,"delay_ms":1500' >/dev/null
t0=$(date +%s%N)
is "LRS slow: stored, answered 204 late" "204 0" "$(xput 0b7ab1f6-62a4-5d8c-b8f3-2f5e6b7b9e21 "$s6")"
t1=$(date +%s%N)
ok "LRS slow: the answer took the 1.5 s delay" test $(((t1 - t0) / 1000000)) -ge 1400
is "LRS: the injected failures are counted apart from those of /events" \
	'[{"fail500":1,"fail429":1,"reject400":1,"drop":1,"timeout":1,"slow":1},1]' \
	"$(received '[r.lrs.injected, r.injected.fail500]')"
is "LRS: six statements stored, each once" "[6,6]" \
	"$(received '[r.lrs.statements.length, new Set(r.lrs.statements.map((s) => s.id)).size]')"
is "the --lrs-state file holds one JSON line per stored statement" "6" "$(wc -l <"$tmp/lrs.jsonl" | tr -d ' ')"

# ---- LRS: restart, reset ----
stop
start --lrs-user "$LRSUSER" --lrs-password "$LRSPASS" --lrs-state "$tmp/lrs.jsonl"
is "LRS: restarted on the same --lrs-state, it knows its 6 statements" "[6,6]" \
	"$(received '[r.lrs.statements.length, r.lrs.restored]')"
is "LRS: restarted, a repeat is 204" "204 0" "$(xput "$U1" "$s1")"
is "LRS: restarted, a conflict is 409" "409 0" "$(xput "$U1" "$(stmt "$U1" NV-1 failed)")"
is "POST /_reset is 200" "200" "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -X POST "$base/_reset")"
is "after /_reset the LRS is empty, its state file too" "[0,0]" \
	"[$(received 'r.lrs.statements.length'),$(wc -c <"$tmp/lrs.jsonl" | tr -d ' ')]"
stop
is "SIGTERM stops the receiver with the LRS on" "stopped" "$gone"

# the LRS alone: no --secret, /events is 404
: >"$tmp/out"
node "$here/receiver.mjs" --port 0 --lrs-user "$LRSUSER" --lrs-password "$LRSPASS" --max-seconds 30 \
	>"$tmp/out" 2>>"$tmp/err" &
pid=$!
for _ in $(seq 1 50); do grep -q port "$tmp/out" && break; sleep 0.1; done
port=$(sed -n 's/.*"port":\([0-9][0-9]*\).*/\1/p' "$tmp/out")
base=http://127.0.0.1:$port
url=$base/events
is "LRS without --secret: a PUT is 204" "204 0" "$(xput "$U1" "$s1")"
is "LRS without --secret: /events is 404" "404 0" "$(send cmp_1 "$b1")"
stop

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
