#!/usr/bin/env bash
# `parlearn assessment` (docs/assessment.md, "CLI"): an operator builds quizzes and exams from
# definition files (the body of POST /api/assessments) and runs them from a terminal. What an
# operator checks: a file creates a draft that the API shows as written; a bad file (a member
# of the wrong type, an unknown question, a window that closes before it opens, no unit, not
# JSON) is refused with the code, the field and a clear message, and nothing is stored; a
# draft is updated from a file, a stale rev is refused; an open exam is never changed (neither
# by the CLI nor by the API); open, close and publish move it forward once each and are
# logged with the actor; grant needs a reason; the results as CSV (BOM, formula neutralised)
# and as JSON match GET /api/assessments/results; the item analysis CSV has a row per
# question. Learners sit the exam through the real API.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

command -v python3 >/dev/null || { echo "assessment_cli.sh: python3 is missing" >&2; exit 1; }
pl_start >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -At -F '|' -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }
json() { python3 -c "import json,sys;d=json.load(sys.stdin);print($1)"; }
work=$PL_DATA/files
mkdir -p "$work"

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
pl_cli unit create --code STC --name "Sở Tài chính" --kind department --parent HCM >/dev/null
printf '099000700001\n' | pl_cli person create --employee-code NV-1 --unit SNV --name "Nguyễn Văn Một" \
	--position "Chuyên viên" --par-role dedicated >/dev/null
# a name a spreadsheet would take for a formula: the CSV must neutralise it
printf '099000700002\n' | pl_cli person create --employee-code NV-2 --unit SNV --name "=HYPERLINK(\"x\") Hai" \
	--position "Chuyên viên" --par-role none >/dev/null
account() { printf 'Mat-khau-dai-123\n' | pl_cli user create --username "$1" --role "$2" --password-stdin "${@:3}" >/dev/null; }
account hv1 learner --person NV-1 --name "Nguyễn Văn Một"
account hv2 learner --person NV-2 --name "Trần Thị Hai"
account gv trainer --scope SNV --name "Lê Minh Giảng"

login() {
	curl -s -c "$PL_DATA/cj.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		json 'd["csrf_token"]' >"$PL_DATA/csrf.$1"
}
for u in hv1 hv2 gv; do login $u; done
get() { curl -s -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
# post USER PATH BODY -> body in $PL_DATA/post.json, status on stdout
post() {
	curl -s -o "$PL_DATA/post.json" -w '%{http_code}' -b "$PL_DATA/cj.$1" -H "X-CSRF-Token: $(cat "$PL_DATA/csrf.$1")" \
		-H 'Content-Type: application/json' -d "$3" "$PL_URL$2"
}

# ---- a bank of three true/false questions (true is right) ----
cat >"$work/bank.gift" <<'EOF'
::Đ1::Đề án thực hiện đến hết năm 2025.{T}

::Đ2::Sở Nội vụ tham mưu triển khai Đề án.{T}

::Đ3::Đề án có chỉ tiêu về nguồn chuyên gia.{T}
EOF
pl_cli questions import "$work/bank.gift" --format gift --category "Kiểm thử CLI" >/dev/null
qid=$(sql "SELECT min(id) FROM question")
iso() { python3 -c "import datetime,sys;print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(minutes=int(sys.argv[1]))).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$1"; }
opens=$(iso -5)
closes=$(iso 120)

# ---- create from a file ----
cat >"$work/quiz.json" <<EOF
{"code": "QZ-CLI", "kind": "quiz", "title": "Ôn luyện từ dòng lệnh", "unit": "SNV",
 "description": "Ba câu đúng/sai", "time_limit_s": 600, "max_attempts": 3, "pass_fraction": 0.6,
 "grading": "last", "shuffle_questions": true,
 "rules": [{"category": "Kiểm thử CLI", "count": 2, "points": 2}],
 "audience": [{"unit": "SNV", "positions": ["Chuyên viên"], "par_role": null, "leader": false}]}
EOF
out=$(pl_cli assessment create --file "$work/quiz.json" 2>&1); rc=$?
is "a quiz is created from a file" "0" "$rc"
has "and it says so" "assessment QZ-CLI created as a draft" "$out"
show=$(pl_cli assessment show QZ-CLI)
is "show prints the definition as the API has it" \
	"draft|quiz|Ôn luyện từ dòng lệnh|SNV|600|3|0.6|last|True|Kiểm thử CLI|2|2|SNV|['Chuyên viên']|False" \
	"$(echo "$show" | json '"|".join(str(x) for x in [d["status"],d["kind"],d["title"],d["unit"]["code"],d["time_limit_s"],d["max_attempts"],d["pass_fraction"],d["grading"],d["shuffle_questions"],d["rules"][0]["category"],d["rules"][0]["count"],d["rules"][0]["points"],d["audience"][0]["unit"],d["audience"][0]["positions"],d["audience"][0]["leader"]])')"
api=$(get gv "/api/assessments/detail?code=QZ-CLI")
is "show and GET /api/assessments/detail give the same JSON" "True" \
	"$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])==json.loads(sys.argv[2]))' "$show" "$api")"
has "the log names the CLI's actor" "create|cli:" "$(sql "SELECT l.action || '|' || l.actor FROM assessment_log l JOIN assessment a ON a.id = l.assessment_id WHERE a.code = 'QZ-CLI'")"

# ---- bad files: a clear error, nothing stored ----
before=$(sql "SELECT count(*) FROM assessment")
bad() { # name json expected-in-message...
	local name=$1 body=$2 out rc
	shift 2
	printf '%s\n' "$body" >"$work/$name.json"
	out=$(pl_cli assessment create --file "$work/$name.json" 2>&1); rc=$?
	is "$name: refused with exit status 1" "1" "$rc"
	for want in "$@"; do has "$name: the error says $want" "$want" "$out"; done
	has "$name: and that nothing was created" "nothing was created (không có gì được tạo)" "$out"
	is "$name: no assessment stored" "0" "$(sql "SELECT count(*) FROM assessment WHERE code = 'BAD-$name'")"
}
bad types '{"code": "BAD-types", "kind": "quiz", "title": "Sai kiểu", "unit": "SNV", "time_limit_s": "30 phút", "rules": [{"category": "Kiểm thử CLI", "count": 1}]}' \
	"time_limit_s: a whole number from 0 to 86400" "[invalid_field, field time_limit_s]"
bad types2 '{"code": "BAD-types2", "kind": "quiz", "title": "Sai kiểu", "unit": "SNV", "rules": [{"category": "Kiểm thử CLI", "count": "hai"}]}' \
	"field rules[0]"
bad question "{\"code\": \"BAD-question\", \"kind\": \"quiz\", \"title\": \"Câu không có\", \"unit\": \"SNV\", \"fixed\": [$qid, 987654321]}" \
	"fixed[1]: no question 987654321 in the bank" "[not_found, field fixed]"
bad window "{\"code\": \"BAD-window\", \"kind\": \"exam\", \"title\": \"Ngược giờ\", \"unit\": \"SNV\", \"opens_at\": \"$closes\", \"closes_at\": \"$opens\", \"named\": [\"NV-1\"], \"fixed\": [$qid]}" \
	"the window closes before it opens" "field closes_at"
bad nounit "{\"code\": \"BAD-nounit\", \"kind\": \"quiz\", \"title\": \"Không đơn vị\", \"fixed\": [$qid]}" \
	"unit: give the organising unit"
bad unit "{\"code\": \"BAD-unit\", \"kind\": \"quiz\", \"title\": \"Đơn vị lạ\", \"unit\": \"KHONG-CO\", \"fixed\": [$qid]}" \
	"[not_found, field unit]"
bad person "{\"code\": \"BAD-person\", \"kind\": \"quiz\", \"title\": \"Người lạ\", \"unit\": \"SNV\", \"fixed\": [$qid], \"named\": [\"NV-1\", \"NV-404\"]}" \
	"named[1]: no person with the employee code NV-404" "[not_found, field named]"
bad json '{"code": "BAD-json", "kind": "quiz",' "invalid_json"
bad taken '{"code": "QZ-CLI", "kind": "quiz", "title": "Trùng mã", "unit": "SNV", "rules": [{"category": "Kiểm thử CLI", "count": 1}]}' \
	"assessment_code_taken"
is "no bad file left anything behind" "$before" "$(sql "SELECT count(*) FROM assessment")"
is "nor a log line" "1" "$(sql "SELECT count(*) FROM assessment_log")"
out=$(pl_cli assessment create --file "$work/no-such-file.json" 2>&1); rc=$?
is "a missing file: exit status 1" "1" "$rc"
has "naming the file" "cannot open $work/no-such-file.json" "$out"
pl_cli assessment create --no-such-option >/dev/null 2>&1; rc=$?
is "an unknown option is a usage error (2)" "2" "$rc"
pl_cli assessment frobnicate >/dev/null 2>&1; rc=$?
is "an unknown subcommand is a usage error (2)" "2" "$rc"

# ---- update a draft ----
rev=$(pl_cli assessment show QZ-CLI | json 'd["rev"]')
sed -e 's/"Ôn luyện từ dòng lệnh"/"Ôn luyện (đã sửa)"/' -e 's/"time_limit_s": 600/"time_limit_s": 900/' "$work/quiz.json" |
	python3 -c "import json,sys;d=json.load(sys.stdin);del d['code'];d['rev']=$rev;print(json.dumps(d,ensure_ascii=False))" >"$work/quiz2.json"
out=$(pl_cli assessment update QZ-CLI --file "$work/quiz2.json" --actor "cli:kiem-thu" 2>&1); rc=$?
is "a draft is updated from a file" "0" "$rc"
is "the API shows the new title and limit, and a new rev" "Ôn luyện (đã sửa)|900|True" \
	"$(get gv "/api/assessments/detail?code=QZ-CLI" | json 'd["title"]+"|"+str(d["time_limit_s"])+"|"+str(d["rev"]>'"$rev"')')"
is "the update is logged with the actor given" "update|cli:kiem-thu" \
	"$(sql "SELECT l.action || '|' || l.actor FROM assessment_log l JOIN assessment a ON a.id = l.assessment_id WHERE a.code = 'QZ-CLI' ORDER BY l.id DESC LIMIT 1")"
out=$(pl_cli assessment update QZ-CLI --file "$work/quiz2.json" 2>&1); rc=$?
is "the same file again carries a stale rev: refused" "1" "$rc"
has "as someone else's change" "assessment_changed" "$out"
is "and the title is still the updated one" "Ôn luyện (đã sửa)" "$(sql "SELECT title FROM assessment WHERE code = 'QZ-CLI'")"
python3 -c "import json,sys;d=json.load(open(sys.argv[1]));d['code']='OTHER';print(json.dumps(d))" "$work/quiz.json" >"$work/other.json"
out=$(pl_cli assessment update QZ-CLI --file "$work/other.json" 2>&1); rc=$?
is "a file for another code: refused" "1" "$rc"
has "saying a code never changes" "a code never changes" "$out"

# ---- an exam: open, refuse to change, learners sit it, close, publish ----
cat >"$work/exam.json" <<EOF
{"code": "EX-CLI", "kind": "exam", "title": "Sát hạch từ dòng lệnh", "unit": "SNV",
 "opens_at": "$opens", "closes_at": "$closes", "time_limit_s": 1800, "pass_fraction": 0.5,
 "rules": [{"category": "Kiểm thử CLI", "count": 3}], "named": ["NV-1", "NV-2"]}
EOF
pl_cli assessment create --file "$work/exam.json" >/dev/null
out=$(pl_cli assessment open EX-CLI --actor "cli:kiem-thu" 2>&1); rc=$?
is "the exam opens" "0|open|cli:kiem-thu" "$rc|$(sql "SELECT status || '|' || opened_by FROM assessment WHERE code = 'EX-CLI'")"
out=$(pl_cli assessment open EX-CLI 2>&1); rc=$?
is "opening it again: refused" "1" "$rc"
has "only a draft is opened" "[not_draft]" "$out"
sed 's/"Sát hạch từ dòng lệnh"/"Đổi tên sau khi mở"/' "$work/exam.json" >"$work/exam2.json"
out=$(pl_cli assessment update EX-CLI --file "$work/exam2.json" 2>&1); rc=$?
is "an open exam is not updated by the CLI" "1" "$rc"
has "only a draft is changed" "[not_draft]" "$out"
rev=$(get gv "/api/assessments/detail?code=EX-CLI" | json 'd["rev"]')
body=$(python3 -c "import json,sys;d=json.load(open(sys.argv[1]));d['rev']=$rev;print(json.dumps(d))" "$work/exam2.json")
is "nor by the API (409 not_draft)" "409|not_draft" "$(post gv /api/assessments/update "$body")|$(json 'd["code"]' <"$PL_DATA/post.json")"
is "its title is unchanged" "Sát hạch từ dòng lệnh" "$(sql "SELECT title FROM assessment WHERE code = 'EX-CLI'")"

sit() { # learner answer(true|none)
	local who=$1 a slots s
	is "$who starts the exam" "201" "$(post "$who" /api/my/assessments/start '{"code":"EX-CLI"}')"
	a=$(json 'd["attempt"]' <"$PL_DATA/post.json")
	if [ "$2" = true ]; then
		slots=$(get "$who" "/api/my/attempt?id=$a" | json '" ".join(str(q["slot"]) for q in d["questions"])')
		for s in $slots; do
			post "$who" /api/my/attempt/save "{\"attempt\":$a,\"slot\":$s,\"rev\":1,\"response\":{\"value\":true}}" >/dev/null
		done
	fi
	is "$who submits" "200" "$(post "$who" /api/my/attempt/submit "{\"attempt\":$a}")"
}
sit hv1 true
sit hv2 none

out=$(pl_cli assessment close EX-CLI 2>&1); rc=$?
is "the exam closes" "0|closed" "$rc|$(sql "SELECT status FROM assessment WHERE code = 'EX-CLI'")"
out=$(pl_cli assessment close EX-CLI 2>&1); rc=$?
is "closing it again: refused" "1" "$rc"
has "only an open one is closed" "[not_open]" "$out"

# ---- results: CSV and JSON match the API ----
pl_cli assessment results EX-CLI --format csv --out "$work/results.csv" 2>/dev/null; rc=$?
is "the results CSV is written" "0" "$rc"
is "it starts with a BOM (Excel reads UTF-8)" "efbbbf" "$(head -c 3 "$work/results.csv" | od -An -tx1 | tr -d ' \n')"
apiresults=$(get gv "/api/assessments/results?code=EX-CLI")
echo "$apiresults" >"$work/api.json"
is "the CSV parses and matches the API (attempt, rank, score, result, person)" "ok" "$(python3 - "$work/results.csv" "$work/api.json" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
api = json.load(open(sys.argv[2]))["results"]
problems = []
if len(rows) != len(api) or len(api) != 2:
    problems.append(f"{len(rows)} rows, the API has {len(api)}")
for row, x in zip(rows, api):
    want = {"Mã lượt làm": str(x["attempt"]), "Hạng": str(x["rank"] or ""), "Điểm": f'{x["score"]:.2f}',
            "Điểm tối đa": f'{x["max_score"]:.2f}', "Kết quả": "đạt" if x["passed"] else "không đạt",
            "Mã cán bộ": x["employee_code"], "Mã đơn vị": x["unit_code"],
            "Thời gian làm (giây)": str(x["time_used_s"])}
    for k, v in want.items():
        if row[k] != v:
            problems.append(f"{k}: {row[k]!r} != {v!r}")
print("ok" if not problems else "; ".join(problems))
EOF
)"
is "the best is ranked first, with 3 of 3" "1|NV-1|3.00|đạt" \
	"$(python3 -c 'import csv,sys;r=list(csv.DictReader(open(sys.argv[1],encoding="utf-8-sig")))[0];print("|".join([r["Hạng"],r["Mã cán bộ"],r["Điểm"],r["Kết quả"]]))' "$work/results.csv")"
has "a name that looks like a formula is neutralised" "'=HYPERLINK" "$(cat "$work/results.csv")"
hasnt "no cell starts with the formula" ',=HYPERLINK' "$(cat "$work/results.csv")"
clijson=$(pl_cli assessment results EX-CLI --format json)
is "the JSON results are the API's" "True" \
	"$(python3 -c 'import json,sys;a=json.loads(sys.argv[1]);b=json.load(open(sys.argv[2]));print(a["results"]==b["results"] and a["assessment"]==b["assessment"])' "$clijson" "$work/api.json")"
pl_cli assessment results EX-CLI --format xml >/dev/null 2>&1; rc=$?
is "an unknown format: refused" "1" "$rc"
out=$(pl_cli assessment results NO-SUCH 2>&1); rc=$?
is "an unknown assessment: exit status 1" "1" "$rc"
has "saying which" "no assessment NO-SUCH" "$out"

# ---- item analysis ----
items=$(pl_cli assessment items EX-CLI)
is "the item analysis CSV has the header and one row per question" "3" \
	"$(python3 -c 'import csv,io,sys;r=list(csv.reader(io.StringIO(sys.stdin.read().lstrip("\ufeff"))));print(sum(1 for x in r[2:] if x))' <<<"$items")"
has "its header is the API's" "Mã câu hỏi,Câu hỏi,Loại,Số lượt làm" "$items"
is "and the same file as GET /api/assessments/items.csv" "$(get gv "/api/assessments/items.csv?code=EX-CLI")" "$items"

# ---- publish, grant ----
out=$(pl_cli assessment publish EX-CLI --actor "cli:kiem-thu" 2>&1); rc=$?
is "the results are published" "0|cli:kiem-thu" "$rc|$(sql "SELECT results_published_by FROM assessment WHERE code = 'EX-CLI'")"
has "and the certificates issued" "1 certificate(s) issued" "$out"
out=$(pl_cli assessment publish EX-CLI 2>&1); rc=$?
is "publishing again: refused" "1" "$rc"
has "as published already" "[already_published]" "$out"
out=$(pl_cli assessment grant EX-CLI --user hv2 2>&1); rc=$?
is "a grant without a reason: refused" "1" "$rc"
has "asking for one" "--reason" "$out"
out=$(pl_cli assessment grant EX-CLI --user nobody --reason "Mất điện" 2>&1); rc=$?
is "a grant to an unknown user: refused" "1" "$rc"
out=$(pl_cli assessment grant EX-CLI --user hv2 --reason "Mất điện giữa giờ" 2>&1); rc=$?
is "a grant with a reason" "0|Mất điện giữa giờ" "$rc|$(sql "SELECT reason FROM attempt_grant")"

# ---- list ----
out=$(pl_cli assessment list --kind exam)
has "list --kind exam shows the exam" "EX-CLI" "$out"
hasnt "and not the quiz" "QZ-CLI" "$out"
out=$(pl_cli assessment list --status draft)
has "list --status draft shows the quiz" "QZ-CLI" "$out"
hasnt "and not the closed exam" "EX-CLI" "$out"

trap - EXIT
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$PL_LOG"; then
	echo "assessment_cli.sh: the server logged a sanitizer report" >&2
	CHECK_FAILED=$((CHECK_FAILED + 1))
fi
pl_stop || CHECK_FAILED=$((CHECK_FAILED + 1))
finish
