#!/usr/bin/env bash
# tests/package/par_schema.sh — the PAR lesson XML schema (schemas/par-lesson/) against:
#   - the sample native course content/courses/cchc-2021-2030/ (valid; its manifest names the
#     lesson resource; every media file it references is in the folder and in the manifest);
#   - the complete example and the minimal manifest in docs/par-lesson-format.md (valid);
#   - the broken and hostile lessons in tests/package/par-lessons/*.xml: each must be refused
#     by `xmllint --noout --nonet --schema` (with --nonet and WITHOUT --noent), with the error
#     fragment written in the file's `<!-- expect: ... -->` comment, and no byte of a file an
#     entity names may appear in the output;
#   - the schema itself: every element declaration carries xs:documentation.
# Needs xmllint (Debian package libxml2-utils). Needs no build. Prints "N passed, M failed".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
xsd=$src/schemas/par-lesson/par-lesson-1.0.xsd
course=$src/content/courses/cchc-2021-2030
doc=$src/docs/par-lesson-format.md
corpus=$here/par-lessons

if ! command -v xmllint >/dev/null 2>&1; then
	echo "par_schema.sh: xmllint not found; install the Debian package libxml2-utils" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-parschema.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
not_ok() {
	failed=$((failed + 1))
	echo "FAIL - $1"
	if [ -n "${2:-}" ]; then printf '%s\n' "$2" | head -n 20 | sed 's/^/       /'; fi
}

# validate FILE -> sets $out (stdout+stderr) and $rc; never exits under set -e
validate() {
	rc=0
	out=$(xmllint --noout --nonet --schema "$xsd" "$1" 2>&1) || rc=$?
}

# xpath FILE EXPR -> prints the result (empty when the set is empty)
xpath() {
	xmllint --nonet --xpath "$2" "$1" 2>/dev/null || true
}

# ---- the schema itself ----
validate "$course/lesson.xml"
if [ "$rc" -eq 0 ]; then ok "sample course lesson.xml validates"; else not_ok "sample course lesson.xml validates" "$out"; fi

undocumented=$(xpath "$xsd" "count(//*[local-name()='element'][not(*[local-name()='annotation']/*[local-name()='documentation'])])")
if [ "$undocumented" = "0" ]; then ok "every element declaration has xs:documentation"
else not_ok "every element declaration has xs:documentation" "$undocumented without"; fi

# ---- the sample course's package ----
manifest=$course/imsmanifest.xml
if xmllint --noout --nonet "$manifest" 2>"$tmp/err"; then ok "sample imsmanifest.xml is well-formed"
else not_ok "sample imsmanifest.xml is well-formed" "$(cat "$tmp/err")"; fi

lesson_href=$(xpath "$manifest" "string(//*[local-name()='resource'][@type='application/x-parlearn-lesson+xml']/@href)")
if [ "$lesson_href" = "lesson.xml" ]; then ok "manifest names lesson.xml as the application/x-parlearn-lesson+xml resource"
else not_ok "manifest names lesson.xml as the application/x-parlearn-lesson+xml resource" "got '$lesson_href'"; fi

code=$(xpath "$course/lesson.xml" "string(/*/@code)")
mid=$(xpath "$manifest" "string(/*/@identifier)")
if [ -n "$code" ] && [ "$code" = "$mid" ] && [ "$code" = "$(basename "$course")" ]; then
	ok "course code, manifest identifier and folder name agree ($code)"
else not_ok "course code, manifest identifier and folder name agree" "code=$code identifier=$mid"; fi

listed=$(xpath "$manifest" "//*[local-name()='file']/@href" | sed -n 's/.*href="\([^"]*\)".*/\1/p')
referenced=$(xpath "$course/lesson.xml" "//@src | //@poster" | sed -n 's/.*="\([^"]*\)".*/\1/p')
missing=""
for f in $listed $referenced; do
	[ -f "$course/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "every file the sample lesson and manifest reference is in the folder"
else not_ok "every file the sample lesson and manifest reference is in the folder" "missing:$missing"; fi
unlisted=""
for f in $referenced; do
	grep -qxF -- "$f" <<<"$listed" || unlisted="$unlisted $f"
done
if [ -z "$unlisted" ]; then ok "every media file the sample lesson references is listed in the manifest"
else not_ok "every media file the sample lesson references is listed in the manifest" "unlisted:$unlisted"; fi

n_questions=$(xpath "$course/lesson.xml" "count(//*[local-name()='single-choice' or local-name()='multiple-choice' or local-name()='true-false' or local-name()='short-answer' or local-name()='numerical'])")
n_pages=$(xpath "$course/lesson.xml" "count(//*[local-name()='page'])")
n_quiz=$(xpath "$course/lesson.xml" "count(//*[local-name()='quiz'])")
if [ "$n_questions" -ge 5 ] && [ "$n_pages" -ge 6 ] && [ "$n_quiz" -ge 1 ]; then
	ok "sample course has $n_pages pages, $n_questions questions and a quiz"
else not_ok "sample course has >= 6 pages, >= 5 questions and a quiz" "pages=$n_pages questions=$n_questions quizzes=$n_quiz"; fi

# ---- the examples in the documentation ----
extract_example() { # NAME -> the ```xml block after "<!-- example: NAME -->"
	awk -v name="$1" '
		$0 == "<!-- example: " name " -->" { want = 1; next }
		want && /^```xml/ { inblock = 1; next }
		inblock && /^```/ { exit }
		inblock { print }
	' "$doc"
}
extract_example lesson.xml >"$tmp/example-lesson.xml"
extract_example imsmanifest.xml >"$tmp/example-manifest.xml"
if [ -s "$tmp/example-lesson.xml" ]; then
	validate "$tmp/example-lesson.xml"
	if [ "$rc" -eq 0 ]; then ok "docs example lesson.xml validates"; else not_ok "docs example lesson.xml validates" "$out"; fi
else not_ok "docs example lesson.xml found in $doc"; fi
if [ -s "$tmp/example-manifest.xml" ] && xmllint --noout --nonet "$tmp/example-manifest.xml" 2>"$tmp/err" &&
	[ "$(xpath "$tmp/example-manifest.xml" "string(//*[local-name()='resource'][@type='application/x-parlearn-lesson+xml']/@href)")" = "lesson.xml" ]; then
	ok "docs example imsmanifest.xml is well-formed and names lesson.xml"
else not_ok "docs example imsmanifest.xml is well-formed and names lesson.xml" "$(cat "$tmp/err" 2>/dev/null)"; fi

# ---- broken and hostile lessons: each refused with its own error ----
shopt -s nullglob
broken=("$corpus"/*.xml)
if [ "${#broken[@]}" -lt 10 ]; then not_ok "corpus has at least 10 broken lessons" "found ${#broken[@]}"; fi
for f in "${broken[@]}"; do
	name=$(basename "$f" .xml)
	expect=$(sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$f" | head -n 1)
	if [ -z "$expect" ]; then not_ok "$name: has an <!-- expect: ... --> comment"; continue; fi
	validate "$f"
	if [ "$rc" -eq 0 ]; then
		not_ok "$name: refused" "xmllint accepted it"
	elif ! grep -qF -- "$expect" <<<"$out"; then
		not_ok "$name: refused with \"$expect\"" "$out"
	elif grep -qE 'root:[^:]*:0:0:|:/bin/(ba)?sh' <<<"$out"; then
		not_ok "$name: no file content leaks into the output" "$out"
	else
		ok "$name: refused ($expect)"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
