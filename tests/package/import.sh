#!/usr/bin/env bash
# `parlearn package import`: a checked package becomes the next version of its course, its
# files stored once by content; a refused package — broken or hostile — leaves no folder,
# no file and no row behind.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
samples=${PARLEARN_SCORM_SAMPLES:-$src/../shared/scorm-samples}
PL_DATA=$(mktemp -d /tmp/parlearn-test.XXXXXX)
chmod 0711 "$PL_DATA"
trap 'rm -rf -- "$PL_DATA"' EXIT
D=$PL_DATA/var
imp() { "$PARLEARN_BIN" package import "$@" --data "$D" 2>/dev/null; }
versions() { "$PARLEARN_BIN" course list --data "$D" 2>/dev/null | wc -l; }
state() { (cd "$D/content" 2>/dev/null && find . | sort); }

if ! compgen -G "$samples/*.zip" >/dev/null; then
	echo "import.sh: no SCORM samples at $samples"
	echo "0 passed, 0 failed"
	exit 0
fi
golf12=$samples/ContentPackagingSingleSCO_SCORM12.zip
golf2004=$samples/ContentPackagingSingleSCO_SCORM20043rdEdition.zip

out=$(imp "$golf12")
is "a valid SCORM 1.2 package imports (exit 0)" "0" "$?"
has "as version 1 of the course named by its manifest" "imported as course com.scorm.golfsamples.contentpac version 1 (44 files" "$out"
out=$(imp "$golf12")
has "importing it again makes version 2" "version 2" "$out"
out=$(imp "$golf2004" --course GOLF-2004)
has "--course names the course" "imported as course GOLF-2004 version 1 (69 files" "$out"
list=$("$PARLEARN_BIN" course list --data "$D" 2>/dev/null)
has "versions are listed newest first" "com.scorm.golfsamples.contentpac	v2	scorm12" "$list"
has "with their kind" "GOLF-2004	v1	scorm2004" "$list"
files=$(find "$D/content/v" -type f | wc -l)
blobs=$(find "$D/content/blobs" -type f | wc -l)
is "every version has its files" "157" "$files"
ok "identical files are stored once ($blobs blobs for $files files)" test "$blobs" -lt "$files"
v1=$(ls "$D/content/v" | head -1)
ok "a stored file is a hard link to its blob" test "$(stat -c %h "$(find "$D/content/v/$v1" -type f | head -1)")" -ge 2
is "no temporary folder is left" "" "$(ls "$D/content/tmp")"
ok "the launch file is there" test -f "$(dirname "$(find "$D/content/v" -path '*/shared/launchpage.html' | head -1)")/launchpage.html"

# A native PAR lesson becomes a course of kind "native".
"$PARLEARN_BIN" package build "$src/content/courses/cchc-2021-2030" -o "$PL_DATA/cchc.zip" >/dev/null 2>&1
out=$(imp "$PL_DATA/cchc.zip")
has "the sample PAR lesson imports under its own code" "imported as course cchc-2021-2030 version 1" "$out"
has "as a native lesson" "cchc-2021-2030	v1	native" "$("$PARLEARN_BIN" course list --data "$D" 2>/dev/null)"

# Refused packages change nothing.
before=$(state)
nver=$(versions)
out=$("$PARLEARN_BIN" package import "$samples/MinimalValid_SCORM20043rdEdition.zip" --data "$D" 2>&1)
is "a package with errors is refused (exit 1)" "1" "$?"
has "with the reason" "[launch_file_missing]" "$out"
python3 "$here/make_hostile.py" "$PL_DATA/h" >/dev/null
for z in traversal symlink bomb bomb_liar size_lie encrypted; do
	out=$("$PARLEARN_BIN" package import "$PL_DATA/h/$z.zip" --data "$D" 2>&1)
	is "hostile $z.zip is refused (exit 1)" "1" "$?"
done
is "no file or folder was added by the refused packages" "$before" "$(state)"
is "no version was recorded" "$nver" "$(versions)"
ok "nothing was written outside the data folder" test ! -e /tmp/evil.txt
out=$("$PARLEARN_BIN" package import "$PL_DATA/h/not_a_zip.zip" --data "$D" 2>&1)
is "a file that is not a zip: exit 2" "2" "$?"
out=$("$PARLEARN_BIN" package import "$PL_DATA/nope.zip" --data "$D" 2>&1)
is "a missing file: exit 2" "2" "$?"
out=$("$PARLEARN_BIN" package import "$golf12" --course 'bad code!' --data "$D" 2>&1)
is "a malformed course code is refused" "1" "$?"
has "saying what a code may hold" "course: must be 1 to 32 characters" "$out"
is "no postgres is left" "" "$(pl_postgres_pids)"
finish
