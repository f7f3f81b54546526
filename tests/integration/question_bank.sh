#!/usr/bin/env bash
# The question bank (docs/question-bank.md): `parlearn questions import|export|list` and the
# trainer's endpoints. What a trainer and an operator check: the sample banks (GIFT and Moodle
# XML, Vietnamese) go in through the CLI and the web, with their categories, tags, images and
# a body in the database that reads back; the same file again changes nothing; a dry run
# changes nothing; a file with one bad question is refused whole with the report naming it;
# a Windows-1258 GIFT file is refused naming its line; XXE and billion laughs are refused
# with a clear message and nothing is read; a 60 MB upload gets 413; an edit makes version 2
# and leaves version 1 byte for byte (the database refuses to change it); export then import
# gives the same questions; 5,000 questions import in seconds; learners and HR officers get
# 403 and no session 401.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

pl_start >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -At -F '|' -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }
data=$src/tests/unit/data/questions
work=$PL_DATA/files
mkdir -p "$work"
urlq() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$1"; }
json() { python3 -c "import json,sys;d=json.load(sys.stdin);print($1)"; }

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username gv1 --role trainer --scope SNV --password-stdin >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username qt1 --role admin --password-stdin >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username ns1 --role hr_officer --scope SNV --password-stdin >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hv1 --role learner --password-stdin >/dev/null
login() {
	curl -s -c "$PL_DATA/cj.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		json 'd["csrf_token"]' >"$PL_DATA/csrf.$1"
}
for u in gv1 qt1 ns1 hv1; do login $u; done
get() { curl -s -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
code_of() { curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
# upload USER FILE CTYPE QUERY -> body in $PL_DATA/up.json, status on stdout
upload() {
	curl -s -o "$PL_DATA/up.json" -w '%{http_code}' -b "$PL_DATA/cj.$1" -H "X-CSRF-Token: $(cat "$PL_DATA/csrf.$1")" \
		-H "Content-Type: $3" -H 'Expect:' --data-binary "@$2" "$PL_URL/api/questions/import?$4"
}
count() { sql "SELECT (SELECT count(*) FROM question), (SELECT count(*) FROM question_version), (SELECT count(*) FROM question_category), (SELECT count(*) FROM question_file)"; }

# ---- the GIFT sample through the CLI ----
out=$(pl_cli questions import "$data/cchc-de-an-2709.gift" --format gift --category "Sở Nội vụ" 2>&1); rc=$?
is "the GIFT sample imports" "0" "$rc"
has "and says what it took" "questions imported (import 1): 14 questions (single 2, multi 1, truefalse 2, short 3, numerical 3, matching 1, essay 1, description 1), 4 new categories" "$out"
is "14 questions, each with its first version" "14|14" "$(sql "SELECT count(*), sum(current_version) FROM question")"
is "the categories form a tree under the caller's category" "Sở Nội vụ||Sở Nội vụ
Sở Nội vụ/CCHC|Sở Nội vụ|CCHC
Sở Nội vụ/CCHC/Đề án 2709|Sở Nội vụ/CCHC|Đề án 2709
Sở Nội vụ/CCHC/Đề án 2709/Chỉ tiêu|Sở Nội vụ/CCHC/Đề án 2709|Chỉ tiêu" \
	"$(sql "SELECT c.path, coalesce(p.path, ''), c.name FROM question_category c LEFT JOIN question_category p ON p.id = c.parent_id ORDER BY c.path COLLATE \"C\"")"
is "a question's body keeps its Vietnamese text, answers and weights" "multi|Những nội dung nào được Đề án nêu là lĩnh vực của cải cách hành chính?|Cải cách ruộng đất|-1|medium" \
	"$(sql "SELECT q.qtype, v.body->'text'->>'text', v.body->'options'->3->'text'->>'text', v.body->'options'->3->>'fraction', v.difficulty FROM question q JOIN question_version v ON v.question_id = q.id WHERE q.name = 'Lĩnh vực cải cách'")"
is "tags go to question_tag, the difficulty pseudo-tag does not" "Đề án 2709" \
	"$(sql "SELECT string_agg(t.tag, ',') FROM question_tag t JOIN question q ON q.id = t.question_id WHERE q.name = 'Chỉ tiêu chuyên gia'")"
is "the body's hash is the SHA-256 of the JSON as written" "t" \
	"$(sql "SELECT bool_and(body_sha256 ~ '^[0-9a-f]{64}$') FROM question_version")"
is "the import is recorded with its file's hash" "applied|gift|Sở Nội vụ|14|$(sha256sum "$data/cchc-de-an-2709.gift" | cut -d' ' -f1)" \
	"$(sql "SELECT outcome, format, category, questions, sha256 FROM question_import")"
list=$(pl_cli questions list --category "Sở Nội vụ/CCHC/Đề án 2709/Chỉ tiêu" 2>/dev/null)
has "the list shows a category's subtree" "Ghép chỉ tiêu" "$list"
has "and counts it" "5 question(s)" "$list"

before=$(count)
out=$(pl_cli questions import "$data/cchc-de-an-2709.gift" --format gift --category "Sở Nội vụ" 2>&1); rc=$?
is "the same file into the same category again succeeds" "0" "$rc"
has "and says it was imported before" "already imported" "$out"
is "and writes no duplicate" "$before" "$(count)"
out=$(pl_cli questions import "$data/cchc-de-an-2709.gift" --format gift --category "Bản nháp" --dry-run 2>&1); rc=$?
is "a dry run into another category succeeds" "0" "$rc"
has "and says it could be imported" "dry run, nothing changed; the file can be imported: 14 questions" "$out"
is "and changes nothing" "$before" "$(count)"

# ---- the Moodle XML sample through the web, as a trainer ----
st=$(upload gv1 "$data/cchc-de-an-2709.xml" application/xml "format=moodlexml&category=$(urlq 'Học viện Cán bộ')&name=cchc.xml&dry_run=1")
is "a dry run on the web answers 200" "200" "$st"
is "with the report" "dry_run|9|0" "$(json '"|".join(str(d[k]) for k in ("outcome", "questions", "errors"))' <"$PL_DATA/up.json")"
is "and changes nothing" "$before" "$(count)"
st=$(upload gv1 "$data/cchc-de-an-2709.xml" application/xml "format=moodlexml&category=$(urlq 'Học viện Cán bộ')&name=cchc.xml")
is "the Moodle XML sample imports on the web" "200" "$st"
is "every type, ordering included" "applied|1|1|1|1|1|1|1|1|1" \
	"$(json '"|".join([d["outcome"]] + [str(d["by_type"][t]) for t in ["single","multi","truefalse","short","numerical","matching","ordering","essay","description"]])' <"$PL_DATA/up.json")"
is "its image is kept with the version, bytes and type" "logo cchc.png|image/png|68|t" \
	"$(sql "SELECT f.name, f.mime, length(f.bytes), f.sha256 = encode(sha256(f.bytes), 'hex') FROM question_file f")"
is "the importer is the trainer" "gv1" "$(sql "SELECT DISTINCT created_by FROM question q JOIN question_category c ON c.id = q.category_id WHERE c.path LIKE 'Học viện Cán bộ%'")"
before=$(count)
st=$(upload gv1 "$data/cchc-de-an-2709.xml" text/xml "format=moodlexml&category=$(urlq 'Học viện Cán bộ')")
is "the same file again on the web answers 200" "200" "$st"
is "reported as imported before, naming that import" "already_imported|2" "$(json 'd["outcome"] + "|" + str(d["previous_import_id"])' <"$PL_DATA/up.json")"
is "and nothing is added" "$before" "$(count)"

# ---- a file with one bad question: refused whole, the report names it ----
{ cat "$data/cchc-de-an-2709.gift"; printf '\n::Câu thiếu ngoặc::Đề án có mấy nhiệm vụ?{=5 ~6\n\n::Câu không có đáp án đúng::Chọn một{~a ~b}\n'; } >"$work/bad.gift"
out=$(pl_cli questions import "$work/bad.gift" --format gift --category "Lỗi" 2>&1); rc=$?
is "a file with bad questions exits 1" "1" "$rc"
has "it says nothing was changed" "questions NOT imported" "$out"
line=$(grep -n 'Câu thiếu ngoặc' "$work/bad.gift" | cut -d: -f1)
has "it names the first bad question and its line" "question 15, line $line (Câu thiếu ngoặc) [gift_brace]" "$out"
has "and the second one" "(Câu không có đáp án đúng)" "$out"
has "in Vietnamese and English" " — " "$out"
is "nothing was written" "$before" "$(count)"
is "no category 'Lỗi' was made" "0" "$(sql "SELECT count(*) FROM question_category WHERE path LIKE 'Lỗi%'")"
is "the refusal is recorded, with its report" "rejected|2" "$(sql "SELECT outcome, (SELECT count(*) FROM jsonb_array_elements(report->'problems') e WHERE e->>'severity' = 'error') FROM question_import WHERE category = 'Lỗi'")"
st=$(upload gv1 "$work/bad.gift" text/plain "format=gift&category=$(urlq 'Lỗi')")
is "on the web: 422" "422" "$st"
is "questions_rejected, with every problem" "questions_rejected|rejected|gift_brace|Câu thiếu ngoặc" \
	"$(json 'd["code"] + "|" + d["report"]["outcome"] + "|" + d["report"]["problems"][0]["code"] + "|" + d["report"]["problems"][0]["name"]' <"$PL_DATA/up.json")"
has "each problem has its Vietnamese sentence" '"message_vi":' "$(cat "$PL_DATA/up.json")"
is "still nothing written" "$before" "$(count)"

# ---- Windows-1258: refused naming the line ----
out=$(pl_cli questions import "$data/windows-1258.gift" --format gift 2>&1); rc=$?
is "a Windows-1258 GIFT file exits 1" "1" "$rc"
has "naming its first line that is not UTF-8" "error: the file, line 1 [not_utf8]" "$out"
has "and the others" "line 3 [not_utf8]" "$out"
is "nothing was written" "$before" "$(count)"

# ---- hostile XML: XXE, billion laughs ----
cat >"$work/xxe.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><name><text>&xxe;</text></name>
<questiontext format="html"><text>&xxe;</text></questiontext>
<answer fraction="100"><text>root</text></answer></question></quiz>
EOF
cat >"$work/lol.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<quiz><question type="description"><name><text>&lol5;</text></name><questiontext><text>&lol5;</text></questiontext></question></quiz>
EOF
out=$(pl_cli questions import "$work/xxe.xml" --format moodlexml 2>&1); rc=$?
is "an XXE file exits 1" "1" "$rc"
has "with a clear message" "[xml_doctype]" "$out"
hasnt "and nothing of /etc/passwd" "root:x:" "$out"
st=$(upload gv1 "$work/lol.xml" application/xml "format=moodlexml")
is "billion laughs on the web: 422" "422" "$st"
has "refused for its DOCTYPE, before any entity is expanded" '"code":"xml_doctype"' "$(cat "$PL_DATA/up.json")"
hasnt "no laugh made it into the report" "lollollol" "$(cat "$PL_DATA/up.json")"
is "nothing was written" "$before" "$(count)"

# ---- too big ----
head -c 62914560 /dev/zero | tr '\0' 'a' >"$work/big.gift"
st=$(upload gv1 "$work/big.gift" text/plain "format=gift")
is "a 60 MB upload gets 413" "413" "$st"
has "body_too_large" '"code":"body_too_large"' "$(cat "$PL_DATA/up.json")"
out=$(pl_cli questions import "$work/big.gift" --format gift 2>&1); rc=$?
is "the CLI refuses a 60 MB file too" "1" "$rc"
has "saying why" "larger than 50 MiB" "$out"
is "nothing was written" "$before" "$(count)"
rm -f "$work/big.gift"

# ---- editing: version 2, version 1 unchanged ----
qid=$(sql "SELECT id FROM question WHERE name = 'Chỉ tiêu chuyên gia' AND category_id = (SELECT id FROM question_category WHERE path = 'Sở Nội vụ/CCHC/Đề án 2709')")
v1=$(sql "SELECT id || '|' || body_sha256 || '|' || md5(body::text) FROM question_version WHERE question_id = $qid AND version_no = 1")
get gv1 "/api/question?id=$qid" >"$work/q.json"
is "the question's page data: current version 1" "1|Chỉ tiêu chuyên gia|1" \
	"$(json 'str(d["question"]["version"]) + "|" + d["question"]["name"] + "|" + str(len(d["versions"]))' <"$work/q.json")"
python3 - "$work/q.json" "$work/edit.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
b = d["versions"][0]["body"]
b["text"]["text"] = "Theo Đề án 2709, Thành phố đào tạo ít nhất bao nhiêu chuyên gia cải cách hành chính?"
b["tags"].append("chuyên gia")
json.dump(b, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
edit() { # edit USER ID VERSION FILE -> status; body in $PL_DATA/ed.json
	curl -s -o "$PL_DATA/ed.json" -w '%{http_code}' -b "$PL_DATA/cj.$1" -H "X-CSRF-Token: $(cat "$PL_DATA/csrf.$1")" \
		-H 'Content-Type: application/json' --data-binary "@$4" "$PL_URL/api/question/edit?id=$2&version=$3"
}
is "an edit answers 200" "200" "$(edit gv1 "$qid" 1 "$work/edit.json")"
is "with version 2" "2|False" "$(json 'str(d["version"]) + "|" + str(d["unchanged"])' <"$PL_DATA/ed.json")"
is "the question now points at version 2" "2" "$(sql "SELECT current_version FROM question WHERE id = $qid")"
is "version 2 has the new text" "Theo Đề án 2709, Thành phố đào tạo ít nhất bao nhiêu chuyên gia cải cách hành chính?" \
	"$(sql "SELECT body->'text'->>'text' FROM question_version WHERE question_id = $qid AND version_no = 2")"
is "version 1 stays byte for byte" "$v1" "$(sql "SELECT id || '|' || body_sha256 || '|' || md5(body::text) FROM question_version WHERE question_id = $qid AND version_no = 1")"
is "the tags follow the current version" "chuyên gia,Đề án 2709" "$(sql "SELECT string_agg(tag, ',' ORDER BY tag COLLATE \"C\") FROM question_tag WHERE question_id = $qid")"
err=$(sql "UPDATE question_version SET difficulty = 'hard' WHERE question_id = $qid" 2>&1)
has "the database refuses to change a version" "question_version is append-only" "$err"
err=$(sql "DELETE FROM question_file" 2>&1)
has "or to delete a version's image" "question_file is append-only" "$err"
is "the same JSON again writes nothing" "200" "$(edit gv1 "$qid" 2 "$work/edit.json")"
is "and says so" "2|True" "$(json 'str(d["version"]) + "|" + str(d["unchanged"])' <"$PL_DATA/ed.json")"
is "an edit of an old version is a conflict" "409" "$(edit gv1 "$qid" 1 "$work/edit.json")"
has "version_conflict" '"code":"version_conflict"' "$(cat "$PL_DATA/ed.json")"
python3 - "$work/edit.json" "$work/bad-edit.json" "$work/type-edit.json" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1], encoding="utf-8"))
b["options"][0]["fraction"] = 0.5
json.dump(b, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
b["options"][0]["fraction"] = 1
b["type"] = "multi"
json.dump(b, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
EOF
is "an edit the model refuses: 422" "422" "$(edit qt1 "$qid" 2 "$work/bad-edit.json")"
has "naming the rule" '"code":"no_full_marks"' "$(cat "$PL_DATA/ed.json")"
is "the type cannot change" "422" "$(edit qt1 "$qid" 2 "$work/type-edit.json")"
has "type_readonly" '"code":"type_readonly","field":"type"' "$(cat "$PL_DATA/ed.json")"
printf '{"v":1,"type":"single","options":{}}' >"$work/hostile.json"
is "hostile JSON: 422" "422" "$(edit qt1 "$qid" 2 "$work/hostile.json")"
has "naming the member" '"field":"options"' "$(cat "$PL_DATA/ed.json")"
is "no version was added by the refused edits" "2" "$(sql "SELECT count(*) FROM question_version WHERE question_id = $qid")"
xq=$(sql "SELECT q.id FROM question q JOIN question_file f ON f.version_id = (SELECT id FROM question_version WHERE question_id = q.id AND version_no = 1)")
get qt1 "/api/question?id=$xq" | python3 -c '
import json, sys
b = json.load(sys.stdin)["versions"][0]["body"]
b["general_feedback"]["text"] = "Đã sửa"
json.dump(b, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)' "$work/img-edit.json"
is "an admin edits a question with an image" "200" "$(edit qt1 "$xq" 1 "$work/img-edit.json")"
is "its new version keeps the image's bytes" "2|t" "$(sql "SELECT count(*), bool_and(sha256 = (SELECT sha256 FROM question_file LIMIT 1)) FROM question_file f JOIN question_version v ON v.id = f.version_id WHERE v.question_id = $xq")"

# ---- export, then import again: the same questions ----
n_xml=$(sql "SELECT count(*) FROM question q JOIN question_category c ON c.id = q.category_id WHERE c.path LIKE 'Học viện Cán bộ%'")
out=$(pl_cli questions export --format moodlexml --category "Học viện Cán bộ" --out "$work/export.xml" 2>&1); rc=$?
is "Moodle XML export succeeds" "0" "$rc"
has "and says how many" "exported $n_xml of $n_xml questions as moodlexml" "$out"
out=$(pl_cli questions import "$work/export.xml" --format moodlexml --category "Bản sao" 2>&1); rc=$?
is "the export imports again" "0" "$rc"
same="SELECT count(*) FROM question a JOIN question_category ca ON ca.id = a.category_id JOIN question_version va ON va.question_id = a.id AND va.version_no = a.current_version
 JOIN question b ON b.name = a.name JOIN question_category cb ON cb.id = b.category_id AND cb.path = '%s' || substr(ca.path, length('%s') + 1)
 JOIN question_version vb ON vb.question_id = b.id AND vb.version_no = b.current_version
 WHERE ca.path LIKE '%s%%' AND (va.body - 'category') = (vb.body - 'category')"
is "every question comes back the same, member for member" "$n_xml" "$(sql "$(printf "$same" 'Bản sao/Học viện Cán bộ' 'Học viện Cán bộ' 'Học viện Cán bộ')")"
is "images too: one image, kept by both versions and the copy" "3|1" "$(sql "SELECT count(*), count(DISTINCT sha256) FROM question_file")"
n_gift=$(sql "SELECT count(*) FROM question q JOIN question_category c ON c.id = q.category_id WHERE c.path LIKE 'Sở Nội vụ%'")
curl -s -D "$work/h" -o "$work/export.gift" -b "$PL_DATA/cj.gv1" "$PL_URL/api/questions/export?format=gift&category=$(urlq 'Sở Nội vụ')"
h=$(tr -d '\r' <"$work/h")
has "the web export is a download" 'Content-Disposition: attachment; filename="questions.gift"' "$h"
has "counting what it wrote" "X-Questions-Written: $n_gift" "$h"
out=$(pl_cli questions import "$work/export.gift" --format gift --category "Bản sao GIFT" 2>&1); rc=$?
is "the GIFT export imports again" "0" "$rc"
is "every GIFT question comes back the same" "$n_gift" "$(sql "$(printf "$same" 'Bản sao GIFT/Sở Nội vụ' 'Sở Nội vụ' 'Sở Nội vụ')")"
out=$(pl_cli questions export --format gift --category "Học viện Cán bộ" 2>&1 >/dev/null)
has "GIFT says what it cannot hold: the ordering question" "[gift_type_unsupported]" "$out"
has "and writes the rest" "exported $((n_xml - 1)) of $n_xml questions as gift" "$out"

# ---- the web list, the question, the categories ----
r=$(get gv1 "/api/questions?category=$(urlq 'Sở Nội vụ')&type=numerical&limit=2")
is "the list filters by type and pages" "3|2|numerical" "$(printf '%s' "$r" | json 'str(d["total"]) + "|" + str(len(d["questions"])) + "|" + d["questions"][0]["type"]')"
r=$(get gv1 "/api/questions?category=$(urlq 'Sở Nội vụ')&difficulty=hard")
is "by difficulty" "Chỉ số" "$(printf '%s' "$r" | json '",".join(q["name"] for q in d["questions"])')"
r=$(get gv1 "/api/questions?category=$(urlq 'Sở Nội vụ')&tag=$(urlq 'chuyên gia')")
is "by tag" "Chỉ tiêu chuyên gia" "$(printf '%s' "$r" | json '",".join(q["name"] for q in d["questions"])')"
r=$(get gv1 "/api/questions?category=$(urlq 'Sở Nội vụ')&q=$(urlq 'HÀI LÒNG')")
is "by a piece of the name, whatever the case" "Mục tiêu hài lòng,Tỉ lệ hài lòng năm 2020" "$(printf '%s' "$r" | json '",".join(q["name"] for q in d["questions"])')"
r=$(get gv1 "/api/questions?category=$(urlq 'Sở Nội vụ/CCHC/Đề án 2709')&limit=500")
is "in Vietnamese order" "Chỉ số,Chỉ tiêu chuyên gia,Cơ quan tham mưu,Lĩnh vực cải cách" "$(printf '%s' "$r" | json '",".join(q["name"] for q in d["questions"][:4])')"
is "a bad filter is a 422 naming it" "422" "$(code_of gv1 "/api/questions?type=calculated")"
is "a limit over 500 too" "422" "$(code_of gv1 "/api/questions?limit=501")"
r=$(get gv1 /api/categories)
has "the categories, with their parents and counts" '"path":"Sở Nội vụ/CCHC/Đề án 2709/Chỉ tiêu","name":"Chỉ tiêu","questions":5' "$r"
is "an unknown question: 404" "404" "$(code_of gv1 "/api/question?id=999999")"

# ---- who may ----
for u in ns1 hv1; do
	for p in "/api/questions" "/api/question?id=$qid" "/api/categories" "/api/questions/export?format=gift"; do
		is "$u gets 403 on GET $p" "403" "$(code_of $u "$p")"
	done
	is "$u gets 403 on an import" "403" "$(upload $u "$data/cchc-de-an-2709.gift" text/plain 'format=gift&category=X')"
	is "$u gets 403 on an edit" "403" "$(edit $u "$qid" 2 "$work/edit.json")"
done
is "without a session: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/api/questions")"
is "an import without the CSRF token: 403" "403" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.gv1" -H 'Content-Type: text/plain' --data-binary "@$data/cchc-de-an-2709.gift" "$PL_URL/api/questions/import?format=gift")"
is "an import as JSON: 415" "415" "$(upload gv1 "$data/cchc-de-an-2709.gift" application/json 'format=gift')"

# ---- 5,000 questions in one file ----
python3 - "$work/big5000.gift" <<'EOF'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(5000):
        f.write(f"$CATEGORY: $course$/top/Kho lớn/Phần {i // 500}\n\n" if i % 500 == 0 else "")
        f.write(f"// [tag:difficulty:medium] [tag:kho-lớn]\n::Câu {i:04d}::Theo Quyết định 2709/QĐ-UBND, "
                f"nội dung số {i} thuộc lĩnh vực nào?{{=Cải cách hành chính ~Tài chính ~Đất đai ~Y tế}}\n\n")
EOF
start=$(date +%s%N)
out=$(pl_cli questions import "$work/big5000.gift" --format gift 2>&1); rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
is "5,000 questions import" "0" "$rc"
has "all of them" "5000 questions (single 5000)" "$out"
echo "# 5,000 questions imported in $ms ms"
ok "in seconds (under 30 s, sanitizers on)" test "$ms" -lt 30000
is "in ten categories under one" "11|5000" "$(sql "SELECT (SELECT count(*) FROM question_category WHERE path LIKE 'Kho lớn%'), (SELECT count(*) FROM question_tag WHERE tag = 'kho-lớn')")"

# the server must stop cleanly: a sanitizer report makes its exit status non-zero
trap - EXIT
pl_stop >/dev/null 2>&1 || { echo "not ok - the server stopped cleanly (see its log)"; CHECK_FAILED=$((CHECK_FAILED + 1)); }
finish
