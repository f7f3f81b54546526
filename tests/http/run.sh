#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR disable=SC2153  # PL_URL, PL_DATA... come from pl_start
# tests/http/run.sh — the HTTP API tests against real `parlearn serve` processes.
#
# Starts three servers (tests/lib/server.sh), each on its own data folder with its own
# embedded PostgreSQL, fills them with units, people and accounts through the CLI, runs
# `node --test` on tests/http/*.test.mjs, and always stops the servers. Exits non-zero when a
# test fails, a server stops uncleanly, or a server log shows a sanitizer report.
#
#   server A  defaults (1 MiB body, 4 h / 12 h sessions), pages from a copy of server/www
#   server B  --session-idle 2 --session-max 30 --max-body 2048 --trusted-proxy 127.0.0.1
#             (idle expiry, a configured body limit, per-address throttling by X-Forwarded-For)
#   server C  --session-idle 600 --session-max 3 (the absolute session limit)
#
#   PARLEARN_BIN   the parlearn executable (default: build/server/parlearn of this checkout)
#   PL_KEEP=1      keep the servers' data folders (see tests/lib/server.sh)
#   PL_TEST_ONLY   a regular expression passed to node --test-name-pattern
#
# Test files run one after another (--test-concurrency=1): the expiry tests measure seconds,
# and the parallel-login test would skew them.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
: "${PARLEARN_BIN:=$ROOT/build/server/parlearn}"
export PARLEARN_BIN
# shellcheck source=../lib/server.sh
source "$HERE/../lib/server.sh"

[ -x "$PARLEARN_BIN" ] || { echo "run.sh: no parlearn executable at $PARLEARN_BIN" >&2; exit 1; }
command -v node >/dev/null || { echo "run.sh: node is missing (Node 20 or later)" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "run.sh: node $node_major is too old (need 20+)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-http.XXXXXX")
SERVER_PIDS=()
SERVER_DATAS=()
SERVER_LOGS=()

# remember the server pl_start just started, so cleanup stops every one of them
remember() {
	SERVER_PIDS+=("$PL_PID")
	SERVER_DATAS+=("$PL_DATA")
	SERVER_LOGS+=("$PL_LOG")
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	local rc=$? i
	trap - EXIT
	for i in "${!SERVER_PIDS[@]}"; do
		if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "${SERVER_LOGS[$i]}" 2>/dev/null; then
			echo "run.sh: sanitizer report in ${SERVER_LOGS[$i]}:" >&2
			grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:' "${SERVER_LOGS[$i]}" >&2 || true
			rc=1
		fi
		if [ "$rc" -ne 0 ] && [ -f "${SERVER_LOGS[$i]}" ]; then
			echo "run.sh: last lines of server log ${SERVER_LOGS[$i]}:" >&2
			tail -n 15 "${SERVER_LOGS[$i]}" >&2 || true
		fi
		PL_PID=${SERVER_PIDS[$i]} PL_DATA=${SERVER_DATAS[$i]}
		if ! pl_stop; then
			rc=1
		fi
	done
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

newpw() { printf 'Pl-%s-7q' "$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"; }

# account NAME ROLE PASSWORD [--scope U] [--person E] [--name N]
account() {
	local name=$1 role=$2 pw=$3
	shift 3
	printf '%s\n' "$pw" | pl_cli user create --username "$name" --role "$role" --password-stdin "$@" >/dev/null
}

# --- the web pages: a copy of server/www plus files that must never be served ----------
WWW="$WORK/www"
if [ -f "$ROOT/server/www/index.html" ]; then
	cp -r "$ROOT/server/www" "$WWW"
	PL_HAVE_PAGES=1
else
	mkdir -p "$WWW"
	PL_HAVE_PAGES=0
fi
mkdir -p "$WWW/assets/sub"
printf 'PARLEARN-HIDDEN-MARKER\n' >"$WWW/assets/.hidden"
printf 'PARLEARN-SUBDIR-MARKER\n' >"$WWW/assets/sub/inner.css"
printf '#!/bin/sh\necho PARLEARN-CGI-MARKER\n' >"$WWW/assets/run.cgi"
chmod +x "$WWW/assets/run.cgi"
printf 'PARLEARN-OUTSIDE-MARKER\n' >"$WORK/outside.txt"
export PL_HAVE_PAGES

# --- server A: the main fixture ---------------------------------------------------------
pl_start --www "$WWW"
remember
PL_URL_A=$PL_URL
PL_DATA_A=$PL_DATA

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city --valid-from 1976-07-02 >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM --valid-from 2008-01-01 >/dev/null
pl_cli unit create --code SNV-CCHC --name "Phòng Cải cách hành chính" --kind office --parent SNV --valid-from 2008-01-01 >/dev/null
pl_cli unit create --code STC --name "Sở Tài chính" --kind department --parent HCM --valid-from 2008-01-01 >/dev/null
pl_cli unit create --code STC-KH --name "Phòng Kế hoạch" --kind office --parent STC --valid-from 2008-01-01 >/dev/null
pl_cli unit create --code Q1 --name "Quận 1" --kind district --parent HCM --valid-from 1976-07-02 --valid-to 2025-06-30 >/dev/null
pl_cli unit create --code P-SG --name "Phường Sài Gòn" --kind ward --parent HCM --valid-from 2025-07-01 >/dev/null
pl_cli unit succeed --code Q1 --successor P-SG >/dev/null

# made-up 12-digit personal identification numbers; the tests check none is ever returned
PL_PINS=""
n=0
person() { # employee_code unit full_name position par_role [--leader]
	local pin
	n=$((n + 1))
	pin=$(printf '0791%08d' $((n * 7919 + 12345)))
	PL_PINS="$PL_PINS${PL_PINS:+,}$pin"
	printf '%s\n' "$pin" | pl_cli person create --employee-code "$1" --unit "$2" --name "$3" \
		--position "$4" --par-role "$5" "${@:6}" >/dev/null
}
# created out of order on purpose: the server must sort them (Vietnamese collation)
person NV-0001 SNV-CCHC "Ưng Hoàng Phúc" "Chuyên viên" dedicated
person NV-0002 SNV "Uông Thị Lan" "Chuyên viên" none
person NV-0003 SNV-CCHC "Đặng Thu Trang" "Trưởng phòng" dedicated --leader
person NV-0004 SNV "Dương Quốc Khánh" "Chuyên viên" none
person NV-0005 SNV-CCHC "Âu Thị Hạnh" "Chuyên viên" concurrent
person NV-0006 SNV "An Thị Hoa" "Chuyên viên" none
person NV-0007 SNV "Ái Thị Ngọc" "Phó Giám đốc" dedicated --leader
person NV-0008 SNV-CCHC "Ông Văn Tài" "Chuyên viên chính" dedicated
person NV-0009 SNV "Ôn Như Hầu" "Cán sự" none
person NV-0010 SNV "Lê Thị Ơn" "Chuyên viên" concurrent
person NV-0011 SNV-CCHC "Lê Thị Ổn" "Chuyên viên" concurrent
person NV-0012 SNV-CCHC "Em Thị Hồng" "Chuyên viên" concurrent
person NV-0013 SNV-CCHC "Êban Y Nô" "Chuyên viên" concurrent
person NV-0014 SNV-CCHC "Bùi Minh Tuấn" "Chuyên viên" concurrent
person NV-0015 SNV "Ma Văn Đức" "Chuyên viên" none
person NV-0016 SNV "Mạc Văn Dũng" "Chuyên viên" none
person NV-0017 SNV-CCHC "Đỗ Thị Dung" "Chuyên viên" dedicated
person NV-0018 SNV-CCHC "Đỗ Thị Đào" "Chuyên viên" dedicated
person NV-0019 SNV "Ăng Văn Bảy" "Cán sự" none
person TC-0001 STC "Lý Văn Ngoài" "Chuyên viên" none
person TC-0002 STC-KH "Nguyễn Văn Học" "Chuyên viên" concurrent
person TC-0003 STC "Âu Văn Cường" "Phó Giám đốc" dedicated --leader
person Q1-0001 Q1 "Phan Văn Quận" "Chuyên viên" none
person PSG-0001 P-SG "Trịnh Thị Phường" "Chuyên viên" dedicated
export PL_PINS

PL_PW_ADMIN=$(newpw) PL_PW_HR=$(newpw) PL_PW_HR2=$(newpw) PL_PW_TRAINER=$(newpw)
PL_PW_LEARNER=$(newpw) PL_PW_LOCK=$(newpw) PL_PW_PASSWD=$(newpw) PL_PW_CASE=$(newpw)
export PL_PW_ADMIN PL_PW_HR PL_PW_HR2 PL_PW_TRAINER PL_PW_LEARNER PL_PW_LOCK PL_PW_PASSWD PL_PW_CASE
account quantri admin "$PL_PW_ADMIN" --name "Phạm Quản Trị"
account nhansu hr_officer "$PL_PW_HR" --scope SNV --name "Trần Thị Bích" --person NV-0003
account nhansu2 hr_officer "$PL_PW_HR2" --scope STC --name "Võ Văn Kế"
pl_cli user add-role --username nhansu2 --role hr_officer --scope Q1 >/dev/null
account giangvien trainer "$PL_PW_TRAINER" --scope SNV --name "Lê Minh Giảng"
account hocvien learner "$PL_PW_LEARNER" --name "Nguyễn Văn Học" --person TC-0002
account khoa.thu learner "$PL_PW_LOCK" --name "Khóa Thử"
account doimatkhau learner "$PL_PW_PASSWD" --name "Đổi Mật Khẩu"
account ThuKy.VanPhong learner "$PL_PW_CASE" --name "Thư Ký"
# the player (runtime.test.mjs): two learners and the two sample SCORM courses
PL_PW_RT=$(newpw)
export PL_PW_RT
account hv.mot learner "$PL_PW_RT" --name "Trần Văn Một"
account hv.hai learner "$PL_PW_RT" --name "Lê Thị Hai"
for c in 5s-scorm12 mot-cua-scorm2004; do
	(cd "$ROOT/content/courses/$c" && zip -qr "$WORK/$c.zip" .)
	pl_cli package import "$WORK/$c.zip" --course "$c" >/dev/null
done
"$PARLEARN_BIN" package build "$ROOT/content/courses/cchc-2021-2030" -o "$WORK/cchc.zip" >/dev/null
pl_cli package import "$WORK/cchc.zip" >/dev/null
# a real SCORM 2004 package with sequencing: only its post test counts towards rollup
samples=${PARLEARN_SCORM_SAMPLES:-$ROOT/../shared/scorm-samples}
PL_HAVE_ROLLUP=0
if [ -f "$samples/SequencingPostTestRollup_SCORM20043rdEdition.zip" ]; then
	pl_cli package import "$samples/SequencingPostTestRollup_SCORM20043rdEdition.zip" --course posttest >/dev/null
	PL_HAVE_ROLLUP=1
fi
export PL_HAVE_ROLLUP
PL_CONTENT_URL_A=$PL_CONTENT_URL
export PL_CONTENT_URL_A

# --- server B: short idle limit, small body limit, a trusted proxy ----------------------
pl_start --www "$WWW" --session-idle 2 --session-max 30 --max-body 2048 --trusted-proxy 127.0.0.1
remember
PL_URL_B=$PL_URL
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city --valid-from 1976-07-02 >/dev/null
account hocvien learner "$PL_PW_LEARNER" --name "Nguyễn Văn Học"
account muctieu learner "$PL_PW_LOCK" --name "Mục Tiêu"
account khach learner "$PL_PW_CASE" --name "Khách"

# --- server C: short absolute limit ------------------------------------------------------
pl_start --www "$WWW" --session-idle 600 --session-max 3
remember
PL_URL_C=$PL_URL
account hocvien learner "$PL_PW_LEARNER" --name "Nguyễn Văn Học"

export PL_URL_A PL_URL_B PL_URL_C PL_DATA_A
export PL_WWW="$WWW"

rc=0
args=(--test --test-reporter=spec --test-concurrency=1)
[ -n "${PL_TEST_ONLY:-}" ] && args+=(--test-name-pattern "$PL_TEST_ONLY")
(cd "$ROOT" && node "${args[@]}" tests/http/*.test.mjs) || rc=$?

# after everything, every server still answers
for url in "$PL_URL_A" "$PL_URL_B" "$PL_URL_C"; do
	if ! curl -fsS -m 5 "$url/healthz" >/dev/null; then
		echo "run.sh: $url/healthz does not answer after the tests" >&2
		rc=1
	fi
done
exit "$rc"
