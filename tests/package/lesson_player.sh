#!/usr/bin/env bash
# tests/package/lesson_player.sh — the PAR lesson player that `parlearn package export-scorm`
# puts under player/ (server/templates/lesson-player/): runs tests/package/lesson_player.mjs in
# headless Chromium against a fake SCORM 2004 and 1.2 API (full runs, failing runs, leave and
# resume, no LMS, English, allow-list, axe-core WCAG 2.1 AA at full width and 360 px).
# Skips (exit 0) when node, playwright-core (tests/browser/node_modules) or Chromium is missing.
# Last line: "N passed, M failed"; exits 1 on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
chromium=${PARLEARN_CHROMIUM:-/usr/bin/chromium}

skip() {
	echo "lesson_player.sh: $1; skipping"
	echo "0 passed, 0 failed"
	exit 0
}
command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -d "$src/tests/browser/node_modules/playwright-core" ] || skip "no playwright-core in tests/browser/node_modules (npm ci there)"
[ -d "$src/tests/browser/node_modules/axe-core" ] || skip "no axe-core in tests/browser/node_modules (npm ci there)"
[ -x "$chromium" ] || skip "no Chromium at $chromium"

for f in index.html player.js player.css; do
	if [ ! -f "$src/server/templates/lesson-player/$f" ]; then
		echo "not ok - server/templates/lesson-player/$f exists"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

out=$(PARLEARN_CHROMIUM="$chromium" timeout 300 node "$here/lesson_player.mjs" "$src" 2>&1)
rc=$?
echo "$out"
last=$(printf '%s\n' "$out" | tail -n 1)
if [ "$rc" -ne 0 ] && ! [[ "$last" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
	echo "not ok - lesson_player.mjs ran to the end (exit $rc)"
	echo "0 passed, 1 failed"
fi
exit "$rc"
