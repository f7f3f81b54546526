#!/usr/bin/env bash
# The database dies (kill -9 of the embedded postmaster) in the middle of a learner's session:
# commits sent while it is down get 503 and are retried by the client as the launcher does;
# every commit the server acknowledged — before, during and after — is in the stored state,
# none twice, and the run-time log has one row per applied batch.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
trap 'pl_stop >/dev/null 2>&1' EXIT

pl_start >/dev/null || exit 1
(cd "$src/content/courses/5s-scorm12" && zip -qr "$PL_DATA/5s.zip" .)
pl_cli package import "$PL_DATA/5s.zip" --course c12 >/dev/null
pl_user hv learner 'Mat-khau-dai-123' >/dev/null
curl -s -c "$PL_DATA/cj" -H 'Content-Type: application/json' \
	-d '{"username":"hv","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login" -o "$PL_DATA/me.json"
csrf=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["csrf_token"])' "$PL_DATA/me.json")
launch() {
	curl -s -b "$PL_DATA/cj" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d '{"course":"c12"}' "$PL_URL/api/launch" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["launch_token"])'
}
rt() { # path body → "status body"
	curl -s -m 10 -o "$PL_DATA/rt.out" -w '%{http_code}' -H 'Content-Type: text/plain' \
		-H "Origin: $PL_CONTENT_URL" -d "$2" "$PL_URL$1"
}
T=$(launch)
is "a launch token" "43" "${#T}"
is "init answers" "200" "$(rt /api/rt/init "{\"t\":\"$T\"}")"

# 40 commits; the postmaster is killed before the 15th. A failed commit is sent again (same
# seq, same content), as the launcher does, until acknowledged.
retries=0
unavailable=0
for s in $(seq 1 40); do
	if [ "$s" -eq 15 ]; then
		pm=$(pgrep -x postgres | while read -r p; do
			tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF "$PL_DATA/" && echo "$p"; done | head -1)
		kill -KILL "$pm"
	fi
	body="{\"t\":\"$T\",\"batches\":[{\"seq\":$s,\"changes\":[[\"cmi.suspend_data\",\"s$s\"],[\"cmi.core.lesson_location\",\"p$s\"]]}]}"
	for try in $(seq 1 120); do
		st=$(rt /api/rt/commit "$body")
		[ "$st" = "200" ] && break
		[ "$st" = "503" ] && unavailable=$((unavailable + 1))
		retries=$((retries + 1))
		sleep 0.25
	done
	[ "$st" = "200" ] || break
done
is "every commit was acknowledged in the end" "200" "$st"
ok "some commits met the database down ($unavailable answers 503, $retries retries)" test "$unavailable" -gt 0
is "the last acknowledgement is for seq 40" "40" "$(python3 -c 'import json;print(json.load(open("'"$PL_DATA"'/rt.out"))["acked"])')"

# Finish with suspend; a new launch resumes with the state of the last commit.
is "finish" "200" "$(rt /api/rt/commit "{\"t\":\"$T\",\"finish\":true,\"batches\":[{\"seq\":41,\"changes\":[[\"cmi.core.exit\",\"suspend\"]]}]}")"
T2=$(launch)
rt /api/rt/init "{\"t\":\"$T2\"}" >/dev/null
state=$(python3 -c 'import json;c=json.load(open("'"$PL_DATA"'/rt.out"))["cmi"];print(c["cmi.suspend_data"], c["cmi.core.lesson_location"], c["cmi.core.entry"])')
is "the stored state is that of the last acknowledged commit" "s40 p40 resume" "$state"
rows=$(psql -X -At "host=$PL_DATA/var/pg/run dbname=parlearn user=postgres" \
	-c "SELECT count(*), count(DISTINCT seq_from), min(seq_from), max(seq_to) FROM runtime_log" 2>&1)
is "the run-time log has each batch once" "41|41|1|41" "$rows"
finish
