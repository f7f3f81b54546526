#!/usr/bin/env bash
# `parlearn package export-scorm`: a native PAR lesson becomes a SCORM 1.2 or 2004 package
# that passes the checks of any upload (and so another LMS's import), holds the lesson's
# files and the player, and imports back as a SCORM course; SCORM courses are not
# "exported" again; nothing is left behind.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
PL_DATA=$(mktemp -d /tmp/parlearn-test.XXXXXX)
chmod 0711 "$PL_DATA"
trap 'rm -rf -- "$PL_DATA"' EXIT
D=$PL_DATA/var
P() { "$PARLEARN_BIN" "$@" 2>&1 | grep -v ' INFO '; return "${PIPESTATUS[0]}"; }

P package build "$src/content/courses/cchc-2021-2030" -o "$PL_DATA/cchc.zip" >/dev/null
P package import "$PL_DATA/cchc.zip" --course CCHC --data "$D" >/dev/null
P package build "$src/content/courses/5s-scorm12" -o "$PL_DATA/5s.zip" >/dev/null
P package import "$PL_DATA/5s.zip" --course 5S --data "$D" >/dev/null

for v in 1.2 2004; do
	out=$(P package export-scorm CCHC --scorm "$v" -o "$PL_DATA/cchc-$v.zip" --data "$D")
	is "export to SCORM $v succeeds" "0" "$?"
	has "and says what it wrote" "SCORM $v package of CCHC version 1" "$out"
	out=$(P package validate "$PL_DATA/cchc-$v.zip")
	is "the SCORM $v package is valid" "0" "$?"
	has "with one SCO launching the player" "→ player/index.html  (sco)" "$out"
	list=$(python3 -c 'import sys, zipfile; print(" ".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))' "$PL_DATA/cchc-$v.zip")
	has "it carries the lesson" "lesson.xml" "$list"
	has "its media" "media/" "$list"
	has "and the player" "player/index.html player/player.css player/player.js" "$list"
done
has "the 1.2 manifest says SCORM 1.2" "<schemaversion>1.2</schemaversion>" "$(unzip -p "$PL_DATA/cchc-1.2.zip" imsmanifest.xml)"
has "the 2004 manifest says 2004 4th Edition" "<schemaversion>2004 4th Edition</schemaversion>" "$(unzip -p "$PL_DATA/cchc-2004.zip" imsmanifest.xml)"
out=$(P package import "$PL_DATA/cchc-2004.zip" --course CCHC-SCORM --data "$D")
has "the exported package imports back as a SCORM course" "imported as course CCHC-SCORM version 1" "$out"
has "of kind scorm2004" "CCHC-SCORM	v1	scorm2004" "$(P course list --data "$D")"

out=$(P package export-scorm 5S --scorm 2004 -o "$PL_DATA/5s-again.zip" --data "$D")
is "a SCORM course is not exported again (exit 1)" "1" "$?"
has "saying why" "only native PAR lessons are exported" "$out"
out=$(P package export-scorm NOPE --scorm 1.2 -o "$PL_DATA/nope.zip" --data "$D")
has "an unknown course is named" "no course NOPE" "$out"
out=$(P package export-scorm CCHC --scorm 3 -o "$PL_DATA/x.zip" --data "$D")
has "an unknown SCORM version is refused" "give --scorm 1.2 or 2004" "$out"
ok "nothing is written on refusal" bash -c "test ! -e '$PL_DATA/5s-again.zip' && test ! -e '$PL_DATA/x.zip'"
is "no staging folder is left" "" "$(ls "$D/content/tmp")"
finish
