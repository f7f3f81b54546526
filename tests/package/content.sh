#!/usr/bin/env bash
# The package-content origin: a trainer gets a signed link to a version; its files are served
# on their own port with the right type, ETag and ranges, never a byte outside the version,
# never a cookie; the application's session cannot be used from another origin.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
samples=${PARLEARN_SCORM_SAMPLES:-$src/../shared/scorm-samples}
if ! compgen -G "$samples/*.zip" >/dev/null; then
	echo "content.sh: no SCORM samples at $samples"
	echo "0 passed, 0 failed"
	exit 0
fi

pl_start || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null 2>&1
pl_user gv trainer 'Mat-khau-dai-123' HCM >/dev/null 2>&1
pl_user hv learner 'Mat-khau-dai-123' >/dev/null 2>&1
pl_cli package import "$samples/ContentPackagingSingleSCO_SCORM12.zip" --course GOLF >/dev/null 2>&1
login() { curl -s -c "$PL_DATA/$1.cj" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" >/dev/null; }
login gv
login hv
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

r=$(curl -s -b "$PL_DATA/gv.cj" "$PL_URL/api/courses")
has "the trainer sees the imported version" '"course_code":"GOLF","course_title":"Golf Explained - CP Single SCO","version":1' "$r"
r=$(curl -s -b "$PL_DATA/hv.cj" "$PL_URL/api/courses")
has "a learner may not list the versions" '"code":"forbidden"' "$r"
r=$(curl -s -b "$PL_DATA/gv.cj" "$PL_URL/api/courses/preview?course=GOLF")
base=$(echo "$r" | j 'd["content_base"]')
has "the preview link points at the content origin" "$PL_CONTENT_URL/c/" "$base"
r=$(curl -s -b "$PL_DATA/gv.cj" "$PL_URL/api/courses/preview?course=NOPE")
has "an unknown course is 404" '"code":"not_found"' "$r"
r=$(curl -s -b "$PL_DATA/hv.cj" "$PL_URL/api/courses/preview?course=GOLF")
has "a learner gets no preview link" '"code":"forbidden"' "$r"

h=$(curl -s -D - -o "$PL_DATA/launch.html" "${base}shared/launchpage.html")
has "the launch page is served" "HTTP/1.1 200" "$h"
has "as HTML" "Content-Type: text/html; charset=utf-8" "$h"
has "framed only by the application (and its own pages)" "Content-Security-Policy: frame-ancestors 'self' $PL_URL" "$h"
hasnt "without any cookie" "Set-Cookie" "$h"
ok "byte for byte the package's file" cmp -s "$PL_DATA/launch.html" <(python3 -c 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("shared/launchpage.html"))' "$samples/ContentPackagingSingleSCO_SCORM12.zip")
etag=$(echo "$h" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
ok "with an ETag" test -n "$etag"
is "a revalidation is 304" "304" "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "${base}shared/launchpage.html")"
r=$(curl -s -D - -o "$PL_DATA/part" -H 'Range: bytes=10-19' "${base}shared/launchpage.html")
has "a range request is 206 (a video seeks)" "HTTP/1.1 206" "$r"
is "with exactly the bytes asked" "10" "$(stat -c %s "$PL_DATA/part")"
css=$(curl -s -D - -o /dev/null "${base}shared/style.css")
has "CSS has its type" "Content-Type: text/css" "$css"

for bad in "shared/../imsmanifest.xml" "shared/%2e%2e/imsmanifest.xml" "%2e%2e/%2e%2e/pg/data/PG_VERSION" \
	"shared%2f..%2f..%2fx" "shared/launchpage.html%00.css" "shared%5claunchpage.html" "./shared/launchpage.html" \
	"shared//launchpage.html" "nope.html" "shared/" ""; do
	code=$(curl -s --path-as-is -o "$PL_DATA/out" -w '%{http_code}' "${base}${bad}")
	is "\"$bad\" is not served" "404" "$code"
done
tok=${base#"$PL_CONTENT_URL/c/"}
tok=${tok%/}
bad_tok="${tok%?}A"
[ "$bad_tok" = "$tok" ] && bad_tok="${tok%?}B"
is "a tampered link is refused" "403" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_CONTENT_URL/c/$bad_tok/shared/launchpage.html")"
is "content is not served on the application's port" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/c/$tok/shared/launchpage.html")"
is "the application is not served on the content port" "404" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/gv.cj" "http://127.0.0.1:$PL_CONTENT_PORT/api/me")"
is "content is read-only" "405" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "${base}shared/launchpage.html")"

# A real course in a real browser: the package's launch page frames its own pages.
if [ -d "$src/tests/browser/node_modules/playwright-core" ] && [ -x /usr/bin/chromium ]; then
	"$PARLEARN_BIN" package build "$src/content/courses/5s-scorm12" -o "$PL_DATA/5s.zip" >/dev/null 2>&1
	pl_cli package import "$PL_DATA/5s.zip" --course 5S >/dev/null 2>&1
	b5=$(curl -s -b "$PL_DATA/gv.cj" "$PL_URL/api/courses/preview?course=5S" | j 'd["content_base"]')
	seen=$(node "$here/content_frame.mjs" "${b5}index.html" 2>&1)
	has "the sample course opens from the content origin" "title: Phương pháp 5S" "$seen"
	has "and its first page shows inside its frame" "inner: 5S là gì?" "$seen"
else
	echo "content.sh: no playwright-core/chromium; skipping the browser check"
fi

# The session is for the application's own pages only.
r=$(curl -s -b "$PL_DATA/gv.cj" -H 'Sec-Fetch-Site: same-site' "$PL_URL/api/me")
has "a request from the content origin cannot use the session" '"code":"cross_origin_refused"' "$r"
is "the application's own pages can" "200" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/gv.cj" -H 'Sec-Fetch-Site: same-origin' "$PL_URL/api/me")"
finish
