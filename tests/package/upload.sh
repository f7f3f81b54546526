#!/usr/bin/env bash
# POST /api/packages: a trainer uploads a package and reads the same report as the CLI's;
# a package with errors stores nothing; only trainers and admins, with the CSRF token; the
# size limit holds; no upload is left on disk.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
samples=${PARLEARN_SCORM_SAMPLES:-$src/../shared/scorm-samples}
if ! compgen -G "$samples/*.zip" >/dev/null; then
	echo "upload.sh: no SCORM samples at $samples"
	echo "0 passed, 0 failed"
	exit 0
fi

pl_start --max-upload 380000 || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null 2>&1
pl_user gv trainer 'Mat-khau-dai-123' HCM >/dev/null 2>&1
pl_user hv learner 'Mat-khau-dai-123' >/dev/null 2>&1
csrf() { curl -s -c "$PL_DATA/$1.cj" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])'; }
GV=$(csrf gv)
HV=$(csrf hv)
up() { # user csrf file [query] -> "status body"
	curl -s -o "$PL_DATA/resp" -w '%{http_code}' -b "$PL_DATA/$1.cj" -H "X-CSRF-Token: $2" \
		-H 'Content-Type: application/zip' --data-binary "@$3" "$PL_URL/api/packages${4:-}"
	echo " $(cat "$PL_DATA/resp")"
}

r=$(up gv "$GV" "$samples/ContentPackagingSingleSCO_SCORM12.zip" "?course=GOLF")
has "a trainer's upload is imported (201)" "201 " "$r"
has "as version 1 of the course" '"course_code":"GOLF"' "$r"
has "with the launch file" '"launch_href":"shared/launchpage.html"' "$r"
has "and imported by that trainer" '"imported_by":"gv"' "$r"
has "with its report" '"report":{"errors":0,"warnings":0' "$r"
r=$(up gv "$GV" "$samples/ContentPackagingSingleSCO_SCORM12.zip" "?course=GOLF")
has "the same upload again makes version 2" '"version":2' "$r"

r=$(up gv "$GV" "$samples/MinimalValid_SCORM20043rdEdition.zip" "?course=MIN")
has "a package with errors is refused (422)" "422 " "$r"
has "as a problem" '"code":"package_invalid"' "$r"
has "listing each problem with file and line" '"code":"launch_file_missing","file":"imsmanifest.xml","line":19' "$r"
r=$(curl -s -b "$PL_DATA/gv.cj" "$PL_URL/api/courses")
hasnt "and nothing was stored" '"course_code":"MIN"' "$r"

python3 "$here/make_hostile.py" "$PL_DATA/h" >/dev/null
r=$(up gv "$GV" "$PL_DATA/h/traversal.zip")
has "a hostile zip is refused (422)" "422 " "$r"
has "naming the entry" 'points outside the package' "$r"

r=$(up hv "$HV" "$samples/ContentPackagingSingleSCO_SCORM12.zip")
has "a learner may not upload (403)" "403 " "$r"
r=$(up gv "wrong-token" "$samples/ContentPackagingSingleSCO_SCORM12.zip")
has "an upload without the CSRF token is refused (403)" '"code":"csrf_failed"' "$r"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/gv.cj" -H "X-CSRF-Token: $GV" \
	-H 'Content-Type: text/plain' --data-binary "@$samples/ContentPackagingSingleSCO_SCORM12.zip" "$PL_URL/api/packages")
is "a body that is not a zip type is 415" "415" "$code"
r=$(up gv "$GV" "$samples/ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip")
has "a package over --max-upload is 413" "413 " "$r"
has "saying the limit" "at most 371 KiB" "$r"
has "and giving it in bytes" '"max_bytes":380000' "$r"
r=$(up gv "$GV" "$samples/ContentPackagingSingleSCO_SCORM12.zip" "?course=bad%20code")
has "a malformed course code is 422" '"field":"course"' "$r"
is "no upload is left on disk" "" "$(ls "$PL_DATA/var/content/uploads")"
is "no import folder is left" "" "$(ls "$PL_DATA/var/content/tmp")"
finish
