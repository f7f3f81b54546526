#!/usr/bin/env bash
# tests/package/personnel_schemas.sh — the contract with the city's personnel system
# (schemas/personnel/, docs/personnel-sync.md):
#   - every example in schemas/personnel/examples/ is valid against its schema (roster*.json
#     against roster.schema.json, event-*.json against training-record.schema.json), and
#     there is one event example per kind;
#   - the CSV example's header is the one the document gives, and each of its rows, read as
#     the document says, is a valid person;
#   - every file in examples/invalid/ is refused, for the reason its README line gives;
#   - no example holds a PIN that could be real (all start with 099, not a province code),
#     and no event example holds a PIN at all;
#   - the validator (tests/package/json_schema_check.py, Python standard library only) keeps
#     JSON Schema's rules where Python's differ, and refuses keywords outside its subset.
# Needs python3 only: no build, no network. Prints "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
dir=$src/schemas/personnel
ex=$dir/examples
doc=$src/docs/personnel-sync.md
check=$here/json_schema_check.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-personnel.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

schema_for() { # FILE -> the schema its name says
	case $(basename "$1") in
	roster*) echo "$dir/roster.schema.json" ;;
	event-*) echo "$dir/training-record.schema.json" ;;
	*) echo "" ;;
	esac
}

# ---- the valid examples ----
shopt -s nullglob
valid=("$ex"/*.json)
if [ "${#valid[@]}" -lt 5 ]; then is "at least 5 valid examples" ">= 5" "${#valid[@]}"; fi
for f in "${valid[@]}"; do
	name=$(basename "$f")
	schema=$(schema_for "$f")
	if [ -z "$schema" ]; then is "$name: named roster*.json or event-*.json" "a known name" "$name"; continue; fi
	out=$(python3 "$check" "$schema" "$f" 2>&1)
	is "$name is valid against $(basename "$schema")" "0" "$?"
	[ -n "${out##*: valid}" ] && echo "$out" | sed 's/^/    /'
done
for kind in course_completion exam_result certificate_issued certificate_revoked; do
	kinds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kind"])' "$ex/event-$kind.json" 2>&1)
	is "event-$kind.json is an example of kind $kind" "$kind" "$kinds"
done
units=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
codes = {u["code"] for u in r["units"]}
ok = all(u.get("parent_code") in codes | {None} for u in r["units"])
ok = ok and all(s in codes for u in r["units"] for s in u.get("successor_codes", []))
ok = ok and all(p["unit_code"] in codes for p in r["people"])
old = [u for u in r["units"] if u.get("valid_to") == "2025-06-30" and u.get("successor_codes")]
new = [u for u in r["units"] if u.get("valid_from") == "2025-07-01"]
print(ok, len(r["people"]), bool(old), bool(new))' "$ex/roster.json" 2>&1)
is "roster.json: parents, successors and units of people all exist; 3 people; units before and after 1 July 2025" \
	"True 3 True True" "$units"

# A byte order mark before the JSON is accepted (the document says: with or without BOM).
printf '\xef\xbb\xbf' >"$tmp/roster-bom.json"
cat "$ex/roster.json" >>"$tmp/roster-bom.json"
out=$(python3 "$check" "$dir/roster.schema.json" "$tmp/roster-bom.json" 2>&1)
is "roster.json with a UTF-8 BOM is valid" "0" "$?"

# ---- the CSV form of people ----
header=$(head -n 1 "$ex/roster-people.csv" | tr -d '\r')
if [ -f "$doc" ] && grep -qxF -- "$header" "$doc"; then ok "roster-people.csv's header is the one docs/personnel-sync.md gives" true
else ok "roster-people.csv's header is the one docs/personnel-sync.md gives ($header)" false; fi
out=$(python3 - "$ex/roster-people.csv" "$tmp" <<'PY'
import csv, json, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
for i, row in enumerate(rows):
    person = {}
    for k, v in row.items():
        if v == "":
            continue            # an empty cell: the member is absent
        if k in ("is_leader", "active"):
            v = {"true": True, "false": False}.get(v, v)
        person[k] = v
    with open("%s/person-%d.json" % (sys.argv[2], i + 2), "w", encoding="utf-8") as o:
        json.dump(person, o, ensure_ascii=False)
print(len(rows))
PY
)
is "roster-people.csv has 3 rows" "3" "$out"
out=$(python3 "$check" "$dir/roster.schema.json" --ref '#/$defs/person' "$tmp"/person-*.json 2>&1)
is "every row of roster-people.csv is a valid person" "0" "$?"
[ "$out" = "${out//invalid/}" ] || echo "$out" | sed 's/^/    /'
same=$(python3 - "$ex/roster.json" "$tmp" <<'PY'
import glob, json, sys
people = json.load(open(sys.argv[1]))["people"]
rows = [json.load(open(p)) for p in sorted(glob.glob(sys.argv[2] + "/person-*.json"))]
print(rows == people)
PY
)
is "roster-people.csv holds the same people as roster.json" "True" "$same"

# ---- the invalid examples ----
readme=$ex/invalid/README.md
invalid=("$ex"/invalid/*.json)
if [ "${#invalid[@]}" -lt 4 ]; then is "at least 4 invalid examples" ">= 4" "${#invalid[@]}"; fi
for f in "${invalid[@]}"; do
	name=$(basename "$f")
	schema=$(schema_for "$f")
	line=$(grep -F -- "- \`$name\` — " "$readme" 2>/dev/null | head -n 1)
	expect=$(sed -n 's/.* Expect: `\(.*\)`\.\{0,1\}$/\1/p' <<<"$line")
	if [ -z "$line" ] || [ -z "$expect" ]; then
		is "$name: a README line says why it is invalid, with Expect: \`...\`" "a line" "${line:-none}"
		continue
	fi
	out=$(python3 "$check" "$schema" "$f" 2>&1)
	rc=$?
	is "$name is refused (exit 1)" "1" "$rc"
	has "$name: refused because: ${line#*— }" "$expect" "$out"
done
for line in $(sed -n 's/^- `\([^`]*\)` — .*/\1/p' "$readme"); do
	[ -f "$ex/invalid/$line" ] || ok "README names $line, which exists" false
done

# ---- PINs ----
pins=$(python3 - "$ex" <<'PY'
import csv, glob, json, re, sys
found = []
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "pin":
                found.append(x)
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
for p in glob.glob(sys.argv[1] + "/**/*.json", recursive=True):
    walk(json.load(open(p, encoding="utf-8-sig")))
for p in glob.glob(sys.argv[1] + "/**/*.csv", recursive=True):
    found += [r["pin"] for r in csv.DictReader(open(p, encoding="utf-8-sig", newline=""))]
print(len(found), all(isinstance(x, str) and x.startswith("099") for x in found))
PY
)
is "every PIN in the examples is made up (starts with 099)" "True" "${pins#* }"
leaks=$(grep -lE '"pin"|0991[0-9]{8}|0990[0-9]{8}' "$ex"/event-*.json 2>/dev/null)
is "no valid event example holds a PIN" "" "$leaks"
has "the training-record schema says an event never carries the PIN" "NEVER carries the personal identification number" \
	"$(cat "$dir/training-record.schema.json")"

# ---- the validator keeps JSON Schema's rules ----
cat >"$tmp/s.json" <<'JSON'
{"type":"object","properties":{"n":{"type":"integer"},"c":{"type":"string","pattern":"^\\d{3}$"},"d":{"type":"string","format":"date"}}}
JSON
v() { printf '%s' "$1" >"$tmp/i.json"; python3 "$check" "$tmp/s.json" "$tmp/i.json" >/dev/null 2>&1; echo $?; }
is "validator: true is not an integer" "1" "$(v '{"n":true}')"
is "validator: 2.0 is an integer" "0" "$(v '{"n":2.0}')"
is "validator: a pattern matches what it should" "0" "$(v '{"c":"123"}')"
is "validator: \"\$\" does not match before a final newline" "1" "$(v '{"c":"123\n"}')"
is "validator: \\d means [0-9] only (no other scripts' digits)" "1" "$(v '{"c":"١٢٣"}')"
is "validator: 2024-02-29 is a date" "0" "$(v '{"d":"2024-02-29"}')"
is "validator: 2025-02-29 is not" "1" "$(v '{"d":"2025-02-29"}')"
is "validator: a duplicate member makes the file unusable (exit 2)" "2" "$(v '{"n":1,"n":2}')"
printf '{"oneOf":[{"type":"string"}]}' >"$tmp/s.json"
is "validator: a keyword outside the subset is refused (exit 2)" "2" "$(v '"x"')"

finish
