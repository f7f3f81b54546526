# tests/lib/check.sh — a minimal assertion helper for bash test drivers.
#
#   ok "what a user would check" COMMAND...   passes when COMMAND exits 0
#   is "what" EXPECTED ACTUAL                  passes when the strings are equal
#   has "what" NEEDLE HAYSTACK                 passes when HAYSTACK contains NEEDLE
#   hasnt "what" NEEDLE HAYSTACK               passes when it does not
#   finish                                     prints "N passed, N failed", returns 1 on failure
CHECK_PASSED=0
CHECK_FAILED=0

ok() {
	local what=$1
	shift
	if "$@"; then
		CHECK_PASSED=$((CHECK_PASSED + 1))
		echo "ok - $what"
	else
		CHECK_FAILED=$((CHECK_FAILED + 1))
		echo "not ok - $what (command failed: $*)"
	fi
}

is() {
	if [ "$2" = "$3" ]; then
		CHECK_PASSED=$((CHECK_PASSED + 1))
		echo "ok - $1"
	else
		CHECK_FAILED=$((CHECK_FAILED + 1))
		echo "not ok - $1"
		echo "    expected: $2"
		echo "    got:      $3"
	fi
}

has() {
	if [[ "$3" == *"$2"* ]]; then
		CHECK_PASSED=$((CHECK_PASSED + 1))
		echo "ok - $1"
	else
		CHECK_FAILED=$((CHECK_FAILED + 1))
		echo "not ok - $1"
		echo "    expected to find: $2"
		echo "    in: ${3:0:600}"
	fi
}

hasnt() {
	if [[ "$3" != *"$2"* ]]; then
		CHECK_PASSED=$((CHECK_PASSED + 1))
		echo "ok - $1"
	else
		CHECK_FAILED=$((CHECK_FAILED + 1))
		echo "not ok - $1"
		echo "    did not expect: $2"
	fi
}

finish() {
	echo "$CHECK_PASSED passed, $CHECK_FAILED failed"
	[ "$CHECK_FAILED" -eq 0 ]
}
