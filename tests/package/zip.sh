#!/usr/bin/env bash
# tests/package/zip.sh — the safe zip reader against hostile and broken zips: writes the corpus
# with make_hostile.py into a temporary folder, then runs the unit_package_zip test program on
# it (which skips when run bare). Also points it at the real SCORM samples in
# ../shared/scorm-samples when they are there (read-only; they are never copied).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}

if [ -n "${PARLEARN_BUILD_DIR:-}" ]; then
	bin=$PARLEARN_BUILD_DIR/tests/unit_package_zip
elif [ -n "${PARLEARN_BIN:-}" ]; then
	bin=$(dirname "$PARLEARN_BIN")/../tests/unit_package_zip
else
	echo "zip.sh: set PARLEARN_BIN or PARLEARN_BUILD_DIR" >&2
	exit 2
fi
if [ ! -x "$bin" ]; then
	echo "zip.sh: $bin is not built" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-zipcorpus.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
python3 "$here/make_hostile.py" "$tmp/corpus"

samples=${PARLEARN_SCORM_SAMPLES:-$src/../shared/scorm-samples}
if ! compgen -G "$samples/*.zip" >/dev/null; then
	echo "zip.sh: no SCORM samples at $samples; that test will skip"
	samples=
fi
mkdir "$tmp/work"
PARLEARN_ZIP_CORPUS=$tmp/corpus PARLEARN_SCORM_SAMPLES=$samples TMPDIR=$tmp/work "$bin"
# The test removes its work folders; anything left is a leak of the code under test.
if [ -n "$(ls -A "$tmp/work")" ]; then
	echo "zip.sh: files left behind:" >&2
	ls -laR "$tmp/work" >&2
	exit 1
fi
