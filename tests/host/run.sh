#!/usr/bin/env bash
# Build every tests/host/*_test.c natively with AddressSanitizer and
# UndefinedBehaviorSanitizer, run it, and sum the results into one line.
# A test whose source has a line "/* host-cflags: FLAGS */" gets FLAGS too
# (-m32 for logic that includes struct page, which is 16 bytes only there).
# Every tests/host/*_test.sh (bash) and *_test.py (python3) runs as it is
# and ends with the same line.
set -u
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
passed=0 failed=0
# count "NAME: N passed, N failed" from a test's last line; RC is its exit status.
count() {
	local last p f
	last=$(tail -n 1 <<<"$1")
	p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\1/p' <<<"$last")
	f=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\2/p' <<<"$last")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	[ "$2" -eq 0 ] || [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
}
for src in tests/host/*_test.c; do
	bin="$out/$(basename "$src" .c)"
	extra=$(sed -n 's|^/\* host-cflags: \(.*\) \*/$|\1|p' "$src")
	if ! gcc -std=c11 -g -O1 -Wall -Wextra -Werror -I. -fsanitize=address,undefined \
		-fno-sanitize-recover=all $extra -o "$bin" "$src"; then
		echo "$src: build failed"
		failed=$((failed + 1))
		continue
	fi
	line=$("$bin") && rc=0 || rc=$?
	echo "$line"
	count "$line" "$rc"
done
for script in tests/host/*_test.sh tests/host/*_test.py; do
	case "$script" in
	*.py) line=$(python3 "$script") && rc=0 || rc=$? ;;
	*)    line=$(bash "$script") && rc=0 || rc=$? ;;
	esac
	echo "$line"
	count "$line" "$rc"
done
echo "host unit tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
