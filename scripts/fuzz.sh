#!/usr/bin/env bash
# `make fuzz`: long runs of the system call fuzzer (user/fuzz) as /init,
# one machine at a time: each mode on 1 CPU, then each on 2 CPUs.
#
#   SEED=1 CALLS=10000000 MODES="shared per-mm per-task per-cpu" CPUS="1 2"
#   AVOID=none  the fuzzer's --avoid list (e.g. 5,13: issue 11's items)
#   TIMEOUT=14400  seconds per machine before it counts as a hang
#   FUZZ_MEM=128M  guest RAM
#
# Each run's COM1 goes to build/fuzz-logs/<mode>-<n>cpu-seed<S>.log and
# its progress to this terminal. A failing run prints the command that
# repeats it (the same seed makes the same calls; see docs/testing.md).
set -uo pipefail
cd "$(dirname "$0")/.."

SEED=${SEED:-1}
CALLS=${CALLS:-10000000}
MODES=${MODES:-shared per-mm per-task per-cpu}
CPUS=${CPUS:-1 2}
TIMEOUT=${TIMEOUT:-14400}
MEM=${FUZZ_MEM:-128M}
export INITRD=${INITRD:-build/initrd.cpio}
logs=build/fuzz-logs
mkdir -p "$logs"

AVOID=${AVOID:-none}
args="--seed $SEED --calls $CALLS --avoid $AVOID"
failed=0
for cpus in $CPUS; do
	for mode in $MODES; do
		log=$logs/$mode-${cpus}cpu-seed$SEED.log
		echo "fuzz: mm=$mode, $cpus CPU(s): $args (COM1: $log)"
		start=$(date +%s)
		timeout -s KILL "$TIMEOUT" env SERIAL=stdio SMP="$cpus" MEM="$MEM" \
			CMDLINE="init=/bin/fuzz mm=$mode -- $args" \
			scripts/run-qemu.sh < /dev/null > "$log" 2>&1 &
		qemu=$!
		# Progress: the fuzzer's own lines, as they come.
		tail -n +1 --pid=$qemu -f "$log" 2>/dev/null | grep --line-buffered -E \
			'^# fuzz|^(not )?ok |Kernel panic|Oops|BUG' &
		wait $qemu
		status=$?
		sleep 0.5
		secs=$(( $(date +%s) - start ))
		if [ $status -eq 0 ]; then
			echo "fuzz: mm=$mode, $cpus CPU(s): PASS in ${secs}s"
		else
			[ $status -eq 137 ] && echo "fuzz: HANG: no verdict after ${secs}s"
			echo "fuzz: mm=$mode, $cpus CPU(s): FAIL after ${secs}s; repeat it with"
			echo "      make fuzz SEED=$SEED CALLS=$CALLS MODES=$mode CPUS=$cpus AVOID=$AVOID"
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz: $failed machine(s) failed"
[ $failed -eq 0 ]
