#!/usr/bin/env bash
# Quizzes and capability exams over HTTP (docs/assessment.md): starts a server on its own
# data folder (tests/lib/server.sh) with units, people and accounts made by the CLI, and runs
# tests/integration/exam.test.mjs against it (node:test). That file checks every bad input of
# issue 5 (a slot not in the paper, after the deadline, another learner's attempt, a replay, a
# forged score, a browser clock a day off, a second device), the deadline against a tampered
# client and the server's own submission at the deadline, the paper fixed at start although
# the question is edited afterwards, no key in any answer to a learner before publication,
# the exam_result event (valid against the personnel schema, written with the result), the
# talent pool's approval (who and when), item analysis on a small known set, an exam
# certificate that verifies, and the append-only tables.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"

command -v node >/dev/null || { echo "exam.sh: node is missing" >&2; exit 1; }
pl_start --public-url https://parlearn.example.vn >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
pl_cli unit create --code SNV-CCHC --name "Phòng Cải cách hành chính" --kind office --parent SNV >/dev/null
pl_cli unit create --code STC --name "Sở Tài chính" --kind department --parent HCM >/dev/null
n=0
person() { # code unit name position par_role [--leader]
	n=$((n + 1))
	printf '0990007%05d\n' "$n" | pl_cli person create --employee-code "$1" \
		--unit "$2" --name "$3" --position "$4" --par-role "$5" "${@:6}" >/dev/null
}
person NV-1 SNV-CCHC "Nguyễn Văn Một" "Chuyên viên" dedicated
person NV-2 SNV "Trần Thị Hai" "Chuyên viên" none
person NV-3 SNV "Lê Văn Ba" "Trưởng phòng" dedicated --leader
person TC-1 STC "Phạm Thị Tư" "Chuyên viên" concurrent
account() { # username role [options]
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "$1" --role "$2" --password-stdin "${@:3}" >/dev/null
}
account hv1 learner --person NV-1 --name "Nguyễn Văn Một"
account hv2 learner --person NV-2 --name "Trần Thị Hai"
account hv3 learner --person NV-3 --name "Lê Văn Ba"
account hvtc learner --person TC-1 --name "Phạm Thị Tư"
account hvx learner --name "Học viên không thuộc danh sách"
account gv trainer --scope SNV --name "Lê Minh Giảng"
account gv2 trainer --scope STC --name "Võ Văn Giảng"
account ns hr_officer --scope SNV --name "Trần Thị Bích"
account ns2 hr_officer --scope STC --name "Đỗ Văn Kế"
account qt admin --name "Phạm Quản Trị"

export PL_URL PL_DATA PARLEARN_SOURCE="$src"
rc=0
(cd "$src" && node --test --test-reporter=spec "$here/exam.test.mjs") || rc=$?
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:| ERROR ' "$PL_LOG"; then
	echo "exam.sh: the server logged an error or a sanitizer report:" >&2
	grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:| ERROR ' "$PL_LOG" | head -60 >&2
	rc=1
fi
trap - EXIT
pl_stop || rc=1
exit "$rc"
