#!/usr/bin/env bash
# Quizzes that count toward a course's completion (docs/assessment.md, "Quizzes that count
# toward a course"): starts a server on its own data folder (tests/lib/server.sh), imports the
# 5S SCORM 1.2 sample as three courses, makes units, people and accounts with the CLI, and runs
# tests/integration/course_quiz.test.mjs against it (node:test). That file checks both orders
# (lessons then the quiz, the quiz then the lessons), a failed quiz (no completion) then a pass
# on a later attempt, an essay that completes the course when the trainer grades it, exactly one
# completion and one course_completion outbox event in each case, the evidence naming the
# attempt that decided, the course page ("Còn bài kiểm tra cuối khóa chưa đạt"), the
# definition rules (only a quiz with a course counts; not changed once open) and that a course
# without counting quizzes completes as before.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"

command -v node >/dev/null || { echo "course_quiz.sh: node is missing" >&2; exit 1; }
command -v zip >/dev/null || { echo "course_quiz.sh: zip is missing" >&2; exit 1; }
pl_start --public-url https://parlearn.example.vn >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT

pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
(cd "$src/content/courses/5s-scorm12" && zip -qr "$PL_DATA/5s.zip" .)
for c in cq-a cq-e cq-n; do
	pl_cli package import "$PL_DATA/5s.zip" --course "$c" >/dev/null 2>&1 ||
		{ echo "course_quiz.sh: cannot import the package as $c" >&2; exit 1; }
done
n=0
for u in 1 2 3 4 5 6 7; do
	n=$((n + 1))
	printf '0990015%05d\n' "$n" | pl_cli person create --employee-code "CQ-$u" --unit SNV \
		--name "Học viên $u" --position "Chuyên viên" --par-role dedicated >/dev/null
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "hv$u" --role learner \
		--person "CQ-$u" --name "Học viên $u" --password-stdin >/dev/null
done
printf 'Mat-khau-dai-123\n' | pl_cli user create --username gv --role trainer --scope SNV \
	--name "Lê Minh Giảng" --password-stdin >/dev/null

export PL_URL PL_DATA PARLEARN_SOURCE="$src"
rc=0
(cd "$src" && node --test --test-reporter=spec "$here/course_quiz.test.mjs") || rc=$?
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:| ERROR ' "$PL_LOG"; then
	echo "course_quiz.sh: the server logged an error or a sanitizer report:" >&2
	grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error:| ERROR ' "$PL_LOG" | head -60 >&2
	rc=1
fi
trap - EXIT
pl_stop || rc=1
exit "$rc"
