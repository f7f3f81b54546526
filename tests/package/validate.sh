#!/usr/bin/env bash
# `parlearn package validate` as a trainer uses it: the real SCORM packages of
# ../shared/scorm-samples (complete ones valid with their real item tree, broken fixtures
# refused with the reason their README gives), hostile zips refused before anything is
# read, unusable input told apart (exit 2), and the JSON report.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
samples=${PARLEARN_SCORM_SAMPLES:-$src/../shared/scorm-samples}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-validate.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

validate() { "$PARLEARN_BIN" package validate "$@" 2>&1; }

if compgen -G "$samples/*.zip" >/dev/null; then
	for p in ContentPackagingSingleSCO_SCORM12 ContentPackagingWithMetadata_SCORM12 \
		LaunchUrlFromNestedItem_SCORM12 MultipleItemsWithIdentifierRef_SCORM12 \
		ContentPackagingSingleSCO_SCORM20043rdEdition ContentPackagingOneFilePerSCO_SCORM20043rdEdition \
		RuntimeBasicCalls_SCORM20043rdEdition RuntimeMinimumCalls_SCORM20043rdEdition \
		SequencingPostTestRollup_SCORM20043rdEdition; do
		out=$(validate "$samples/$p.zip")
		is "$p is valid (exit 0)" "0" "$?"
		has "$p: no errors, no warnings" "valid (0 errors, 0 warnings)" "$out"
	done
	out=$(validate "$samples/ContentPackagingSingleSCO_SCORM12.zip")
	has "the SCORM 1.2 package is recognised with its title" 'SCORM 1.2, "Golf Explained - CP Single SCO"' "$out"
	has "its launch file and SCO type are shown" "Golf Explained  → shared/launchpage.html  (sco)" "$out"
	out=$(validate "$samples/SequencingPostTestRollup_SCORM20043rdEdition.zip" --json)
	items=$(echo "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
def count(items): return sum(1 + count(i["items"]) for i in items)
print(r["valid"], r["version"], count(r["items"]), r["items"][0]["items"][0]["href"] if r["items"][0]["items"] else r["items"][0].get("href"))')
	has "the JSON report gives validity, version and the whole item tree" "True SCORM 2004 3rd Edition 5" "$items"
	has "launch parameters in href query strings are kept" "shared/launchpage.html?content=" "$items"

	check_fixture() {
		local p=$1 code=$2 want=$3
		out=$(validate "$samples/$p.zip")
		is "$p is refused (exit 1)" "1" "$?"
		has "$p: the report says $code" "[$code]" "$out"
		has "$p: with the file and line" "$want" "$out"
	}
	check_fixture MinimalValid_SCORM20043rdEdition launch_file_missing 'imsmanifest.xml:19: Launch file "index.html"'
	check_fixture AdlAttributes_SCORM20043rdEdition launch_file_missing 'is not in the package'
	check_fixture ComplexNestedOrganization_SCORM12 launch_file_missing 'content/section2_1_1.html'
	check_fixture ContentPackagingNoSchemaVersion_SCORM20042ndEdition schemaversion_missing 'imsmanifest.xml:'
	check_fixture InvalidFileReferences_SCORM12 launch_file_missing 'imsmanifest.xml:26: Launch file "content/nonexistent.html"'
	check_fixture InvalidMissingOrgIdentifier_SCORM20043rdEdition identifier_missing 'imsmanifest.xml:12:'
	check_fixture MissingLaunchUrl_SCORM12 launch_missing 'imsmanifest.xml:24:'
	check_fixture MissingRequiredFields_SCORM12 title_missing 'imsmanifest.xml:18:'
else
	echo "validate.sh: no SCORM samples at $samples; skipping those checks"
fi

# Hostile zips (the corpus of tests/package/make_hostile.py): refused by name, exit 1.
python3 "$here/make_hostile.py" "$tmp/h" >/dev/null
hostile() {
	local z=$1 code=$2
	out=$(validate "$tmp/h/$z.zip")
	is "$z.zip is refused (exit 1)" "1" "$?"
	has "$z.zip: [$code]" "[$code]" "$out"
}
hostile traversal name_parent_ref
hostile absolute name_absolute
hostile backslash name_backslash
hostile symlink symlink
hostile encrypted encrypted
hostile bomb compression_ratio
hostile duplicate duplicate_name
out=$(validate "$tmp/h/traversal.zip")
has "the trainer reads which entry and why" 'entry "../../evil.txt" points outside the package' "$out"

# parlearn package build DIR -o FILE: a folder checked, then zipped; nothing written on errors.
if compgen -G "$samples/*.zip" >/dev/null; then
	python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
		"$samples/ContentPackagingSingleSCO_SCORM12.zip" "$tmp/golf"
	out=$("$PARLEARN_BIN" package build "$tmp/golf" -o "$tmp/golf.zip" 2>&1)
	is "a good folder builds (exit 0)" "0" "$?"
	has "and says how many files" "44 files written" "$out"
	out=$(validate "$tmp/golf.zip")
	is "the built zip validates" "0" "$?"
	has "with its item tree" "Golf Explained  → shared/launchpage.html  (sco)" "$out"
	ln -s /etc/passwd "$tmp/golf/link.html"
	out=$("$PARLEARN_BIN" package build "$tmp/golf" -o "$tmp/golf-link.zip" 2>&1)
	is "a folder holding a symbolic link is refused (exit 1)" "1" "$?"
	has "naming it" '"link.html" is a symbolic link' "$out"
	ok "and nothing is written" test ! -e "$tmp/golf-link.zip"
	rm "$tmp/golf/link.html" "$tmp/golf/shared/launchpage.html"
	out=$("$PARLEARN_BIN" package build "$tmp/golf" -o "$tmp/golf-nolaunch.zip" 2>&1)
	is "a folder without its launch file is refused (exit 1)" "1" "$?"
	has "with the manifest's line" 'imsmanifest.xml:53: Launch file "shared/launchpage.html"' "$out"
	ok "and nothing is written, no temporary file left" bash -c "! ls '$tmp'/golf-nolaunch.zip* 2>/dev/null | grep -q ."
fi

# A native PAR lesson: the manifest points at lesson.xml, which is checked against the
# schema and the rules beyond it.
out=$("$PARLEARN_BIN" package build "$src/content/courses/cchc-2021-2030" -o "$tmp/cchc.zip" 2>&1)
is "the sample PAR lesson builds" "0" "$?"
out=$(validate "$tmp/cchc.zip")
is "and validates" "0" "$?"
has "as a PAR lesson with its structure" '(leadership), 2 modules, 4 lessons, 8 pages, 8 questions, 2 training periods' "$out"
has "with no warnings" "valid (0 errors, 0 warnings)" "$out"
cp -r "$src/content/courses/cchc-2021-2030" "$tmp/badlesson"
sed -i '0,/<page /s//<page onclick="steal()" /' "$tmp/badlesson/lesson.xml"
out=$("$PARLEARN_BIN" package build "$tmp/badlesson" -o "$tmp/badlesson.zip" 2>&1)
is "a lesson with an event attribute is refused (exit 1)" "1" "$?"
has "by the schema, with its line" "attribute 'onclick': The attribute 'onclick' is not allowed. [schema_invalid]" "$out"
ok "and no zip is left" test ! -e "$tmp/badlesson.zip"

# Unusable input: exit 2 with a sentence.
out=$(validate "$tmp/h/not_a_zip.zip")
is "a file that is not a zip: exit 2" "2" "$?"
has "and says so" "not a zip" "$out"
out=$(validate "$tmp/does-not-exist.zip")
is "a missing file: exit 2" "2" "$?"
has "and says so" "No such file" "$out"
out=$(validate "$tmp/h/valid.zip")
is "a zip without organizations is refused (exit 1)" "1" "$?"
has "naming what is missing" "[organizations_missing]" "$out"
finish
