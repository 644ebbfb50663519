#!/usr/bin/env bash
# Run the user test suite on this Linux host: build/user/init runs every
# program of build/user/bin as our kernel's /init would, and Linux's answers
# are the reference the kernel must match. Prints one summary line,
#   host user suite: N passed, N failed
# and exits non-zero if any program failed. If the host cannot run 32-bit
# x86 binaries, it says so and exits 0 (SKIP).
set -u
cd "$(dirname "$0")/../.."
bin=build/user/bin
init=build/user/init
log=build/user/host-suite.log

make -s -f user/user.mk user || exit 1

# A tiny i386 program first: if even that cannot run, nothing can.
if ! "$bin/h_exit" 0 2>/dev/null; then
	echo "host user suite: SKIP: this host cannot run i386 binaries" \
	     "(no IA32 emulation?)"
	exit 0
fi

# Faults are part of the suite: no core files. The timeout catches a hang.
ulimit -c 0
timeout 120 "$init" --dir "$bin" > "$log" 2>&1
rc=$?
cat "$log"

# Results at the top level only (nested lines are indented).
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
# Programs that never reported (init crashed or hung) count as failed.
missing=$(( ${plan:-0} - passed - failed ))
[ "$missing" -gt 0 ] && failed=$((failed + missing))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "# init exited with status $rc"
	failed=1
fi
[ -z "$plan" ] && failed=$((failed + 1))
echo "host user suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
