#!/usr/bin/env bash
# Delivery of training records to the personnel system (docs/personnel-sync.md), against the
# project's reference receiver (tests/sync/receiver.mjs), through failures: answers 500 and
# 429, dropped connections, timeouts, a 400 (dead letter, then retried by the operator), and
# `parlearn sync run` killed in the middle of a slow delivery. At the end every completion's
# event has arrived exactly once (deduplicated by its id), each person's events in order,
# and every outbox row says delivered.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
RPID=
cleanup() {
	[ -n "$RPID" ] && kill -TERM "$RPID" 2>/dev/null && wait "$RPID" 2>/dev/null
	pl_stop >/dev/null 2>&1
}
trap cleanup EXIT
command -v node >/dev/null || { echo "sync_delivery.sh: node is missing; skipping"; echo "0 passed, 0 failed"; exit 0; }

pl_start >/dev/null || exit 1
sql() { psql -X -At -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }

# Six learners with roster people, each completing two courses: twelve events.
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
for c in 5s-scorm12 mot-cua-scorm2004; do
	(cd "$src/content/courses/$c" && zip -qr "$PL_DATA/$c.zip" .)
	pl_cli package import "$PL_DATA/$c.zip" --course "$c" >/dev/null
done
complete() { # username course sco-changes-json
	local cj=$PL_DATA/cj.$1 csrf t
	csrf=$(curl -s -c "$cj" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])')
	t=$(curl -s -b "$cj" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d "{\"course\":\"$2\",\"nav\":\"choice\",\"item\":\"$3\"}" "$PL_URL/api/launch" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["launch_token"])')
	curl -s -o /dev/null -H 'Content-Type: text/plain' -d "{\"t\":\"$t\"}" "$PL_URL/api/rt/init"
	curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' \
		-d "{\"t\":\"$t\",\"finish\":true,\"batches\":[{\"seq\":1,\"changes\":$4}]}" "$PL_URL/api/rt/commit"
}
for i in 1 2 3 4 5 6; do
	printf '0990000000%02d\n' "$i" | pl_cli person create --employee-code "NV-$i" --unit HCM \
		--name "Người Học $i" >/dev/null
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "hv$i" --role learner \
		--person "NV-$i" --password-stdin >/dev/null
	complete "hv$i" 5s-scorm12 ITEM-5S '[["cmi.core.lesson_status","passed"],["cmi.core.score.raw","90"]]' >/dev/null
	for item in ITEM-GIOI-THIEU ITEM-QUY-TRINH ITEM-KIEM-TRA; do
		complete "hv$i" mot-cua-scorm2004 "$item" '[["cmi.completion_status","completed"],["cmi.success_status","passed"],["cmi.exit","normal"]]' >/dev/null
	done
done
is "twelve completions" "12" "$(sql "SELECT count(*) FROM completion")"
is "each wrote one pending event" "12" "$(sql "SELECT count(*) FROM sync_outbox WHERE state = 'pending'")"

# The receiver, with a fresh secret.
SECRET="whsec_$(head -c 24 /dev/urandom | base64)"
node "$src/tests/sync/receiver.mjs" --secret "$SECRET" --port 0 >"$PL_DATA/receiver.out" 2>"$PL_DATA/receiver.err" &
RPID=$!
for i in $(seq 1 50); do [ -s "$PL_DATA/receiver.out" ] && break; sleep 0.1; done
RURL=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["url"])' "$PL_DATA/receiver.out")
RBASE=${RURL%/events}
control() { curl -s -o /dev/null -H 'Content-Type: application/json' -d "$1" "$RBASE/_control"; }
export PARLEARN_SYNC_SECRET=$SECRET PARLEARN_SYNC_BACKOFF_MS=100 PARLEARN_SYNC_TIMEOUT_MS=1500
sync_once() { pl_cli sync run --once --url "$RURL" 2>>"$PL_DATA/sync.log"; }
pending() { sql "SELECT count(*) FROM sync_outbox WHERE state = 'pending'"; }
# What the receiver holds: its course completions, and whether any event came twice. (The
# server also issues a certificate for each completion a minute or so after it, each with an
# event of its own: when the machine is slow they join in, so completions are counted.)
received() {
	curl -s "$RBASE/_received" | python3 -c '
import json, sys
ev = json.load(sys.stdin)["events"]
kinds = [(e["body"] if isinstance(e["body"], dict) else json.loads(e["body"]))["kind"] for e in ev]
print(kinds.count("course_completion"), "once" if len(ev) == len({e["id"] for e in ev}) else "twice")'
}
drain() { # until nothing is pending (retries wait 100 ms and more)
	local i
	for i in $(seq 1 60); do
		sync_once >/dev/null
		[ "$(pending)" = "0" ] && return 0
		sleep 0.3
	done
	return 1
}

# 1. Errors the receiver may answer, then ok: everything arrives.
control '{"mode":"fail500","count":3}'
out=$(sync_once)
has "a first run reports retries" "to retry 3" "$out"
control '{"mode":"fail429","count":2}'
sync_once >/dev/null
control '{"mode":"drop","count":2}'
sync_once >/dev/null
control '{"mode":"timeout","count":1,"delay_ms":4000}'
sync_once >/dev/null
control '{"mode":"ok"}'
ok "after the failures, everything is delivered" drain
got=$(curl -s "$RBASE/_received")
is "the receiver has the twelve completions, and no event twice" "12 once" "$(received)"
ok "some events needed several attempts" test "$(sql "SELECT max(attempts) FROM sync_outbox")" -ge 2
is "all twelve marked delivered" "12" "$(sql "SELECT count(*) FROM sync_outbox WHERE kind = 'course_completion' AND state = 'delivered' AND delivered_at IS NOT NULL")"
is "nothing else left behind" "0" "$(sql "SELECT count(*) FROM sync_outbox WHERE state <> 'delivered'")"
order=$(printf '%s' "$got" | python3 -c '
import json, sys
ev = json.load(sys.stdin)["events"]
last = {}
ok = True
for e in ev:
    b = e["body"] if isinstance(e["body"], dict) else json.loads(e["body"])
    if b["kind"] != "course_completion":
        continue
    seq = int(b["event_id"].split("_")[1])
    if seq < last.get(b["employee_code"], 0): ok = False
    last[b["employee_code"]] = seq
print("in order" if ok else "out of order")')
is "each person's events arrived in order" "in order" "$order"

# 2. A 400 makes a dead letter, which holds back that person's later events; the operator
#    retries it.
sql "DELETE FROM completion" >/dev/null 2>&1 # refused: append-only
is "completions cannot be deleted" "12" "$(sql "SELECT count(*) FROM completion")"
printf '099000000007\n' | pl_cli person create --employee-code NV-7 --unit HCM --name "Người Học 7" >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hv7 --role learner --person NV-7 --password-stdin >/dev/null
complete hv7 5s-scorm12 ITEM-5S '[["cmi.core.lesson_status","passed"]]' >/dev/null
complete hv7 mot-cua-scorm2004 ITEM-KIEM-TRA '[["cmi.completion_status","completed"],["cmi.success_status","passed"],["cmi.exit","normal"]]' >/dev/null
for item in ITEM-GIOI-THIEU ITEM-QUY-TRINH; do
	complete hv7 mot-cua-scorm2004 "$item" '[["cmi.completion_status","completed"],["cmi.success_status","passed"],["cmi.exit","normal"]]' >/dev/null
done
control '{"mode":"reject400","count":1}'
out=$(sync_once)
has "a 400 is a dead letter" "dead 1" "$out"
is "the person's later completion waits behind it" "1" "$(sql "SELECT count(*) FROM sync_outbox WHERE state = 'pending' AND kind = 'course_completion'")"
out=$(pl_cli sync retry-dead)
has "retry-dead makes it pending" "1 dead event(s) pending again" "$out"
ok "then both arrive" drain
is "fourteen completions at the receiver, no event twice" "14 once" "$(received)"

# 3. The sender killed in the middle of a slow delivery: the next run sends again what was
#    not marked delivered; the receiver deduplicates by id, so nothing arrives twice.
printf '099000000008\n' | pl_cli person create --employee-code NV-8 --unit HCM --name "Người Học 8" >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hv8 --role learner --person NV-8 --password-stdin >/dev/null
complete hv8 5s-scorm12 ITEM-5S '[["cmi.core.lesson_status","passed"]]' >/dev/null
control '{"mode":"slow","delay_ms":3000}'
PARLEARN_SYNC_TIMEOUT_MS=10000 "$PARLEARN_BIN" sync run --once --url "$RURL" --data "$PL_DATA/var" >/dev/null 2>&1 &
spid=$!
sleep 2
kill -KILL "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
control '{"mode":"ok"}'
sleep 1.5
sql "UPDATE sync_outbox SET next_attempt_at = now() WHERE state = 'pending'" >/dev/null # the lease
ok "the next run delivers what the killed one left" drain
r=$(curl -s "$RBASE/_received")
is "fifteen completions, no event twice" "15 once" "$(received)"
is "every event delivered" "0" "$(sql "SELECT count(*) FROM sync_outbox WHERE state <> 'delivered'")"
hasnt "no identification number left parlearn" "0990000000" "$r"
hasnt "the secret is not in the sender's log" "${SECRET#whsec_}" "$(cat "$PL_DATA/sync.log")"

# 4. `parlearn serve` delivers by itself when PARLEARN_SYNC_URL is set.
kill -TERM "$PL_PID"
wait "$PL_PID" 2>/dev/null
PARLEARN_SYNC_URL=$RURL "$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" \
	--content-port "$PL_CONTENT_PORT" >>"$PL_LOG" 2>&1 &
PL_PID=$!
for i in $(seq 1 300); do curl -fs "$PL_URL/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
printf '099000000009\n' | pl_cli person create --employee-code NV-9 --unit HCM --name "Người Học 9" >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hv9 --role learner --person NV-9 --password-stdin >/dev/null
complete hv9 5s-scorm12 ITEM-5S '[["cmi.core.lesson_status","passed"]]' >/dev/null
pl_cli certificate issue >/dev/null # now, not at the server's next minute: the counts below stay put
for i in $(seq 1 120); do [ "$(pending)" = "0" ] && break; sleep 0.25; done
is "the server's own worker delivered the new completion" "0" "$(pending)"
# (From here on the server also issues certificates for the completions, each with its
# certificate_issued event: docs/certificates.md. Those are counted apart.)
cmp_count='import json,sys;e=[x for x in json.load(sys.stdin)["events"] if x["id"].startswith("cmp_")];print(len(e),len({x["id"] for x in e}))'
is "sixteen completion events at the receiver, each once" "16 16" "$(curl -s "$RBASE/_received" | python3 -c "$cmp_count")"
has "the server says it delivers" "sync: delivering training records" "$(cat "$PL_LOG")"
hasnt "and never logs the secret" "${SECRET#whsec_}" "$(cat "$PL_LOG")"

# 5. The pull API: the same events, by API key, paged with an opaque cursor, in the key's
#    unit subtree only, rate-limited.
KEY=$(pl_cli apikey create --name personnel --scope HCM)
pl_cli unit create --code KHAC --name "Đơn vị khác" --kind department --parent HCM >/dev/null
KEY2=$(pl_cli apikey create --name neighbour --scope KHAC)
get() { curl -s -H "Authorization: Bearer $1" "$PL_URL/api/hr/v1/training-records$2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$PL_URL/api/hr/v1/training-records$2"; }
is "no key: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/api/hr/v1/training-records")"
is "a made-up key: 401" "401" "$(code "plk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "")"
sleep 5.2 # events are served once they are 5 s old
all=$(after=""; while :; do
	page=$(get "$KEY" "?limit=5${after:+&after=$after}")
	printf '%s\n' "$page"
	[ "$(printf '%s' "$page" | python3 -c 'import json,sys;print(json.load(sys.stdin)["has_more"])')" = "True" ] || break
	after=$(printf '%s' "$page" | python3 -c 'import json,sys;print(json.load(sys.stdin)["next"])')
done)
routed=$(sql "SELECT count(*) FROM sync_outbox WHERE state <> 'unroutable' AND occurred_at < now() - interval '5 seconds'")
is "paging by 5 gives every routed event once, in order" "$routed $routed sorted 16" "$(printf '%s\n' "$all" | python3 -c '
import json, sys
recs = [r for l in sys.stdin if l.strip() for r in json.loads(l)["records"]]
ids = [r["event_id"] for r in recs]
seqs = [int(i.split("_")[1]) for i in ids if i.startswith("cmp_")]
print(len(ids), len(set(ids)), "sorted" if seqs == sorted(seqs) else "unsorted", len(seqs))')"
last=$(printf '%s\n' "$all" | tail -1 | python3 -c 'import json,sys;print(json.load(sys.stdin)["next"])')
is "an empty page gives the same cursor back" "$last 0" "$(get "$KEY" "?after=$last" | python3 -c 'import json,sys;d=json.load(sys.stdin);print(d["next"],len(d["records"]))')"
is "a key of another unit sees none of them" "0" "$(get "$KEY2" "" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["records"]))')"
is "a forged cursor: 400 invalid_cursor" "400" "$(code "$KEY" "?after=12")"
is "limit 0: 422" "422" "$(code "$KEY" "?limit=0")"
hasnt "no identification number in the records" "0990000000" "$all"
limited=0
for i in $(seq 1 40); do [ "$(code "$KEY2" "")" = "429" ] && limited=$((limited + 1)); done
ok "a flood of requests is rate-limited ($limited of 40 got 429)" test "$limited" -gt 0
pl_cli apikey revoke --name neighbour >/dev/null
sleep 1
is "a revoked key: 401" "401" "$(code "$KEY2" "")"

# 6. Reconciliation and re-sending a range.
st=$(pl_cli sync status)
has "the report has the city's line" "HCM" "$st"
n=$(sql "SELECT count(*) FROM sync_outbox")
is "its totals: produced, delivered, pending, dead, unroutable" "total $n $n 0 0 0" "$(printf '%s\n' "$st" | awk '$1 == "total" {print $1, $2, $3, $4, $5, $6}')"
is "a period with nothing in it" "total 0 0 0 0 0" "$(pl_cli sync status --from 2001-01-01 --to 2001-02-01 | awk '$1 == "total" {print $1, $2, $3, $4, $5, $6}')"
is "an inverted period is refused" "1" "$(pl_cli sync status --from 2026-02-01 --to 2026-01-01 >/dev/null 2>&1; echo $?)"
is "a unit with no events has no line" "total 0 0 0 0 0" "$(pl_cli sync status --unit KHAC | awk '$1 == "total" {print $1, $2, $3, $4, $5, $6}')"
has "resend a range" "3 event(s) to send again" "$(pl_cli sync resend --from 1 --to 3)"
for i in $(seq 1 120); do [ "$(pending)" = "0" ] && break; sleep 0.25; done
r=$(curl -s "$RBASE/_received")
is "the re-sent ones are answered as duplicates, nothing recorded twice" "16 16" "$(printf '%s' "$r" | python3 -c "$cmp_count")"
is "every event of the outbox (certificates too) is at the receiver exactly once" "$n $n" "$(printf '%s' "$r" | python3 -c 'import json,sys;e=json.load(sys.stdin)["events"];print(len(e),len({x["id"] for x in e}))')"
ok "the receiver saw the duplicates" test "$(printf '%s' "$r" | python3 -c 'import json,sys;print(json.load(sys.stdin)["duplicates"])')" -ge 3
finish
