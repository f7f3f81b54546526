#!/usr/bin/env bash
# A person's learning record (GET /api/people/learning, docs/reports.md "A person's record"):
# the learner's HR officer and an admin read it; a neighbouring ward's officer and the learner
# get 403, an unknown code 404, a malformed one 422, no session 401; the identification number
# never appears; each read is in the audit log; and the figures are those of the enrolment,
# of the time endpoint (sessions measured over real heartbeats, the content's session time)
# and of the completion row; an overdue assignment says so; quizzes are shown, an exam only
# once its results are published.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

pl_start >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -At -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code Q1 --name "Ủy ban nhân dân phường Sài Gòn" --kind ward --parent HCM >/dev/null
pl_cli unit create --code Q3 --name "Ủy ban nhân dân phường Bàn Cờ" --kind ward --parent HCM >/dev/null
(cd "$src/content/courses/5s-scorm12" && zip -qr "$PL_DATA/5s.zip" .)
pl_cli package import "$PL_DATA/5s.zip" --course 5s-scorm12 >/dev/null 2>&1
printf '079000000301\n' | pl_cli person create --employee-code NV-301 --unit Q1 --name "Trần Thị Hồ Sơ" \
	--position "Chuyên viên" --par-role dedicated >/dev/null
printf '079000000302\n' | pl_cli person create --employee-code NV-302 --unit Q1 --name "Võ Văn Chưa Có" >/dev/null
pw() { printf 'Mat-khau-dai-123\n'; }
pw | pl_cli user create --username hv1 --role learner --person NV-301 --password-stdin >/dev/null
pw | pl_cli user create --username hrq1 --role hr_officer --scope Q1 --password-stdin >/dev/null
pw | pl_cli user create --username hrq3 --role hr_officer --scope Q3 --password-stdin >/dev/null
pw | pl_cli user create --username admin1 --role admin --password-stdin >/dev/null

login() {
	curl -s -c "$PL_DATA/cj.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])' >"$PL_DATA/csrf.$1"
}
get() { curl -s -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
code() { curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
js() { python3 -c "import json,sys;d=json.load(sys.stdin);print($1)"; }
for u in hv1 hrq1 hrq3 admin1; do login "$u"; done

# hv1 learns: a launch, two heartbeats some seconds apart (real server time), then the SCO
# finishes with its own session time of 30 s.
csrf=$(cat "$PL_DATA/csrf.hv1")
t=$(curl -s -b "$PL_DATA/cj.hv1" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d '{"course":"5s-scorm12","nav":"start"}' "$PL_URL/api/launch" | js 'd["launch_token"]')
curl -s -o /dev/null -H 'Content-Type: text/plain' -d "{\"t\":\"$t\"}" "$PL_URL/api/rt/init"
for i in 1 2; do
	sleep 5.5
	curl -s -o /dev/null -H 'Content-Type: text/plain' \
		-d "{\"t\":\"$t\",\"visible\":true,\"idle_ms\":500,\"hidden_ms\":0}" "$PL_URL/api/rt/beat"
done
curl -s -o /dev/null -H 'Content-Type: text/plain' \
	-d "{\"t\":\"$t\",\"finish\":true,\"batches\":[{\"seq\":1,\"changes\":[[\"cmi.core.lesson_status\",\"passed\"],[\"cmi.core.score.raw\",\"85\"],[\"cmi.core.session_time\",\"00:00:30\"]]}]}" \
	"$PL_URL/api/rt/commit"

# An assigned course past its deadline, a quiz result, and an exam whose results are not out.
sql "WITH c AS (INSERT INTO course (code, title) VALUES ('HSQH', 'Kỹ năng soạn thảo văn bản') RETURNING id)
	INSERT INTO course_version (course_id, version_no, kind, title, package_sha256, storage_key, file_count,
	  total_bytes, imported_by, training_periods)
	SELECT id, 1, 'native', 'Kỹ năng soạn thảo văn bản', repeat('c', 64), 'hsqhpersontestxxxxxxx', 1, 1, 'test', 6 FROM c" >/dev/null
sql "INSERT INTO enrolment (user_id, course_id, version_id, source, assigned_by, due_at, enrolled_at)
	SELECT u.id, c.id, v.id, 'assigned', 'hrq1', '2024-03-15', '2024-01-10 09:00+07' FROM app_user u, course c
	JOIN course_version v ON v.course_id = c.id WHERE u.username = 'hv1' AND c.code = 'HSQH'" >/dev/null
asm() { # asm CODE KIND TITLE
	sql "INSERT INTO assessment (code, kind, title, unit_id, status, opens_at, closes_at, max_attempts, pass_fraction,
	  show_score, show_answers, show_feedback, created_by)
	SELECT '$1', '$2', '$3', id, 'closed', '2025-03-01 08:00+07', '2025-03-01 11:00+07', 1, 0.5,
	  'after_publish', 'after_publish', 'after_publish', 'test' FROM org_unit WHERE code = 'Q1'" >/dev/null
	sql "INSERT INTO attempt (assessment_id, user_id, person_id, unit_id, attempt_no, seed, started_at, submitted_at,
	  submitted_by, max_score, score, fraction, passed, graded_at)
	SELECT a.id, u.id, u.person_id, NULL::bigint, 1, 7, '2025-03-01 09:00+07', '2025-03-01 10:00+07', 'learner', 20, 16, 0.8,
	  true, '2025-03-01 10:00+07' FROM assessment a, app_user u WHERE a.code = '$1' AND u.username = 'hv1'" >/dev/null
}
asm HSQZ quiz "Kiểm tra nhanh chương 1"
asm HSEX exam "Sát hạch chuyên viên CCHC"

U=/api/people/learning?employee_code=NV-301
r=$(get hrq1 "$U")
is "the learner's HR officer reads the record" "200" "$(code hrq1 "$U")"
is "it names the person, their unit and account" "Trần Thị Hồ Sơ|Q1|dedicated|hv1" \
	"$(printf '%s' "$r" | js 'd["person"]["full_name"]+"|"+d["person"]["unit_code"]+"|"+d["person"]["par_role"]+"|"+d["account"]')"
hasnt "the identification number is never in it" "079000000301" "$(get hrq1 "$U")$(get admin1 "$U")"
hasnt "nor a field for it" '"pin"' "$r"

# The course's figures are the time endpoint's and the completion's.
time=$(get hrq1 "/api/my/time?course=5s-scorm12&user=hv1")
course() { printf '%s' "$r" | js "[e for e in d['enrolments'] if e['course_code']=='$1'][0]$2"; }
act=$(course 5s-scorm12 '["active_s"]')
ok "heartbeats made some active time ($act s)" test "$act" -ge 5
is "active time equals the sessions' sum (GET /api/my/time)" "$(printf '%s' "$time" | js 'd["active_s"]')" "$act"
is "reported time too: the SCO's 30 s" "30|30" "$(printf '%s' "$time" | js 'd["reported_s"]')|$(course 5s-scorm12 '["reported_s"]')"
is "and the session count" "$(printf '%s' "$time" | js 'len(d["sessions"])')" "$(course 5s-scorm12 '["sessions"]')"
is "active time equals the enrolment's as the learner sees it" \
	"$(get hv1 /api/my/courses | js '[e for e in d["enrolments"] if e["course_code"]=="5s-scorm12"][0]["active_s"]')" "$act"
is "what the completion recorded (what the HR report counts)" \
	"$(sql "SELECT active_s || '|' || reported_s FROM completion")" \
	"$(course 5s-scorm12 '["completion_active_s"]')|$(course 5s-scorm12 '["completion_reported_s"]')"
is "completed, passed, not overdue" "completed|True|False" \
	"$(course 5s-scorm12 '["status"]')|$(course 5s-scorm12 '["passed"]')|$(course 5s-scorm12 '["overdue"]')"
is "its certificate's serial" "$(sql "SELECT serial FROM certificate")" "$(course 5s-scorm12 '["certificate"]["serial"]')"
is "the assigned course past its deadline is overdue" "assigned|2024-03-15|True|6|0" \
	"$(course HSQH '["source"]')|$(course HSQH '["due_at"]')|$(course HSQH '["overdue"]')|$(course HSQH '["training_periods"]')|$(course HSQH '["periods_credited"]')"
is "the quiz's result is shown, the unpublished exam's is not" "HSQZ:80.0:True" \
	"$(printf '%s' "$r" | js '",".join("%s:%.1f:%s" % (x["code"], x["score_percent"], x["passed"]) for x in d["exams"])')"
sql "UPDATE assessment SET results_published_at = now(), results_published_by = 'test' WHERE code = 'HSEX'" >/dev/null
is "once published, the exam's is" "HSEX,HSQZ" \
	"$(get hrq1 "$U" | js '",".join(sorted(x["code"] for x in d["exams"]))')"

# Who may read it.
is "a neighbouring ward's HR officer may not (403)" "403" "$(code hrq3 "$U")"
is "with the field at fault" "forbidden|employee_code" "$(get hrq3 "$U" | js 'd["code"]+"|"+d["field"]')"
is "nor the learner, even their own (403)" "403" "$(code hv1 "$U")"
is "an admin may" "200" "$(code admin1 "$U")"
is "an unknown code: 404" "404|not_found" "$(code hrq1 /api/people/learning?employee_code=NV-999)|$(get hrq1 /api/people/learning?employee_code=NV-999 | js 'd["code"]')"
is "a learner asking about an unknown code still gets 403 (no probing)" "403" "$(code hv1 /api/people/learning?employee_code=NV-999)"
is "a malformed code: 422" "422|employee_code" "$(code hrq1 '/api/people/learning?employee_code=a%20b')|$(get hrq1 '/api/people/learning?employee_code=a%20b' | js 'd["field"]')"
is "no code: 422" "422" "$(code hrq1 /api/people/learning)"
is "a code too long: 422" "422" "$(code hrq1 "/api/people/learning?employee_code=$(printf 'A%.0s' $(seq 1 60))")"
is "no session: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL$U")"
is "a person without an account: no courses, no results" "None|0|0" \
	"$(get hrq1 /api/people/learning?employee_code=NV-302 | js 'str(d["account"])+"|"+str(len(d["enrolments"]))+"|"+str(len(d["exams"]))')"

# The audit log: every record read, by whom, of whom; nothing for a refusal.
is "each read by hrq1 is in the audit log, with whose record" "NV-301:4,NV-302:1" \
	"$(sql "SELECT string_agg(c || ':' || n, ',' ORDER BY c) FROM (SELECT params->>'employee_code' AS c, count(*) AS n FROM audit_log WHERE action = 'person.learning' AND actor = 'hrq1' GROUP BY 1) x")"
is "with the account, the address and the request id" "1|1|1" \
	"$(sql "SELECT bool_and(user_id = (SELECT id FROM app_user WHERE username = 'hrq1'))::int || '|' || bool_and(client_addr IS NOT NULL)::int || '|' || bool_and(request_id ~ '^[0-9a-f]{16}$')::int FROM audit_log WHERE action = 'person.learning' AND actor = 'hrq1'")"
is "refusals are not records read" "0" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.learning' AND actor IN ('hrq3', 'hv1')")"

finish
