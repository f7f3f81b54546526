#!/usr/bin/env bash
# Images of Moodle XML questions in quizzes and exams (docs/assessment.md and
# docs/question-bank.md, "Images and rich text"): starts a server on its own data folder
# (tests/lib/server.sh) with units and accounts made by the CLI, and runs
# tests/integration/exam_images.test.mjs against it (node:test). That file imports a Moodle
# XML bank with embedded images (base64 <file> elements), builds a quiz and an exam from it,
# and checks who gets which file: the attempt's owner gets the image bytes with the right
# type and headers; another learner, another slot, a made-up name, another attempt: 404; a
# feedback image only once the review rules show feedback; a trainer reads any file from the
# bank; an SVG is never served inline.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"

command -v node >/dev/null || { echo "exam_images.sh: node is missing" >&2; exit 1; }
pl_start --public-url https://parlearn.example.vn >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
n=0
person() { # code unit name position par_role
	n=$((n + 1))
	printf '0990008%05d\n' "$n" | pl_cli person create --employee-code "$1" \
		--unit "$2" --name "$3" --position "$4" --par-role "$5" >/dev/null
}
person IM-1 SNV "Nguyễn Văn Ảnh" "Chuyên viên" dedicated
person IM-2 SNV "Trần Thị Hình" "Chuyên viên" none
account() { # username role [options]
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "$1" --role "$2" --password-stdin "${@:3}" >/dev/null
}
account hv1 learner --person IM-1 --name "Nguyễn Văn Ảnh"
account hv2 learner --person IM-2 --name "Trần Thị Hình"
account gv trainer --scope SNV --name "Lê Minh Giảng"
account ns hr_officer --scope SNV --name "Trần Thị Bích"

export PL_URL PL_DATA PARLEARN_SOURCE="$src"
rc=0
(cd "$src" && node --test --test-reporter=spec "$here/exam_images.test.mjs") || rc=$?
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:| ERROR ' "$PL_LOG"; then
	echo "exam_images.sh: the server logged an error or a sanitizer report:" >&2
	grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:| ERROR ' "$PL_LOG" | head -60 >&2
	rc=1
fi
trap - EXIT
pl_stop || rc=1
exit "$rc"
