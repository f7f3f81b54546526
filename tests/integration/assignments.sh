#!/usr/bin/env bash
# Assignment rules (docs/assignments.md): an HR officer assigns a course to the people of their
# unit subtree with a deadline, after a dry run that keeps nothing; people who join later are
# assigned when the rules are applied again; a self-enrolment is turned into an assigned one, a
# completed one and a deadline assigned already are left alone; an officer cannot assign
# outside their subtree nor see or end a neighbour's rules; bad input is refused with its field.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

pl_start >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -At -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
pl_cli unit create --code SNV-CCHC --name "Phòng Cải cách hành chính" --kind office --parent SNV >/dev/null
pl_cli unit create --code Q1 --name "Ủy ban nhân dân phường Sài Gòn" --kind ward --parent HCM >/dev/null
for c in 5s-scorm12 cchc-2021-2030; do
	"$PARLEARN_BIN" package build "$src/content/courses/$c" -o "$PL_DATA/$c.zip" >/dev/null
	pl_cli package import "$PL_DATA/$c.zip" --course "$c" >/dev/null 2>&1
done
n=0
person() { # code unit name position par_role [--leader] [account]
	n=$((n + 1))
	printf '07918%07d\n' "$n" | pl_cli person create --employee-code "$1" --unit "$2" --name "$3" \
		--position "$4" --par-role "$5" ${6:+"$6"} >/dev/null
}
account() { # username employee_code
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "$1" --role learner --person "$2" \
		--name "$1" --password-stdin >/dev/null
}
person NV-1 SNV "Trần Văn Một" "Phó Giám đốc" dedicated --leader
person NV-2 SNV-CCHC "Lê Thị Hai" "Chuyên viên" dedicated
person NV-3 SNV-CCHC "Phạm Văn Ba" "Chuyên viên" concurrent
person NV-4 SNV-CCHC "Ngô Thị Bốn" "Cán sự" none
person NV-5 SNV "Đỗ Văn Năm" "Chuyên viên" none
person Q1-1 Q1 "Võ Thị Sáu" "Chuyên viên" dedicated
account hv1 NV-1
account hv2 NV-2
account hv3 NV-3
account hv4 NV-4
account hq1 Q1-1
# NV-5 has no account yet
for u in hrsnv:SNV hrq1:Q1; do
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "${u%%:*}" --role hr_officer \
		--scope "${u##*:}" --name "${u%%:*}" --password-stdin >/dev/null
done

login() { # login USER -> cookie jar and CSRF token in $PL_DATA
	curl -s -c "$PL_DATA/cj.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])' >"$PL_DATA/csrf.$1"
}
for u in hrsnv hrq1 hv2 hv4; do login $u; done
post() { # post USER PATH JSON -> "status body"
	curl -s -w '\n%{http_code}' -b "$PL_DATA/cj.$1" -H "X-CSRF-Token: $(cat "$PL_DATA/csrf.$1")" \
		-H 'Content-Type: application/json' -d "$3" "$PL_URL$2" |
		python3 -c 'import sys; b=sys.stdin.read().rsplit("\n",1); print(b[1], b[0])'
}
get() { curl -s -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
tomorrow=$(TZ=Asia/Ho_Chi_Minh date -d tomorrow +%F)
yesterday=$(TZ=Asia/Ho_Chi_Minh date -d yesterday +%F)
due=$(TZ=Asia/Ho_Chi_Minh date -d '+30 days' +%F)

# Before the rule: hv2 enrolled herself; hv4 enrolled and completed (the SCO finished).
post hv2 /api/enrolments '{"course":"5s-scorm12"}' >/dev/null
csrf=$(cat "$PL_DATA/csrf.hv4")
post hv4 /api/enrolments '{"course":"5s-scorm12"}' >/dev/null
t=$(curl -s -b "$PL_DATA/cj.hv4" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d '{"course":"5s-scorm12","nav":"start"}' "$PL_URL/api/launch" |
	python3 -c 'import json,sys;print(json.load(sys.stdin)["launch_token"])')
curl -s -o /dev/null -H 'Content-Type: text/plain' -d "{\"t\":\"$t\"}" "$PL_URL/api/rt/init"
curl -s -o /dev/null -H 'Content-Type: text/plain' \
	-d "{\"t\":\"$t\",\"finish\":true,\"batches\":[{\"seq\":1,\"changes\":[[\"cmi.core.lesson_status\",\"completed\"]]}]}" \
	"$PL_URL/api/rt/commit"
is "hv2 is self-enrolled" "self" "$(sql "SELECT e.source FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv2'")"
is "hv4 completed the course" "t" "$(sql "SELECT e.completed_at IS NOT NULL FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv4'")"

# A dry run says what would happen and keeps nothing.
rule="{\"course\":\"5s-scorm12\",\"unit\":\"SNV\",\"due_on\":\"$due\",\"note\":\"Kế hoạch CCHC năm 2026\""
out=$(post hrsnv /api/assignments "$rule,\"dry_run\":true}")
is "a dry run answers 200" "200" "${out%% *}"
counts=$(printf '%s' "${out#* }" | field 'd["counts"]')
is "it counts the subtree's active people, who has no account, and what it would do" \
	"{'matched': 5, 'no_account': 1, 'enrolled': 2, 'converted': 1, 'untouched': 1}" "$counts"
is "and keeps no rule" "0" "$(sql "SELECT count(*) FROM assignment_rule")"
is "and no enrolment" "2" "$(sql "SELECT count(*) FROM enrolment")"

# The rule itself.
out=$(post hrsnv /api/assignments "$rule}")
is "the HR officer makes the rule: 201" "201" "${out%% *}"
rid=$(printf '%s' "${out#* }" | field 'd["id"]')
is "it did what the dry run said" "{'matched': 5, 'no_account': 1, 'enrolled': 2, 'converted': 1, 'untouched': 1}" \
	"$(printf '%s' "${out#* }" | field 'd["counts"]')"
is "hv1 and hv3 are enrolled by the rule, with its deadline" "hv1:assigned:$due:$rid,hv3:assigned:$due:$rid" \
	"$(sql "SELECT string_agg(u.username || ':' || e.source || ':' || e.due_at || ':' || e.rule_id, ',' ORDER BY u.username) FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username IN ('hv1', 'hv3')")"
is "hv2's self-enrolment is now assigned, with the deadline" "assigned:$due:$rid" \
	"$(sql "SELECT e.source || ':' || e.due_at || ':' || e.rule_id FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv2'")"
is "hv4's completed enrolment is left as it was" "self::" \
	"$(sql "SELECT e.source || ':' || coalesce(e.due_at::text, '') || ':' || coalesce(e.rule_id::text, '') FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv4'")"
is "nobody outside the subtree is enrolled" "0" "$(sql "SELECT count(*) FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hq1'")"
is "the learner sees it assigned, with the deadline, on their course list" "assigned $due" \
	"$(get hv2 /api/my/courses | field '" ".join([c["source"] + " " + c["due_at"] for c in d["enrolments"] if c["course_code"] == "5s-scorm12"])')"

# Scope.
is "an officer of Q1 cannot assign to SNV: 403" "403" "$(post hrq1 /api/assignments "$rule}" | cut -d' ' -f1)"
is "nor the SNV officer to Q1: 403" "403" \
	"$(post hrsnv /api/assignments "{\"course\":\"5s-scorm12\",\"unit\":\"Q1\",\"due_on\":\"$due\"}" | cut -d' ' -f1)"
is "a learner cannot assign: 403" "403" "$(post hv2 /api/assignments "$rule}" | cut -d' ' -f1)"
is "the SNV officer sees the rule, with what it made" "1 5s-scorm12 SNV 3 0" \
	"$(get hrsnv /api/assignments | field '" ".join(str(x) for x in [d["total"], d["rules"][0]["course"], d["rules"][0]["unit"], d["rules"][0]["enrolments"], d["rules"][0]["overdue"]])')"
is "the Q1 officer does not" "0 []" "$(get hrq1 /api/assignments | field '" ".join(str(x) for x in [d["total"], d["rules"]])')"
is "a page past the end still gives the total" "1 []" \
	"$(get hrsnv '/api/assignments?offset=5' | field '" ".join(str(x) for x in [d["total"], d["rules"]])')"
is "nor may the Q1 officer end it: 404, as if it did not exist" "404" \
	"$(post hrq1 /api/assignments/end "{\"id\":$rid}" | cut -d' ' -f1)"
has "the form's options name the positions of the officer's subtree" "Phó Giám đốc" "$(get hrsnv /api/assignments/options)"
hasnt "and not a neighbour's people's" "Võ Thị Sáu" "$(get hrsnv /api/assignments/options)"

# Bad input: each refused with its field, nothing kept.
bad() { # bad DESCRIPTION STATUS FIELD JSON
	local out
	out=$(post hrsnv /api/assignments "$4")
	is "$1: $2" "$2" "${out%% *}"
	has "$1: names $3" "\"field\":\"$3\"" "${out#* }"
}
bad "a deadline in the past" 422 due_on "{\"course\":\"5s-scorm12\",\"unit\":\"SNV\",\"due_on\":\"$yesterday\"}"
bad "two deadlines" 422 due_on "{\"course\":\"5s-scorm12\",\"unit\":\"SNV\",\"due_on\":\"$due\",\"due_days\":30}"
bad "no deadline" 422 due_on '{"course":"5s-scorm12","unit":"SNV"}'
bad "a date that is not one" 422 due_on '{"course":"5s-scorm12","unit":"SNV","due_on":"2026-02-30"}'
bad "days as text" 422 due_days '{"course":"5s-scorm12","unit":"SNV","due_days":"30"}'
bad "zero days" 422 due_days '{"course":"5s-scorm12","unit":"SNV","due_days":0}'
bad "an unknown audience" 422 audience '{"course":"5s-scorm12","unit":"SNV","due_days":30,"audience":"everyone"}'
bad "an unknown PAR role" 422 par_role '{"course":"5s-scorm12","unit":"SNV","due_days":30,"par_role":"boss"}'
bad "an unknown course" 404 course '{"course":"no-such","unit":"SNV","due_days":30}'
bad "an unknown unit" 404 unit '{"course":"5s-scorm12","unit":"NOPE","due_days":30}'
bad "dry_run as text" 422 dry_run '{"course":"5s-scorm12","unit":"SNV","due_days":30,"dry_run":"yes"}'
is "none of them was kept" "1" "$(sql "SELECT count(*) FROM assignment_rule")"

# A second rule: leaders of the subtree, the other course, 14 days after each enrolment.
out=$(post hrsnv /api/assignments '{"course":"cchc-2021-2030","unit":"SNV","audience":"leader","due_days":14}')
is "a rule for leaders only: 201" "201" "${out%% *}"
rid2=$(printf '%s' "${out#* }" | field 'd["id"]')
is "only the leader is enrolled, due in 14 days" "hv1:$(TZ=Asia/Ho_Chi_Minh date -d '+14 days' +%F)" \
	"$(sql "SELECT string_agg(u.username || ':' || e.due_at, ',') FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN course c ON c.id = e.course_id WHERE c.code = 'cchc-2021-2030'")"
out=$(post hrsnv /api/assignments "{\"course\":\"5s-scorm12\",\"unit\":\"SNV-CCHC\",\"position\":\"Chuyên viên\",\"due_on\":\"$tomorrow\"}")
is "a rule for one position, on a course assigned already: nothing moves" \
	"{'matched': 2, 'no_account': 0, 'enrolled': 0, 'converted': 0, 'untouched': 2}" \
	"$(printf '%s' "${out#* }" | field 'd["counts"]')"
is "the deadline assigned first stays" "$due" "$(sql "SELECT e.due_at FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv3'")"

# Later joiners: NV-5 gets an account, a new person joins SNV-CCHC; applying again assigns them.
account hv5 NV-5
person NV-6 SNV-CCHC "Bùi Thị Bảy" "Chuyên viên" dedicated
account hv6 NV-6
has "applying the rules again enrols the newcomers" "enrolled: 2," "$(pl_cli assign apply 2>&1)"
is "hv5 and hv6 have the course, with the first rule's deadline" "hv5:$due:$rid,hv6:$due:$rid" \
	"$(sql "SELECT string_agg(u.username || ':' || e.due_at || ':' || e.rule_id, ',' ORDER BY u.username) FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN course c ON c.id = e.course_id WHERE c.code = '5s-scorm12' AND u.username IN ('hv5', 'hv6')")"
has "applying again changes nothing" "enrolled: 0, self-enrolments now assigned: 0" "$(pl_cli assign apply 2>&1)"

# Ending a rule: nobody new gets it; what it made stays.
is "the SNV officer ends the first rule: 204" "204" "$(post hrsnv /api/assignments/end "{\"id\":$rid}" | cut -d' ' -f1)"
is "not twice: 409" "409" "$(post hrsnv /api/assignments/end "{\"id\":$rid}" | cut -d' ' -f1)"
person NV-7 SNV "Hồ Văn Tám" "Chuyên viên" none
account hv7 NV-7
pl_cli assign apply >/dev/null 2>&1
is "a newcomer after the end is not enrolled" "0" "$(sql "SELECT count(*) FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv7'")"
is "the enrolments it made or converted stay" "5" "$(sql "SELECT count(*) FROM enrolment WHERE rule_id = $rid")"
has "the list shows it ended (with --ended)" "$rid	5s-scorm12	SNV" "$(pl_cli assign list --ended 2>&1)"
hasnt "and not without" "$(printf '\n%s\t5s-scorm12\tSNV' "$rid")" "$(pl_cli assign list 2>&1)"

# The CLI, and the record in the database.
has "the CLI makes a rule too (dry run)" "dry run: nothing was kept" \
	"$(pl_cli assign create --course 5s-scorm12 --unit Q1 --due-days 7 --dry-run 2>&1)"
has "and says what is wrong" "due_on: $yesterday is before today" \
	"$(pl_cli assign create --course 5s-scorm12 --unit Q1 --due "$yesterday" 2>&1 || true)"
out=$(sql "UPDATE assignment_rule SET note = 'x' WHERE id = $rid2" 2>&1)
has "a rule cannot be edited in the database" "changes only by being ended" "$out"
out=$(sql "DELETE FROM assignment_rule WHERE id = $rid2" 2>&1)
has "nor deleted" "never deleted" "$out"
is "who made it is kept" "user:hrsnv" "$(sql "SELECT created_by FROM assignment_rule WHERE id = $rid2")"

finish
