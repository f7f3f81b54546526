#!/usr/bin/env bash
# tests/browser/run.sh — run the browser tests against a real `parlearn serve`.
#
# Starts a server on its own data folder (tests/lib/server.sh), fills it with the units,
# people and accounts that fixture.mjs describes, runs `node --test` on tests/browser/*.test.mjs
# with Debian's chromium, and always stops the server. Exits non-zero when a test fails or
# the server does not stop cleanly.
#
#   PARLEARN_BIN   the parlearn executable (default: build/server/parlearn of this checkout)
#   PL_SHOTS       where screenshots go (default: a new temporary folder, printed at the end)
#   PL_KEEP=1      keep the server's data folder (see tests/lib/server.sh)
#   PL_SCORM_SAMPLES  the real SCORM sample packages (default: ../shared/scorm-samples)
#   PL_TESTS       the test files to run (default: tests/browser/*.test.mjs)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
: "${PARLEARN_BIN:=$ROOT/build/server/parlearn}"
export PARLEARN_BIN
# shellcheck source=../lib/server.sh
source "$(dirname "$0")/../lib/server.sh"

[ -x "$PARLEARN_BIN" ] || { echo "run.sh: no parlearn executable at $PARLEARN_BIN" >&2; exit 1; }
[ -x "${PL_CHROMIUM:-/usr/bin/chromium}" ] || { echo "run.sh: chromium is missing (apt-get install chromium)" >&2; exit 1; }

if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -d "$HERE/node_modules/axe-core" ]; then
	(cd "$HERE" && npm ci --no-audit --no-fund)
fi

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	local rc=$?
	trap - EXIT
	if [ -n "${PL_DATA:-}" ] && ! pl_stop; then
		rc=1
	fi
	if [ -n "${PL_PKG_DIR:-}" ]; then
		rm -rf -- "$PL_PKG_DIR"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$ROOT"
pl_start --www "$ROOT/server/www"

# --- fixture: keep in step with fixture.mjs ---------------------------------------------
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city --valid-from 1976-07-02
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM --valid-from 2008-01-01
pl_cli unit create --code SNV-CCHC --name "Phòng Cải cách hành chính" --kind office --parent SNV --valid-from 2008-01-01
pl_cli unit create --code STC --name "Sở Tài chính" --kind department --parent HCM --valid-from 2008-01-01
pl_cli unit create --code Q1 --name "Quận 1" --kind district --parent HCM --valid-from 1976-07-02 --valid-to 2025-06-30
pl_cli unit create --code P-SG --name "Phường Sài Gòn" --kind ward --parent HCM --valid-from 2025-07-01

n=0
person() { # employee_code unit full_name position par_role [--leader]
	n=$((n + 1))
	# a made-up 12-digit personal identification number, on stdin as the CLI wants
	printf '07918%07d\n' "$n" | pl_cli person create --employee-code "$1" --unit "$2" --name "$3" \
		--position "$4" --par-role "$5" "${@:6}"
}
# created out of order on purpose: the server must sort them (Vietnamese collation)
person NV-0001 SNV-CCHC "Ưng Hoàng Phúc" "Chuyên viên" dedicated
person NV-0002 SNV-CCHC "Em Thị Hồng" "Chuyên viên" concurrent
person NV-0003 SNV "Ái Thị Ngọc" "Phó Giám đốc" dedicated --leader
person NV-0004 SNV-CCHC "Đặng Thu Trang" "Trưởng phòng" dedicated --leader
person NV-0005 SNV-CCHC "Âu Thị Hạnh" "Chuyên viên" concurrent
person NV-0006 SNV "An Thị Hoa" "Chuyên viên" none
person NV-0007 SNV-CCHC "Ông Văn Tài" "Chuyên viên chính" dedicated
person NV-0008 SNV "Ăng Văn Bảy" "Cán sự" none
person NV-0009 SNV-CCHC "Bùi Minh Tuấn" "Chuyên viên" concurrent
person NV-0010 SNV "Dương Quốc Khánh" "Chuyên viên" none
person NV-0011 SNV-CCHC "Êban Y Nô" "Chuyên viên" concurrent
person NV-0012 SNV "Uông Thị Lan" "Chuyên viên" none
person TC-0001 STC "Lý Văn Ngoài" "Chuyên viên" none
person TC-0002 STC "Nguyễn Văn Học" "Chuyên viên" concurrent

newpw() { printf 'Pl-%s-7q' "$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"; }
PL_PW_LEARNER=$(newpw) PL_PW_TRAINER=$(newpw) PL_PW_HR_OFFICER=$(newpw) PL_PW_ADMIN=$(newpw)
PL_USER_LEARNER=hocvien PL_USER_TRAINER=giangvien PL_USER_HR_OFFICER=nhansu PL_USER_ADMIN=quantri
export PL_PW_LEARNER PL_PW_TRAINER PL_PW_HR_OFFICER PL_PW_ADMIN
export PL_USER_LEARNER PL_USER_TRAINER PL_USER_HR_OFFICER PL_USER_ADMIN
printf '%s\n' "$PL_PW_LEARNER" | pl_cli user create --username "$PL_USER_LEARNER" --role learner \
	--name "Nguyễn Văn Học" --person TC-0002 --password-stdin
printf '%s\n' "$PL_PW_TRAINER" | pl_cli user create --username "$PL_USER_TRAINER" --role trainer \
	--scope SNV --name "Lê Minh Giảng" --password-stdin
printf '%s\n' "$PL_PW_HR_OFFICER" | pl_cli user create --username "$PL_USER_HR_OFFICER" --role hr_officer \
	--scope SNV --name "Trần Thị Bích" --password-stdin
printf '%s\n' "$PL_PW_ADMIN" | pl_cli user create --username "$PL_USER_ADMIN" --role admin \
	--name "Phạm Quản Trị" --password-stdin

# packages the trainer tests upload: the 5S sample course zipped the way LMSs get it, and the
# real SCORM samples (read-only, outside the repository; tests that need them are skipped
# when they are absent)
PL_PKG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-pkgs.XXXXXX")
"$PARLEARN_BIN" package build "$ROOT/content/courses/5s-scorm12" -o "$PL_PKG_DIR/5s.zip" >/dev/null
printf 'this is not a zip\n' >"$PL_PKG_DIR/notes.txt"
: "${PL_SCORM_SAMPLES:=$ROOT/../shared/scorm-samples}"
PL_SCORM_SAMPLES=$(cd "$PL_SCORM_SAMPLES" 2>/dev/null && pwd || echo "$PL_SCORM_SAMPLES")
export PL_PKG_DIR PL_SCORM_SAMPLES
# -----------------------------------------------------------------------------------------

PL_SHOTS=${PL_SHOTS:-$(mktemp -d "${TMPDIR:-/tmp}/parlearn-shots.XXXXXX")}
export PL_SHOTS

rc=0
# shellcheck disable=SC2086  # PL_TESTS is a list of paths
(cd "$ROOT" && node --test ${PL_TESTS:-tests/browser/*.test.mjs}) || rc=$?
echo "run.sh: screenshots in $PL_SHOTS"
exit "$rc"
