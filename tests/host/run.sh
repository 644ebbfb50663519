#!/usr/bin/env bash
# Build every tests/host/*_test.c natively with AddressSanitizer and
# UndefinedBehaviorSanitizer, run it, and sum the results into one line.
set -u
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
passed=0 failed=0
for src in tests/host/*_test.c; do
	bin="$out/$(basename "$src" .c)"
	if ! gcc -std=c11 -g -O1 -Wall -Wextra -Werror -I. -fsanitize=address,undefined \
		-fno-sanitize-recover=all -o "$bin" "$src"; then
		echo "$src: build failed"
		failed=$((failed + 1))
		continue
	fi
	line=$("$bin") && rc=0 || rc=$?
	echo "$line"
	p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\1/p' <<<"$line")
	f=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\2/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	[ "$rc" -eq 0 ] || [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
done
echo "host unit tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
