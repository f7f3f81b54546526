#!/usr/bin/env bash
# tests/browser/learner-server.sh — a parlearn server of its own for learner.test.mjs, so the
# courses it imports and the enrolments it makes do not show in the other browser tests
# (trainer.test.mjs starts from an empty course list).
#
# Starts the server (tests/lib/server.sh), creates two learner accounts, imports the sample
# courses under fixed codes, prints ONE line of JSON describing all that on stdout, then waits
# until its stdin closes, stops the server and exits with pl_stop's status.
#
#   PARLEARN_BIN       the parlearn executable (required)
#   PL_SCORM_SAMPLES   the real SCORM samples (default ../shared/scorm-samples); absent: skipped
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=../lib/server.sh
source "$HERE/../lib/server.sh"

PKGS=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-learner-pkgs.XXXXXX")
cleanup() {
	local rc=$?
	trap - EXIT
	if [ -n "${PL_DATA:-}" ] && ! pl_stop >&2; then rc=1; fi
	rm -rf -- "$PKGS"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pl_start --www "$ROOT/server/www" --rt "$ROOT/server/rt" >&2

newpw() { printf 'Pl-%s-7q' "$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"; }
PW1=$(newpw)
PW2=$(newpw)
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city --valid-from 1976-07-02 >&2
printf '079180000001\n' | pl_cli person create --employee-code HV-0001 --unit HCM --name "Trần Thị Học" \
	--position "Chuyên viên" --par-role concurrent >&2
printf '%s\n' "$PW1" | pl_cli user create --username hocvien1 --role learner --name "Trần Thị Học" \
	--person HV-0001 --password-stdin >&2
printf '%s\n' "$PW2" | pl_cli user create --username hocvien2 --role learner --name "Lê Văn Hai" \
	--password-stdin >&2

imp() { # code zip
	pl_cli package import "$2" --course "$1" >&2
}
"$PARLEARN_BIN" package build "$ROOT/content/courses/5s-scorm12" -o "$PKGS/5s.zip" >/dev/null
"$PARLEARN_BIN" package build "$ROOT/content/courses/mot-cua-scorm2004" -o "$PKGS/motcua.zip" >/dev/null
"$PARLEARN_BIN" package build "$HERE/misuse-sco" -o "$PKGS/misuse.zip" >/dev/null
imp 5S "$PKGS/5s.zip"
imp MOT-CUA "$PKGS/motcua.zip"
imp MISUSE "$PKGS/misuse.zip"

: "${PL_SCORM_SAMPLES:=$ROOT/../shared/scorm-samples}"
golf=""
if [ -f "$PL_SCORM_SAMPLES/RuntimeBasicCalls_SCORM20043rdEdition.zip" ]; then
	imp GOLF-RT "$PL_SCORM_SAMPLES/RuntimeBasicCalls_SCORM20043rdEdition.zip"
	golf=GOLF-RT
fi

# An assigned course with a deadline, when the CLI can assign (issue 4); the test checks the
# deadline only if this worked.
assigned=""
if pl_cli enrol --username hocvien1 --course MOT-CUA --due 2026-12-31 >&2; then assigned=MOT-CUA; fi

python3 - "$PW1" "$PW2" "$golf" "$assigned" <<'EOF'
import json, os, sys
print(json.dumps({
    "url": os.environ["PL_URL"], "content_url": os.environ["PL_CONTENT_URL"],
    "log": os.environ["PL_LOG"],
    "users": {"a": {"username": "hocvien1", "password": sys.argv[1], "name": "Trần Thị Học"},
              "b": {"username": "hocvien2", "password": sys.argv[2], "name": "Lê Văn Hai"}},
    "courses": {"s12": "5S", "s2004": "MOT-CUA", "golf": sys.argv[3] or None, "misuse": "MISUSE"},
    "assigned": sys.argv[4] or None,
}), flush=True)
EOF

# wait for the test to finish (it closes our stdin)
cat >/dev/null || true
