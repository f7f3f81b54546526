#!/usr/bin/env bash
# The roster import (docs/personnel-sync.md, section 1): `parlearn roster import` with JSON
# and CSV files, and the signed endpoint POST /api/hr/v1/roster. What an operator checks:
# the units, people and their dated history after an import; that the same file twice
# changes nothing; that a dry run changes nothing; that one bad row stops the whole file with
# every problem listed (and no identification number in the report); that a truncated export
# cannot deactivate a district without --force; that an older export is refused; and that the
# endpoint refuses unsigned, badly signed, stale and replayed pushes.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

secret="whsec_$(python3 -c 'import base64,os; print(base64.b64encode(bytes(range(32))).decode())')"
export PARLEARN_ROSTER_SECRET=$secret
pl_start || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -q -A -t -F '|' "host=$PL_DATA/var/pg/run dbname=parlearn user=postgres" -c "$1"; }
work=$PL_DATA/files
mkdir -p "$work"
examples=$PARLEARN_SOURCE/schemas/personnel/examples

# ---- a first import: the example roster ----
out=$(pl_cli roster import "$examples/roster.json" 2>&1); rc=$?
is "the example roster imports" "0" "$rc"
has "and says what it added" "units added          9" "$out"
has "people too" "people added         3" "$out"
is "units are there with their parents" "P-SAIGON|HCM|2025-07-01|" \
	"$(sql "SELECT u.code, p.code, u.valid_from, coalesce(u.valid_to::text,'') FROM org_unit u JOIN org_unit p ON p.id = u.parent_id WHERE u.code = 'P-SAIGON'")"
is "successor links of the 1 July 2025 reform are kept" "P-SAIGON,P-TANDINH" \
	"$(sql "SELECT string_agg(b.code, ',' ORDER BY b.code) FROM unit_successor s JOIN org_unit a ON a.id = s.unit_id JOIN org_unit b ON b.id = s.successor_id WHERE a.code = 'Q1-DAKAO'")"
is "a person's history begins on the row's valid_from" "SNV-VP|2023-03-01|t" \
	"$(sql "SELECT u.code, h.valid_from, h.active FROM person_history h JOIN person p ON p.id = h.person_id JOIN org_unit u ON u.id = h.unit_id WHERE p.employee_code = 'NV-000123'")"
is "position from the positions table, e-mail kept" "Chuyên viên|CV|lan.nt@example.gov.vn" \
	"$(sql "SELECT p.position, j.code, p.email FROM person p JOIN job_position j ON j.id = p.position_id WHERE employee_code = 'NV-000123'")"
is "an inactive person is imported inactive" "f" "$(sql "SELECT active FROM person WHERE employee_code = 'Q1-0007'")"

out=$(pl_cli roster import "$examples/roster.json" 2>&1); rc=$?
is "the same file again is fine" "0" "$rc"
has "and changes nothing" "people unchanged     3" "$out"
hasnt "no person changed" "people changed" "$out"
is "no history row was added by the second import" "3" "$(sql "SELECT count(*) FROM person_history")"

# ---- a later file: moves, a new person, an absence ----
python3 - "$examples/roster.json" "$work/later.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r["generated_at"] = "2025-09-01T08:00:00+07:00"
for p in r["people"]:
    if p["employee_code"] == "NV-000123":
        p["unit_code"] = "P-TANDINH"; p["valid_from"] = "2025-08-15"
        p["full_name"] = "Nguyễn Thị Lan Anh"
r["people"].append({"employee_code": "PTD-0001", "pin": "099190000555", "full_name": "Phạm Thu Hà",
    "unit_code": "P-TANDINH", "position": "Công chức Văn phòng - Thống kê", "is_leader": False,
    "par_role": "dedicated", "active": True, "valid_from": "2025-07-01"})
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
before=$(sql "SELECT count(*) FROM person_history")
out=$(pl_cli roster import "$work/later.json" --dry-run --json 2>&1); rc=$?
is "a dry run succeeds" "0" "$rc"
has "it reports the move" '"kind":"person_moved","code":"NV-000123","detail":"SNV-VP"' "$out"
has "and the new person" '"kind":"person_added","code":"PTD-0001"' "$out"
has "its outcome is dry_run" '"outcome":"dry_run"' "$out"
is "and changes nothing" "$before|SNV-VP" "$(sql "SELECT (SELECT count(*) FROM person_history), u.code FROM person p JOIN org_unit u ON u.id = p.unit_id WHERE employee_code = 'NV-000123'")"
out=$(pl_cli roster import "$work/later.json" 2>&1); rc=$?
is "the later file applies" "0" "$rc"
is "the move closes the old period the day before and opens the new one" "SNV-VP|2023-03-01|2025-08-14
P-TANDINH|2025-08-15|" \
	"$(sql "SELECT u.code, h.valid_from, coalesce(h.valid_to::text,'') FROM person_history h JOIN person p ON p.id = h.person_id JOIN org_unit u ON u.id = h.unit_id WHERE p.employee_code = 'NV-000123' ORDER BY h.valid_from")"
is "the new name is kept" "Nguyễn Thị Lan Anh" "$(sql "SELECT full_name FROM person WHERE employee_code = 'NV-000123'")"

# ---- an older export is refused ----
out=$(pl_cli roster import "$examples/roster.json" 2>&1); rc=$?
is "an export older than the last one from the same source is refused" "1" "$rc"
has "saying why" "generated before the last file imported from the same source" "$out"
is "and the move stays" "P-TANDINH" "$(sql "SELECT u.code FROM person p JOIN org_unit u ON u.id = p.unit_id WHERE employee_code = 'NV-000123'")"

# ---- one file with many problems: each row reported, nothing applied ----
python3 - "$work/later.json" "$work/bad.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r["generated_at"] = "2025-10-01T08:00:00+07:00"
r["units"] += [
  {"code": "X-ORPHAN", "name": "Đơn vị mồ côi", "kind": "office", "parent_code": "NOWHERE"},
  {"code": "X-A", "name": "A", "kind": "office", "parent_code": "X-B"},
  {"code": "X-B", "name": "B", "kind": "office", "parent_code": "X-A"},
  {"code": "X-DATE", "name": "Ngày sai", "kind": "office", "parent_code": "HCM",
   "valid_from": "2025-07-01", "valid_to": "2025-06-30"},
  {"code": "SNV", "name": "Sở Nội vụ (trùng)", "kind": "department", "parent_code": "HCM"},
  {"code": "X-KIND", "name": "Loại lạ", "kind": "planet", "parent_code": "HCM"}]
r["people"] += [
  {"employee_code": "DUP-PIN", "pin": "099190000555", "full_name": "Trùng Số", "unit_code": "SNV-VP",
   "position": "Chuyên viên", "is_leader": False, "par_role": "none", "active": True, "valid_from": "2025-01-01"},
  {"employee_code": "OLD-UNIT", "pin": "099190000777", "full_name": "Đơn Vị Cũ", "unit_code": "P-SAIGON",
   "position": "Chuyên viên", "is_leader": False, "par_role": "none", "active": True, "valid_from": "2025-01-01"},
  {"employee_code": "NO-POS", "pin": "099190000778", "full_name": "Không Chức Danh", "unit_code": "SNV-VP",
   "is_leader": False, "par_role": "none", "active": True, "valid_from": "2025-01-01"},
  {"employee_code": "BAD-PIN", "pin": "09919000077", "full_name": "Số Ngắn", "unit_code": "SNV-VP",
   "position": "Chuyên viên", "is_leader": False, "par_role": "none", "active": True, "valid_from": "2025-01-01"},
  {"employee_code": "WRONG-TYPE", "pin": "099190000779", "full_name": "Kiểu Sai", "unit_code": "SNV-VP",
   "position": "Chuyên viên", "is_leader": "yes", "par_role": "none", "active": True, "valid_from": "2025-01-01"}]
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
units_before=$(sql "SELECT count(*) FROM org_unit")
out=$(pl_cli roster import "$work/bad.json" 2>&1); rc=$?
is "a file with rejected rows exits 1" "1" "$rc"
has "it says nothing was changed" "NOT imported" "$out"
has "an unknown parent is named" "/units/9 X-ORPHAN: parent_code NOWHERE names no unit" "$out"
has "a cycle is named" "parent_code makes a cycle" "$out"
has "an inverted period is named" "X-DATE: valid_to is before valid_from" "$out"
has "a duplicate code is named" "SNV: the same unit code appears twice" "$out"
has "an unknown kind is named" "X-KIND: kind must be" "$out"
has "a PIN held by another person names the other employee, not the number" "DUP-PIN: the identification number is held already by employee PTD-0001" "$out"
has "a unit not valid on the person's date is named" "OLD-UNIT: the unit was not valid on the person's valid_from" "$out"
has "a person without a position is named" "NO-POS: give either position_code or position" "$out"
has "an 11-digit PIN is refused" "BAD-PIN: pin must be exactly 12 digits" "$out"
has "a wrong type is named with its JSON pointer" "/people/8 WRONG-TYPE: is_leader must be true or false" "$out"
hasnt "no identification number appears in the report" "09919000055" "$out"
hasnt "nor the short one" "09919000077" "$out"
is "no unit was added" "$units_before" "$(sql "SELECT count(*) FROM org_unit")"
is "the import is on record as rejected, with the file's SHA-256" "rejected|12|$(sha256sum "$work/bad.json" | cut -c1-64)" \
	"$(sql "SELECT outcome, rejected, file_sha256 FROM roster_import ORDER BY id DESC LIMIT 1")"

# ---- whole-file problems ----
printf '{"format":"parlearn-roster","version":2,"generated_at":"2025-10-01T08:00:00+07:00","source":"x","units":[],"people":[]}' >"$work/v2.json"
out=$(pl_cli roster import "$work/v2.json" 2>&1)
has "a later version of the format is refused" "version must be 1" "$out"
printf '{"format":"parlearn-roster",' >"$work/cut.json"
out=$(pl_cli roster import "$work/cut.json" 2>&1)
has "a truncated JSON file is refused" "not well-formed JSON" "$out"

# ---- CSV: BOM, quoting, Windows-1258 ----
{
	printf '\xef\xbb\xbf'
	printf 'employee_code,pin,full_name,unit_code,position_code,position,is_leader,par_role,active,valid_from,email\r\n'
	printf 'PTD-0001,099190000555,Phạm Thu Hà,P-TANDINH,,"Công chức Văn phòng - Thống kê",false,dedicated,true,2025-07-01,\r\n'
	printf 'PTD-0002,099190000556,"Võ ""Bé"" Ngọc, Trinh",P-TANDINH,CV,,false,concurrent,true,2025-07-01,trinh@example.gov.vn\r\n'
} >"$work/ptd.csv"
out=$(pl_cli roster import "$work/ptd.csv" --scope P-TANDINH --generated-at 2025-10-02T08:00:00+07:00 --force 2>&1); rc=$?
is "a CSV with a BOM, CRLF and quoted fields imports" "0" "$rc"; [ "$rc" = 0 ] || echo "$out"
is "a quoted comma and doubled quotes are read" 'Võ "Bé" Ngọc, Trinh' "$(sql "SELECT full_name FROM person WHERE employee_code = 'PTD-0002'")"
has "the person of the scope missing from the CSV is deactivated" "person_deactivated NV-000123: not in the file" "$out"
is "deactivated, not deleted: the history stays and gets an inactive period" "t|f" \
	"$(sql "SELECT bool_or(h.active), bool_and(p.active) FROM person_history h JOIN person p ON p.id = h.person_id WHERE p.employee_code = 'NV-000123'")"
{
	printf 'employee_code,pin,full_name,unit_code,position_code,position,is_leader,par_role,active,valid_from,email\n'
	printf 'PTD-0001,099190000555,Phạm Thu Hà,P-TANDINH,,X,false,dedicated,true,2025-07-01,\n'
	printf 'PTD-0003,099190000557,Hồ Thị Mai,P-TANDINH,,"Chuyên viên\n(hợp đồng)",false,none,true,2025-07-01,\n'
	printf 'PTD-0004,0991900005,Hồ Văn Tư,P-TANDINH,,X,false,none,true,2025-07-01,\n'
} >"$work/multi.csv"
out=$(pl_cli roster import "$work/multi.csv" --scope P-TANDINH 2>&1)
has "a quoted line break stays in its field, which is refused as a position" "line 3 PTD-0003: position must be 1 to 200 characters on one line" "$out"
has "the rows after it keep their line numbers" "line 5 PTD-0004: pin must be exactly 12 digits" "$out"
printf 'employee_code,pin,full_name,unit_code,position_code,position,is_leader,par_role,active,valid_from,email\nPTD-0001,099190000555,Phạm Thu Hà,P-TANDINH,,X,false,dedicated,true,2025-07-01,\nPTD-0005,099190000558,"Lý Hai,P-TANDINH,,X,false,none,true,2025-07-01,\n' >"$work/unterminated.csv"
has "an unterminated quote is refused, naming the line it began on" "line 3: " "$(pl_cli roster import "$work/unterminated.csv" 2>&1)"
printf 'employee_code,pin,full_name,unit_code,position_code,position,is_leader,par_role,active,valid_from,email\nPTD-0009,099190000559,Ph\xe1m Thu,P-TANDINH,,X,false,none,true,2025-07-01,\n' >"$work/cp1258.csv"
out=$(pl_cli roster import "$work/cp1258.csv" 2>&1); rc=$?
is "a Windows-1258 file is refused" "1" "$rc"
has "naming the first bad line" "line 2 is not UTF-8" "$out"
printf 'code,pin\nA,1\n' >"$work/header.csv"
has "a wrong header is refused" "line 1 must be exactly the header" "$(pl_cli roster import "$work/header.csv" 2>&1)"

# ---- the deactivation guard ----
for i in $(seq 1 20); do
	printf '{"employee_code":"G-%02d","pin":"0991910000%02d","full_name":"Người %02d","unit_code":"DK-CONDAO","position":"Chuyên viên","is_leader":false,"par_role":"none","active":true,"valid_from":"2025-07-01"}\n' "$i" "$i" "$i"
done | python3 -c '
import json, sys
people = [json.loads(l) for l in sys.stdin]
def roster(n, when):
    return {"format": "parlearn-roster", "version": 1, "generated_at": when, "source": "condao",
            "scope_unit_code": "DK-CONDAO", "units": [], "people": people[:n]}
json.dump(roster(20, "2025-10-01T08:00:00+07:00"), open(sys.argv[1], "w"), ensure_ascii=False)
json.dump(roster(15, "2025-10-02T08:00:00+07:00"), open(sys.argv[2], "w"), ensure_ascii=False)
' "$work/condao20.json" "$work/condao15.json"
pl_cli roster import "$work/condao20.json" >/dev/null 2>&1
out=$(pl_cli roster import "$work/condao15.json" 2>&1); rc=$?
is "a file that drops 5 of 20 people (25 %) stops" "1" "$rc"
has "and says how many and asks for --force" "deactivate 5 of the 20 active people" "$out"
is "nobody was deactivated" "20" "$(sql "SELECT count(*) FROM person WHERE employee_code LIKE 'G-%' AND active")"
out=$(pl_cli roster import "$work/condao15.json" --guard 30 2>&1); rc=$?
is "a guard of 30 % lets it through" "0" "$rc"
is "five people are inactive now" "15" "$(sql "SELECT count(*) FROM person WHERE employee_code LIKE 'G-%' AND active")"

# ---- the signed endpoint ----
sign() { # sign ID TS FILE -> the webhook-signature value
	python3 -c '
import base64, hmac, hashlib, sys
key = base64.b64decode(sys.argv[1][6:])
body = open(sys.argv[4], "rb").read()
msg = sys.argv[2].encode() + b"." + sys.argv[3].encode() + b"." + body
print("v1," + base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode())' "$secret" "$1" "$2" "$3"
}
push() { # push ID TS SIG FILE [QUERY] [CTYPE] -> status and body
	curl -s -w '\n%{http_code}' -X POST -H "Content-Type: ${6:-application/json}" \
		-H "webhook-id: $1" -H "webhook-timestamp: $2" -H "webhook-signature: $3" \
		--data-binary "@$4" "$PL_URL/api/hr/v1/roster${5:-}"
}
python3 - "$work/condao15.json" "$work/push.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r["generated_at"] = "2025-10-03T08:00:00+07:00"
r["people"][0]["full_name"] = "Người Một"
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
now=$(date +%s)
r=$(curl -s -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$work/push.json" "$PL_URL/api/hr/v1/roster")
has "an unsigned push is refused" '"code":"signature_invalid"' "$r"
is "with 401" "401" "${r##*$'\n'}"
r=$(push msg_1 "$now" "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" "$work/push.json")
has "a wrong signature is refused" "the signature does not match" "$r"
old=$((now - 600))
r=$(push msg_2 "$old" "$(sign msg_2 "$old" "$work/push.json")" "$work/push.json")
has "a signature 10 minutes old is refused" "more than 300 s from parlearn's clock" "$r"
r=$(push msg_3 "$now" "$(sign msg_3 "$now" "$work/push.json")" "$work/push.json" "?dry_run=1")
is "a signed dry run answers 200" "200" "${r##*$'\n'}"
has "with the report" '"outcome":"dry_run"' "$r"
is "and changes nothing" "Người 01" "$(sql "SELECT full_name FROM person WHERE employee_code = 'G-01'")"
r=$(push msg_4 "$now" "$(sign msg_4 "$now" "$work/push.json")" "$work/push.json")
is "a signed push applies" "200" "${r##*$'\n'}"
is "the change is there" "Người Một" "$(sql "SELECT full_name FROM person WHERE employee_code = 'G-01'")"
r=$(push msg_4 "$now" "$(sign msg_4 "$now" "$work/push.json")" "$work/push.json")
is "the same push again is a replay: 409" "409" "${r##*$'\n'}"
has "named as such" '"code":"replayed"' "$r"
r=$(push msg_5 "$now" "$(sign msg_5 "$now" "$work/bad.json")" "$work/bad.json")
is "a pushed file with rejected rows gets 422" "422" "${r##*$'\n'}"
has "code roster_rejected, with the report" '"code":"roster_rejected"' "$r"
has "the report lists the rows" '"where":"/units/9","code":"X-ORPHAN"' "$r"
hasnt "and never a PIN" "099190000555" "$r"
r=$(push msg_6 "$now" "$(sign msg_6 "$now" "$work/ptd.csv")" "$work/ptd.csv" "?scope=P-TANDINH&source=ptd" "text/csv")
is "a signed CSV push applies" "200" "${r##*$'\n'}"
head -c $((65 * 1024 * 1024)) /dev/zero >"$work/huge.json"
r=$(push msg_7 "$now" "v1,x" "$work/huge.json")
is "a body over 64 MiB gets 413" "413" "${r##*$'\n'}"
r=$(curl -s -w '\n%{http_code}' -X POST -H 'Content-Type: text/xml' -H "webhook-id: m8" -H "webhook-timestamp: $now" -H "webhook-signature: v1,x" --data-binary '<x/>' "$PL_URL/api/hr/v1/roster")
is "another media type gets 415" "415" "${r##*$'\n'}"
hasnt "no identification number in the server log" "09919" "$(cat "$PL_LOG")"
hasnt "nor the secret" "${secret:6:20}" "$(cat "$PL_LOG")"

finish
