#!/usr/bin/env bash
# xAPI export (docs/personnel-sync.md, "xAPI"): real course completions reach a Learning
# Record Store (the reference receiver in LRS mode) as xAPI 1.0.3 statements, through LRS
# failures, exactly once as the LRS sees it (the statement id is a UUID v5 of the event id,
# so a resend is the same statement); certificate events are skipped; an event the builder
# cannot turn into a statement, or an LRS that refuses the credentials, makes a dead letter;
# `parlearn serve` sends by itself when PARLEARN_XAPI_URL is set. No PIN leaves.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

RPID=
cleanup() {
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	pl_stop >/dev/null 2>&1
}
trap cleanup EXIT
pl_start >/dev/null || exit 1
sql() { psql -X -At -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
(cd "$src/content/courses/5s-scorm12" && zip -qr "$PL_DATA/5s.zip" .)
pl_cli package import "$PL_DATA/5s.zip" --course 5s-scorm12 >/dev/null
complete() { # username
	local cj=$PL_DATA/cj.$1 csrf t
	csrf=$(curl -s -c "$cj" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])')
	t=$(curl -s -b "$cj" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d '{"course":"5s-scorm12","nav":"start"}' "$PL_URL/api/launch" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["launch_token"])')
	curl -s -o /dev/null -H 'Content-Type: text/plain' -d "{\"t\":\"$t\"}" "$PL_URL/api/rt/init"
	curl -s -o /dev/null -H 'Content-Type: text/plain' \
		-d "{\"t\":\"$t\",\"finish\":true,\"batches\":[{\"seq\":1,\"changes\":[[\"cmi.core.lesson_status\",\"passed\"],[\"cmi.core.score.raw\",\"85\"]]}]}" \
		"$PL_URL/api/rt/commit"
}
for i in 1 2 3; do
	printf '0990000001%02d\n' "$i" | pl_cli person create --employee-code "NV-X$i" --unit HCM \
		--name "Người Học $i" >/dev/null
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "hx$i" --role learner \
		--person "NV-X$i" --password-stdin >/dev/null
done
complete hx1
complete hx2
is "two completions, two events" "2" "$(sql "SELECT count(*) FROM sync_outbox")"
# A certificate event (no xAPI form) and an event whose payload lacks what a statement needs.
sql "INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, occurred_at, payload)
     SELECT 'crt_1', 'certificate_issued', id, employee_code, now(),
            '{\"version\":1,\"event_id\":\"crt_1\",\"kind\":\"certificate_issued\",\"employee_code\":\"NV-X1\"}'
       FROM person WHERE employee_code = 'NV-X1'" >/dev/null
sql "INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, occurred_at, payload)
     SELECT 'cmp_999', 'course_completion', id, employee_code, now(),
            '{\"version\":1,\"event_id\":\"cmp_999\",\"kind\":\"course_completion\",\"employee_code\":\"NV-X2\"}'
       FROM person WHERE employee_code = 'NV-X2'" >/dev/null

# The LRS.
node "$src/tests/sync/receiver.mjs" --lrs-user parlearn --lrs-password 'lrs-pass-123' --port 0 \
	>"$PL_DATA/receiver.out" 2>"$PL_DATA/receiver.err" </dev/null &
RPID=$!
for i in $(seq 1 50); do [ -s "$PL_DATA/receiver.out" ] && break; sleep 0.1; done
LRS=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["lrs"])' "$PL_DATA/receiver.out")
RBASE=${LRS%/xapi/}
received() { curl -s "$RBASE/_received"; }
export PARLEARN_XAPI_URL=$LRS PARLEARN_XAPI_USER=parlearn PARLEARN_XAPI_PASSWORD='lrs-pass-123' \
	PARLEARN_XAPI_ACTOR_HOMEPAGE=https://nhansu.hochiminhcity.gov.vn PARLEARN_PUBLIC_URL=https://parlearn.example.vn \
	PARLEARN_SYNC_BACKOFF_MS=100 PARLEARN_SYNC_TIMEOUT_MS=1500
xapi_once() { pl_cli sync xapi --once 2>>"$PL_DATA/xapi.log"; }
pending() { sql "SELECT count(*) FROM sync_outbox WHERE xapi_state = 'pending'"; }

# 1. The LRS fails twice with 500, then answers: everything arrives, once.
curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"endpoint":"lrs","mode":"fail500","count":2}' "$RBASE/_control"
out=$(xapi_once)
has "a pass reports what it did" "to retry" "$out"
for i in $(seq 1 40); do [ "$(pending)" = "0" ] && break; sleep 0.3; xapi_once >/dev/null; done
is "nothing is left pending" "0" "$(pending)"
r=$(received)
is "the LRS holds two statements" "2" "$(printf '%s' "$r" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["lrs"]["statements"]))')"
is "it met the two failures" "2" "$(printf '%s' "$r" | python3 -c 'import json,sys;print(json.load(sys.stdin)["lrs"]["injected"].get("fail500",0))')"
want=$(sql "SELECT string_agg(event_id, ' ' ORDER BY seq) FROM sync_outbox WHERE kind = 'course_completion' AND event_id <> 'cmp_999'")
ids=$(python3 -c '
import sys, uuid
ns = uuid.UUID("4e9a40c6-26f8-598e-a1a0-852903f04925")
print(" ".join(sorted(str(uuid.uuid5(ns, e)) for e in sys.argv[1].split())))' "$want")
is "statement ids are UUID v5 of the event ids (anyone can recompute them)" "$ids" \
	"$(printf '%s' "$r" | python3 -c 'import json,sys;print(" ".join(sorted(s["id"] for s in json.load(sys.stdin)["lrs"]["statements"])))')"
st=$(printf '%s' "$r" | python3 -c 'import json,sys;print(json.dumps(json.load(sys.stdin)["lrs"]["statements"][0]["statement"], ensure_ascii=False))')
has "the actor is the employee code on the personnel system's account" '"account": {"homePage": "https://nhansu.hochiminhcity.gov.vn", "name": "NV-X' "$st"
has "the verb is completed" '"id": "http://adlnet.gov/expapi/verbs/completed"' "$st"
has "the object is the course version at parlearn's public address" '"id": "https://parlearn.example.vn/xapi/course/5s-scorm12/1"' "$st"
has "the result carries the server-measured duration" '"duration": "PT' "$st"
hasnt "no identification number is sent" "0990000001" "$r"
is "the certificate event is skipped, not sent" "skipped" "$(sql "SELECT xapi_state FROM sync_outbox WHERE event_id = 'crt_1'")"
is "an event that cannot become a statement is a dead letter, with the reason" "dead|t" \
	"$(sql "SELECT xapi_state, xapi_last_error LIKE 'cannot make the statement%' FROM sync_outbox WHERE event_id = 'cmp_999'")"
is "the push state is untouched by the xAPI delivery" "2" "$(sql "SELECT count(*) FROM sync_outbox WHERE state = 'pending' AND kind = 'course_completion' AND event_id <> 'cmp_999'")"

# 2. Sent again (a lost answer, an operator's resend): the LRS answers 204 and keeps one.
sql "UPDATE sync_outbox SET xapi_state = 'pending', xapi_next_at = now() WHERE event_id = '$(echo "$want" | cut -d' ' -f1)'" >/dev/null
xapi_once >/dev/null
r=$(received)
is "still two statements at the LRS" "2" "$(printf '%s' "$r" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["lrs"]["statements"]))')"
is "the repeat was a duplicate, answered as delivered" "1|0" \
	"$(printf '%s' "$r" | python3 -c 'import json,sys;print(json.load(sys.stdin)["lrs"]["duplicates"])')|$(pending)"

# 3. Wrong credentials: a dead letter at once, not retried for days.
complete hx3
PARLEARN_XAPI_PASSWORD=wrong xapi_once >/dev/null
is "a 401 from the LRS makes a dead letter" "dead|HTTP 401" \
	"$(sql "SELECT o.xapi_state, o.xapi_last_error FROM sync_outbox o WHERE o.employee_code = 'NV-X3'")"
hasnt "the LRS password is not in the log" "lrs-pass-123" "$(cat "$PL_DATA/xapi.log" "$PL_LOG")"

# 4. Missing settings are named.
out=$(PARLEARN_XAPI_ACTOR_HOMEPAGE= pl_cli sync xapi --once 2>&1)
has "a missing actor home page is named" "PARLEARN_XAPI_ACTOR_HOMEPAGE is not set" "$out"

# 5. The server's own worker sends, when configured.
sql "UPDATE sync_outbox SET xapi_state = 'pending', xapi_next_at = now() WHERE employee_code = 'NV-X3'" >/dev/null
kill -TERM "$PL_PID"
wait "$PL_PID" 2>/dev/null
"$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" --content-port "$PL_CONTENT_PORT" >>"$PL_LOG" 2>&1 &
PL_PID=$!
for i in $(seq 1 300); do curl -fsS "$PL_URL/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
for i in $(seq 1 100); do
	n=$(received | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["lrs"]["statements"]))')
	[ "$n" = "3" ] && break
	sleep 0.2
done
is "parlearn serve delivered the third learner's statement by itself" "3" "$n"
has "and said so in its log" "xapi: sending training records as xAPI statements" "$(cat "$PL_LOG")"

finish
